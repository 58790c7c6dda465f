"""Who may see and change what. Every view, template and export asks here.

Like healthchecks' `_get_check_for_user`: getters return 404 when the user has no access
to the unit at all (nothing leaks about other units) and 403 when the access is read-only."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from rencana_aksi.models import (
    Indikator,
    Keanggotaan,
    Komponen,
    Peran,
    RencanaAksi,
    RencanaKerja,
    UnitKerja,
)

# Roles that may edit a unit's plan (structure, texts, months, PIC).
PERAN_UBAH_RENCANA = {Peran.SEKRETARIS}


def _peran_cache(user):
    """{unit_id or None: set(roles)} for the user, cached on the user object."""
    if not hasattr(user, "_zi_peran"):
        roles = {}
        if user.is_authenticated and user.is_active:
            for unit_id, peran in Keanggotaan.objects.filter(user=user).values_list(
                "unit_id", "peran"
            ):
                roles.setdefault(unit_id, set()).add(peran)
        user._zi_peran = roles
    return user._zi_peran


def is_admin(user):
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Peran.ADMIN in _peran_cache(user).get(None, set())


def peran_di_unit(user, unit):
    """The user's roles in `unit` (Admin counts everywhere)."""
    roles = set(_peran_cache(user).get(unit.pk if unit else None, set()))
    if is_admin(user):
        roles.add(Peran.ADMIN)
    return roles


def units_for_user(user):
    """Units the user may see."""
    if is_admin(user):
        return UnitKerja.objects.filter(is_active=True)
    ids = [uid for uid in _peran_cache(user) if uid is not None]
    return UnitKerja.objects.filter(pk__in=ids, is_active=True)


def can_view_unit(user, unit):
    return unit.is_active and bool(peran_di_unit(user, unit))


def can_edit_plan(user, unit):
    if not unit.is_active:
        return False
    roles = peran_di_unit(user, unit)
    return bool(roles & PERAN_UBAH_RENCANA) or Peran.ADMIN in roles


def can_import_plan(user, unit):
    return can_edit_plan(user, unit)


def anggota_tim(unit):
    """Users who can be PIC in the unit (Tim ZI members and the Sekretaris)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            keanggotaan__unit=unit,
            keanggotaan__peran__in=[Peran.ANGGOTA, Peran.SEKRETARIS],
            is_active=True,
        )
        .distinct()
        .order_by("first_name", "username")
    )


def get_unit_for_user(request, kode):
    unit = get_object_or_404(UnitKerja, kode=kode, is_active=True)
    if not can_view_unit(request.user, unit):
        raise Http404
    return unit


def _periksa(request, unit, write):
    """404 for strangers, 403 for read-only access when writing."""
    if not can_view_unit(request.user, unit):
        raise Http404
    if write and not can_edit_plan(request.user, unit):
        raise PermissionDenied


def get_rencana_kerja_for_user(request, kode, tahun, write=False):
    unit = get_unit_for_user(request, kode)
    rk = get_object_or_404(RencanaKerja.objects.select_related("unit"), unit=unit, tahun=tahun)
    _periksa(request, unit, write)
    return rk


def get_rencana_aksi_for_user(request, pk, write=False):
    ra = get_object_or_404(
        RencanaAksi.objects.select_related(
            "indikator__komponen__area_rencana__rencana_kerja__unit",
            "indikator__komponen__area_rencana__area",
            "indikator__komponen__area_rencana__bagian",
            "indikator__komponen__pic",
            "pic",
        ),
        pk=pk,
    )
    _periksa(request, ra.indikator.komponen.area_rencana.rencana_kerja.unit, write)
    return ra


def get_indikator_for_user(request, pk, write=False):
    ind = get_object_or_404(
        Indikator.objects.select_related(
            "komponen__area_rencana__rencana_kerja__unit", "komponen__area_rencana__area",
            "komponen__area_rencana__bagian",
        ),
        pk=pk,
    )
    _periksa(request, ind.komponen.area_rencana.rencana_kerja.unit, write)
    return ind


def get_komponen_for_user(request, pk, write=False):
    k = get_object_or_404(
        Komponen.objects.select_related(
            "area_rencana__rencana_kerja__unit", "area_rencana__area", "area_rencana__bagian", "pic"
        ),
        pk=pk,
    )
    _periksa(request, k.area_rencana.rencana_kerja.unit, write)
    return k


# --- evidence ---------------------------------------------------------------------------

PERAN_UNGGAH = {Peran.ANGGOTA, Peran.SEKRETARIS}
PERAN_TINJAU = {Peran.SEKRETARIS}


def can_upload(user, unit):
    return unit.is_active and bool(peran_di_unit(user, unit) & PERAN_UNGGAH)


def can_upload_to(user, rencana_aksi):
    """Upload to this action: a team member of its unit, and when the Sekretaris restricts
    uploads, only a member who is its (effective) PIC; the Sekretaris always."""
    unit = rencana_aksi.indikator.komponen.area_rencana.rencana_kerja.unit
    roles = peran_di_unit(user, unit)
    if not unit.is_active or not roles & PERAN_UNGGAH:
        return False
    if Peran.SEKRETARIS in roles or not unit.unggah_hanya_pic:
        return True
    return rencana_aksi.pic_efektif() == user


PERAN_DASBOR = {Peran.SEKRETARIS, Peran.KEPALA_DINAS, Peran.TPI, Peran.ADMIN}
PERAN_IKHTISAR = {Peran.TPI, Peran.ADMIN}


def can_view_dashboard(user, unit):
    """The unit's dashboard, timeline and item lists (not for team members)."""
    return bool(peran_di_unit(user, unit) & PERAN_DASBOR)


