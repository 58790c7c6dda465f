from zona_integritas import permissions


def navigation(request):
    """Units the user may switch to, for the navigation bar."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"nav_is_admin": permissions.is_admin(user)}
