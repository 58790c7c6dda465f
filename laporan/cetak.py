"""The semester report as HTML and as a PDF (WeasyPrint), from one template."""

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

from umum.qr import qr_data_uri

from .selectors import isi_laporan


def html_laporan(rk, semester, laporan=None, **extra):
    """The report's HTML. `extra`: sign-off fields (penandatangan, nip,
    ditandatangani_pada, kode_verifikasi, url_verifikasi, sertifikat: tte.InfoSertifikat)."""
    ctx = isi_laporan(rk, semester, laporan)
    kepala = ctx["kepala"]
    ctx["penandatangan"] = extra.pop("penandatangan", None) or (
        kepala.get_full_name() if kepala else "")
    ctx["nip"] = extra.pop("nip", None) or ctx["nip_kepala"]
    ctx.update(extra)
    if ctx.get("url_verifikasi"):  # on the signature block and every page's footer
        ctx["qr_verifikasi"] = qr_data_uri(ctx["url_verifikasi"])
    return render_to_string("laporan/cetak/laporan.html", ctx)


def pdf_dari_html(html):
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_laporan(rk, semester, laporan=None, **extra):
    return pdf_dari_html(html_laporan(rk, semester, laporan, **extra))
