"""Who may do what in which unit: the rules by role. Every view, template and export
asks here; each app loads its own rows through these rules (its `akses.py`).

Like healthchecks' `_get_check_for_user`: getters return 404 when the user has no access
to the unit at all (nothing leaks about other units) and 403 when the access is read-only."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Keanggotaan, Peran, UnitKerja

# Roles that may edit a unit's plan (structure, texts, months, PIC).
PERAN_UBAH_RENCANA = {Peran.SEKRETARIS}


def _peran_cache(user):
    """{unit_id or None: set(roles)} for the user, cached on the user object."""
    if not hasattr(user, "_zi_peran"):
        roles, units = {}, {}
        if user.is_authenticated and user.is_active:
            for k in Keanggotaan.objects.filter(user=user).select_related("unit"):
                roles.setdefault(k.unit_id, set()).add(k.peran)
                if k.unit and k.unit.is_active:
                    units[k.unit_id] = k.unit
        user._zi_peran, user._zi_unit = roles, units
    return user._zi_peran


def unit_anggota(user):
    """The active units where the user has a role, loaded with the roles (no query)."""
    _peran_cache(user)
    return sorted(getattr(user, "_zi_unit", {}).values(), key=lambda u: u.nama)


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
    unit = next((u for u in unit_anggota(request.user) if u.kode == kode), None)
    if unit is None:  # the Admin's units are not memberships
        unit = get_object_or_404(UnitKerja, kode=kode, is_active=True)
    if not can_view_unit(request.user, unit):
        raise Http404
    return unit


def periksa_akses(request, unit, write=False):
    """404 for strangers, 403 for read-only access when writing."""
    if not can_view_unit(request.user, unit):
        raise Http404
    if write and not can_edit_plan(request.user, unit):
        raise PermissionDenied


# --- evidence ---------------------------------------------------------------------------

PERAN_UNGGAH = {Peran.ANGGOTA, Peran.SEKRETARIS}
PERAN_TINJAU = {Peran.SEKRETARIS}


def can_upload(user, unit):
    return unit.is_active and bool(peran_di_unit(user, unit) & PERAN_UNGGAH)


def can_upload_to(user, rencana_aksi):
    """Upload to this action (any object with its unit path and `pic_efektif()`): a team
    member of its unit, and when the Sekretaris restricts
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


# --- semester reports -------------------------------------------------------------------

def can_write_report(user, unit):
    """Write the report draft and submit it: the Sekretaris."""
    return can_review(user, unit)


def can_sign_report(user, unit):
    """Sign off or return a report: only the Kepala Dinas of that unit (not the Admin)."""
    return unit.is_active and Peran.KEPALA_DINAS in _peran_cache(user).get(unit.pk, set())


def can_view_report(user, unit):
    return can_view_dashboard(user, unit)


def periksa_laporan(request, unit):
    """404 for strangers, 403 for team members without access to the unit's reports."""
    if not can_view_unit(request.user, unit):
        raise Http404
    if not can_view_report(request.user, unit):
        raise PermissionDenied


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


# --- evaluation round ---------------------------------------------------------------

def is_tpi(user):
    """Holds the TPI role in some unit: an evaluator of the round."""
    return any(Peran.TPI in roles for roles in _peran_cache(user).values())


def can_submit_self_assessment(user, unit):
    """Submit the unit's LKE self-assessment to the TPI: its Sekretaris (not the Admin)."""
    return unit.is_active and Peran.SEKRETARIS in _peran_cache(user).get(unit.pk, set())


# --- people -----------------------------------------------------------------------------

# Roles held in a unit (the Admin's role has no unit).
PERAN_UNIT = [Peran.ANGGOTA, Peran.SEKRETARIS, Peran.KEPALA_DINAS, Peran.TPI]


def can_manage_members(user, unit):
    """The unit's people page (invite, roles, deactivate): the Admin and its Sekretaris."""
    return unit.is_active and bool(peran_di_unit(user, unit) & {Peran.SEKRETARIS, Peran.ADMIN})


def peran_boleh_diatur(user, unit):
    """Roles the user may give or take in `unit`. The Kepala Dinas signs the reports and
    the TPI evaluates the unit: only the Admin appoints them, not the unit's Sekretaris."""
    if not can_manage_members(user, unit):
        return []
    if is_admin(user):
        return list(PERAN_UNIT)
    return [Peran.ANGGOTA, Peran.SEKRETARIS]
