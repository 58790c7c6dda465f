"""PortalRB endpoints under /api/portalrb/ (docs/portalrb.md). PortalRB calls them without
a trailing slash; both forms are accepted, and anything else is a JSON 404."""

from django.urls import re_path

from . import api

app_name = "portalrb"

urlpatterns = [
    re_path(r"^pengusulan/unit-wbk/?$", api.unit_wbk, name="unit_wbk"),
    re_path(r"^pengusulan/unit-wbbm/?$", api.unit_wbbm, name="unit_wbbm"),
    re_path(r"^lke/jawaban-unit/(?P<unit_id>[0-9]{1,18})/?$", api.jawaban_unit,
            name="jawaban_unit"),
    # the evidence page of a signed link (HTML, for PortalRB's evaluators)
    re_path(r"^bukti/(?P<nilai>[^/]+)/?$", api.bukti, name="bukti"),
    re_path(r"^", api.tidak_ditemukan),
]
