"""Refuse an oversized request before its body is read (and before the CSRF check parses
it): a clear page with 413, the body is never read."""

from django.conf import settings
from django.shortcuts import render


class BatasPermintaanMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            panjang = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            panjang = 0
        if panjang > settings.ZI_MAKS_PERMINTAAN:
            resp = render(request, "413.html", {"maks_mb": settings.ZI_MAKS_UKURAN_MB}, status=413)
            resp["Connection"] = "close"  # the unread body is not kept on this connection
            return resp
        return self.get_response(request)
