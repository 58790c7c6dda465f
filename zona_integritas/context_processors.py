from django.db.models import Max
from django.utils import timezone

from organisasi import permissions
from rencana_aksi.models import RencanaKerja


def navigation(request):
    """Units the user may switch to, for the navigation bar."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    is_admin = permissions.is_admin(user)
    units = [] if is_admin else permissions.unit_anggota(user)
    evaluator = is_admin or any(permissions.can_see_overview(user, u) for u in units)
    wilayah = None
    if evaluator:  # the latest year that has plans, else this year
        wilayah = (RencanaKerja.objects.filter(unit__in=permissions.units_for_user(user))
                   .aggregate(t=Max("tahun"))["t"] or timezone.localdate().year)
    return {
        "nav_wilayah": wilayah,
        "nav_is_admin": is_admin,
        "nav_unit_tinjau": [u for u in units if permissions.can_review(user, u)],
        "nav_tugas": any(permissions.can_upload(user, u) for u in units),
    }