def can_see_overview(user, unit):
    """The unit in the regency overview: those who evaluate across units."""
    return bool(peran_di_unit(user, unit) & PERAN_IKHTISAR)


def can_review(user, unit):
    return unit.is_active and bool(peran_di_unit(user, unit) & PERAN_TINJAU)


def _unit_bd(bd):
    return bd.rencana_aksi.indikator.komponen.area_rencana.rencana_kerja.unit


_BD_RELATED = "rencana_aksi__indikator__komponen__area_rencana__rencana_kerja__unit"


def get_bukti_dukung_for_user(request, pk, upload=False):
    from rencana_aksi.models import BuktiDukung

    bd = get_object_or_404(BuktiDukung.objects.select_related(_BD_RELATED), pk=pk)
    unit = _unit_bd(bd)
    if not can_view_unit(request.user, unit):
        raise Http404
    if upload and not can_upload(request.user, unit):
        raise PermissionDenied
    return bd


def get_pengajuan_for_user(request, pk, review=False):
    from bukti_dukung.models import Pengajuan

    p = get_object_or_404(Pengajuan.objects.select_related(
        f"bukti_dukung__{_BD_RELATED}", "bukti_dukung__rencana_aksi__indikator__komponen__"
        "area_rencana__area", "ditinjau_oleh"), pk=pk)
    unit = _unit_bd(p.bukti_dukung)
    if not can_view_unit(request.user, unit):
        raise Http404
    if review and not can_review(request.user, unit):
        raise PermissionDenied
    return p


def get_berkas_for_user(request, pk, upload=False):
    from bukti_dukung.models import Berkas

    b = get_object_or_404(Berkas.objects.select_related(
        f"pengajuan__bukti_dukung__{_BD_RELATED}", "diunggah_oleh"), pk=pk)
    unit = _unit_bd(b.pengajuan.bukti_dukung)
    if not can_view_unit(request.user, unit):
        raise Http404
    if upload and not can_upload(request.user, unit):
        raise PermissionDenied
    return b


# --- semester reports -------------------------------------------------------------------

def can_write_report(user, unit):
    """Write the report draft and submit it: the Sekretaris."""
    return can_review(user, unit)


def can_sign_report(user, unit):
    """Sign off or return a report: only the Kepala Dinas of that unit (not the Admin)."""
    return unit.is_active and Peran.KEPALA_DINAS in _peran_cache(user).get(unit.pk, set())


def can_view_report(user, unit):
    return can_view_dashboard(user, unit)


def get_laporan_for_user(request, kode, tahun, semester):
    """The report of a plan and semester (an unsaved empty draft until first written);
    404 for strangers, 403 for team members, like the dashboard."""
    from laporan.models import Laporan

    if semester not in (1, 2):
        raise Http404
    rk = get_rencana_kerja_for_user(request, kode, tahun)
    if not can_view_report(request.user, rk.unit):
        raise PermissionDenied
    laporan = Laporan.objects.filter(rencana_kerja=rk, semester=semester).first()
    laporan = laporan or Laporan(rencana_kerja=rk, semester=semester)
    laporan.rencana_kerja = rk
    return laporan


def _periksa_laporan(request, unit):
    """404 for strangers, 403 for team members without access to the unit's reports."""
    if not can_view_unit(request.user, unit):
        raise Http404
    if not can_view_report(request.user, unit):
        raise PermissionDenied


def get_laporan_tertanda_for_user(request, pk):
    from laporan.models import LaporanTertanda

    lt = get_object_or_404(LaporanTertanda.objects.select_related(
        "laporan__rencana_kerja__unit"), pk=pk)
    _periksa_laporan(request, lt.laporan.rencana_kerja.unit)
    return lt


def get_tugas_for_user(request, pk):
    """A background task (draft PDF, sign-off, ZIP) and its file: for whoever may read the
    unit's reports; 404 for strangers."""
    from laporan.models import Tugas

    tugas = get_object_or_404(Tugas.objects.select_related("rencana_kerja__unit", "dibuat_oleh"),
                              pk=pk)
    _periksa_laporan(request, tugas.rencana_kerja.unit)
    return tugas


# --- LKE --------------------------------------------------------------------------------

def can_view_lke(user, unit):
    """The unit's LKE page: everyone with a role in the unit (members answer there)."""
    return can_view_unit(user, unit)


def can_answer_lke(user, unit, pic_soal=None):
    """The unit's answer to a question: the Sekretaris, or a team member who is PIC of a
    komponen or rencana aksi linked to it (`pic_soal`: the question's PIC user ids)."""
    roles = peran_di_unit(user, unit)
    if not unit.is_active:
        return False
    if Peran.SEKRETARIS in roles:
        return True
    return Peran.ANGGOTA in roles and user.pk in (pic_soal or ())


def can_assess_lke(user, unit):
    """The TPI's own answer and note: a TPI of this unit."""
    return unit.is_active and Peran.TPI in peran_di_unit(user, unit)


def can_link_lke(user, unit):
    """Link the plan's indikator to LKE questions: who edits the plan."""
    return can_edit_plan(user, unit)


def can_import_lke(user, unit):
    """Import the official LKE workbook: who answers every question of the unit (the
    Sekretaris) or assesses it (TPI); each only into their own columns."""
    return can_answer_lke(user, unit) or can_assess_lke(user, unit)
