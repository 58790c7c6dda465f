import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from rencana_aksi.bulan import rentang_bulan

register = template.Library()


@register.filter
def chip_bulan(ra):
    """Chip labels of a rencana aksi's target months (ranges compacted)."""
    return rentang_bulan(ra.bulan_list())


@register.filter
def sorot(text, query):
    """Escape `text` and wrap case-insensitive matches of `query` in <mark>."""
    text = conditional_escape(text)
    query = (query or "").strip()
    if not query:
        return text
    pattern = re.compile(re.escape(conditional_escape(query)), re.IGNORECASE)
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", text))


@register.filter
def nama_pengguna(user):
    return (user.get_full_name() or user.username) if user else ""
