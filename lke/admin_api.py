"""Admin for PortalRB: API tokens and unit proposals (filled in by the API work)."""
