from . import navigasi


def navigation(request):
    """The navigation bar of the user's roles in the current unit and year."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    pos, utama, lain = navigasi.bilah(request)
    return {"nav_posisi": pos, "nav_utama": utama, "nav_lain": lain}
