import re
from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from organisasi.models import nama_pengguna
from rencana_aksi.bulan import rentang_bulan
from umum.angka import bilangan, persen

register = template.Library()


@register.filter
def chip_bulan(ra):
    """Chip labels of a rencana aksi's target months (ranges compacted)."""
    return rentang_bulan(ra.bulan_list())


@register.filter
def sorot(text, query):
    """Escape `text` and wrap case-insensitive matches of `query` in <mark>."""
    text = str(text)
    query = (query or "").strip()
    if not query:
        return conditional_escape(text)
    parts = re.split(f"({re.escape(query)})", text, flags=re.IGNORECASE)
    return mark_safe("".join(  # noqa: S308 - every piece is escaped
        f"<mark>{conditional_escape(p)}</mark>" if i % 2 else conditional_escape(p)
        for i, p in enumerate(parts)
    ))


@register.filter(name="nama_pengguna")
def nama_pengguna_filter(user):
    return nama_pengguna(user)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "")


@register.filter
def batang(h):
    """A progress bar as inline SVG: approved / waiting / revision over the total (a
    Hitungan). A filter, not an include: dashboards draw dozens of them."""

    parts = []
    if h.total:
        x = 0.0
        for n, colour in ((h.disetujui, "#198754"), (h.menunggu, "#0dcaf0"),
                          (h.perbaikan, "#ffc107")):
            w = 100 * n / h.total
            if w:
                parts.append(f'<rect x="{x:.2f}" y="0" width="{w:.2f}" height="8" fill="{colour}"/>')
            x += w
    label = gettext("%(p)s persen disetujui") % {"p": h.persen if h.persen is not None else 0}
    return format_html(
        '<svg class="batang" viewBox="0 0 100 8" preserveAspectRatio="none" width="100%" '
        'height="10" role="img" aria-label="{}"><rect x="0" y="0" width="100" height="8" '
        'fill="#e9ecef"/>{}</svg>', label, mark_safe("".join(parts)))  # noqa: S308 - numbers only


@register.filter
def potong(text, n):
    """Shorten to n characters with an ellipsis; a plain slice (Django's truncatechars
    is slow on long lists)."""
    text = str(text)
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


@register.simple_tag
def url_pola(name, *args):
    """The URL of `name` with its last argument left open: returns (prefix, suffix) so
    that a long list builds each row's link by concatenation instead of reverse()."""

    mark = 987654321
    return tuple(reverse(name, args=[*args, mark]).split(str(mark)))


@register.filter
def huruf_status(state):
    """One letter for a timeline cell in print (D, M, P, T, B)."""
    return {"disetujui": "D", "menunggu": "M", "perbaikan": "P", "terlambat": "T",
            "kosong": "B"}.get(state, "")


@register.filter
def angka_lke(value):
    """A count of an LKE count row: "12", or "—" when missing."""
    if value is None:
        return "—"
    return bilangan(value)


@register.filter
def persen_nilai(value):
    """A 0..1 value as a percentage with two decimals and a decimal comma: "87,50 %"."""
    if value is None:
        return "—"
    return persen(Decimal(value) * 100)


@register.inclusion_tag("_remah.html")
def remah(unit=None, tahun=None, *langkah):
    """Breadcrumbs: Beranda > the unit and year (its plan) > `langkah`, given as label, url,
    label, url, ..., the last label (the page itself) without url."""
    pasangan = [(langkah[i], langkah[i + 1] if i + 1 < len(langkah) else "")
                for i in range(0, len(langkah), 2)]
    return {"unit": unit, "tahun": tahun, "langkah": pasangan}
