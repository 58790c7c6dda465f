"""Numbers as Indonesian readers write them: a decimal comma, never scientific notation.
Pages use Django's localized formatting (LANGUAGE_CODE "id"); these are for text made
outside a template (PDF lines, messages, spreadsheets, commands), whatever the language."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.numberformat import format as _format


def desimal(d, tempat=2):
    """`d` rounded half up to `tempat` decimals: 59,87."""
    q = Decimal(str(d)).quantize(Decimal(1).scaleb(-tempat), ROUND_HALF_UP)
    return _format(q, ",", decimal_pos=tempat)


def bilangan(d):
    """A figure as it is, without trailing zeros: 10, 2,5."""
    return format(Decimal(str(d)).normalize(), "f").replace(".", ",")


def persen(d, tempat=2):
    """A percentage (already times 100): 87,50 %."""
    return f"{desimal(d, tempat)} %"


def megabita(n):
    """A size in bytes as megabytes with one decimal: 12,5 MB."""
    return f"{desimal(Decimal(n) / 1_000_000, 1)} MB"


def ribuan(n):
    """A whole number with thousands points: 12.345."""
    return _format(int(n), ",", grouping=3, thousand_sep=".", force_grouping=True)
