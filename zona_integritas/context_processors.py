from zona_integritas import permissions


def navigation(request):
    """Units the user may switch to, for the navigation bar."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    is_admin = permissions.is_admin(user)
    tinjau = [] if is_admin else [u for u in permissions.units_for_user(user)
                                  if permissions.can_review(user, u)]
    return {"nav_is_admin": is_admin, "nav_unit_tinjau": tinjau}
