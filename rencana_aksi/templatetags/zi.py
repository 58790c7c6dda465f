import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from rencana_aksi.bulan import rentang_bulan
from rencana_aksi.models import nama_pengguna

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
