"""Loading a round's rows for a request through the rules of organisasi/permissions.py:
404 for a stranger, 403 for a role that may look but not do.

Who sees a unit's place in a round: the Admin, the TPI assigned to it, and the unit's own
roles (a TPI who holds a role in the unit but is not assigned to it sees nothing)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from lke import selectors as lke_selectors
from lke.selectors import lke_tahun
from organisasi import permissions
from organisasi.models import Peran

from . import selectors
from .models import PesertaEvaluasi, PutaranEvaluasi

PERAN_UNIT_EVALUASI = {Peran.SEKRETARIS, Peran.ANGGOTA, Peran.KEPALA_DINAS}
# who marks a sent-back question fixed
PERAN_PERBAIKAN = {Peran.SEKRETARIS, Peran.ANGGOTA}


def _peserta_qs():
    return PesertaEvaluasi.objects.select_related(
        "putaran", "unit", "diajukan_oleh").prefetch_related("perpanjangan", "penugasan__user")


def boleh_lihat(user, peserta):
    """The Admin, an assigned TPI, or a role of the unit (penugasan prefetched)."""
    if permissions.is_admin(user):
        return True
    if any(p.user_id == user.pk for p in peserta.penugasan.all()):
        return True
    return peserta.unit.is_active and bool(
        permissions.peran_di_unit(user, peserta.unit) & PERAN_UNIT_EVALUASI)


def tpi_ditugaskan(user, peserta):
    return any(p.user_id == user.pk for p in peserta.penugasan.all())


def boleh_perbaiki(user, peserta):
    """The unit's Sekretaris and members may see the fix form (each question: pic_soal)."""
    return peserta.unit.is_active and bool(
        permissions.peran_di_unit(user, peserta.unit) & PERAN_PERBAIKAN)


def pic_soal(peserta):
    """{soal pk: PIC user ids} of the unit's plan of the round's year (empty without one):
    who may answer a question in the LKE may mark it fixed (permissions.can_answer_lke)."""
    lke = lke_tahun(peserta.putaran.tahun)
    if lke is None:
        return {}
    rk = selectors.rencana_peserta(peserta)  # unsaved without a plan: no links, no PIC
    return lke_selectors.pic_per_soal(lke_selectors.tautan_rencana(rk, lke))


def boleh_perbaiki_soal(user, peserta, soal_id, pic):
    """May `user` mark this sent-back question fixed: the Sekretaris, or its PIC (`pic`:
    pic_soal), as on the LKE page."""
    return boleh_perbaiki(user, peserta) and permissions.can_answer_lke(
        user, peserta.unit, pic.get(soal_id))


def peserta_terlihat(user):
    """Every peserta the user may see, as a queryset (for lists)."""
    qs = PesertaEvaluasi.objects.filter(unit__is_active=True)
    if permissions.is_admin(user):
        return qs
    unit_ids = [u.pk for u in permissions.unit_anggota(user)
                if permissions.peran_di_unit(user, u) & PERAN_UNIT_EVALUASI]
    return qs.filter(Q(penugasan__user=user) | Q(unit_id__in=unit_ids)).distinct()


def get_peserta_for_user(request, tahun, kode):
    """The unit's place in the round of `tahun`: 404 for whoever may not see it."""
    peserta = get_object_or_404(_peserta_qs(), putaran__tahun=tahun, unit__kode=kode,
                                unit__is_active=True)
    if not boleh_lihat(request.user, peserta):
        raise Http404
    return peserta


def get_peserta_for_admin(request, tahun, kode):
    """As get_peserta_for_user; 403 for whoever sees it but is not the Admin."""
    peserta = get_peserta_for_user(request, tahun, kode)
    if not permissions.is_admin(request.user):
        raise PermissionDenied
    return peserta


def periksa_admin(request):
    if not permissions.is_admin(request.user):
        raise PermissionDenied


def get_putaran_for_admin(request, tahun):
    periksa_admin(request)
    return get_object_or_404(PutaranEvaluasi, tahun=tahun)


def get_peserta_for_tpi(request, tahun, kode):
    """As get_peserta_for_user; 403 for whoever sees it but is not a TPI assigned to it."""
    peserta = get_peserta_for_user(request, tahun, kode)
    if not tpi_ditugaskan(request.user, peserta):
        raise PermissionDenied
    return peserta


def get_peserta_or_none(request, tahun, kode):
    """The unit's place in the round of `tahun`, or None when the unit, which the user
    sees, takes no part in it (a page can say so); 404 for whoever may not see it."""
    if not PesertaEvaluasi.objects.filter(putaran__tahun=tahun, unit__kode=kode).exists():
        permissions.get_unit_for_user(request, kode)
        return None
    return get_peserta_for_user(request, tahun, kode)


# the LHE: the ketua TPI writes and signs; the assigned TPI and the Admin read the draft;
# the unit's Sekretaris and Kepala Dinas read the signed versions
PERAN_LHE_UNIT = {Peran.SEKRETARIS, Peran.KEPALA_DINAS}


def ketua_tpi(user, peserta):
    return any(p.user_id == user.pk and p.ketua for p in peserta.penugasan.all())


def boleh_baca_lhe(user, peserta):
    """The signed LHE: the assigned TPI, the Admin, the unit's Sekretaris and Kepala Dinas."""
    return (tpi_ditugaskan(user, peserta) or permissions.is_admin(user)
            or (peserta.unit.is_active
                and bool(permissions.peran_di_unit(user, peserta.unit) & PERAN_LHE_UNIT)))


def get_peserta_for_lhe(request, tahun, kode):
    """The LHE draft: the assigned TPI and the Admin (others who see the unit 403)."""
    peserta = get_peserta_for_user(request, tahun, kode)
    if not (tpi_ditugaskan(request.user, peserta) or permissions.is_admin(request.user)):
        raise PermissionDenied
    return peserta


def get_peserta_for_ketua(request, tahun, kode):
    """Writing and signing the LHE: the ketua TPI only."""
    peserta = get_peserta_for_user(request, tahun, kode)
    if not ketua_tpi(request.user, peserta):
        raise PermissionDenied
    return peserta


def get_lhe_tertanda_for_user(request, tahun, kode, nomor):
    peserta = get_peserta_for_user(request, tahun, kode)
    if not boleh_baca_lhe(request.user, peserta):
        raise PermissionDenied
    return get_object_or_404(peserta.lhe_tertanda.select_related("peserta__unit",
                                                                 "peserta__putaran"),
                             nomor=nomor)
