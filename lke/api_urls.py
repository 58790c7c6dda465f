"""PortalRB endpoints under /api/portalrb/."""

urlpatterns = []
