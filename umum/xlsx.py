"""Spreadsheets the app writes: one look (bold header, fills, wrapped text, widths, a
frozen header, filters) and one safety rule (text that starts with "=" stays text, so no
formula runs in the reader's Excel)."""

import io

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

TEBAL = Font(bold=True)
MIRING = Font(italic=True)
JUDUL = Font(bold=True, size=13)
HIJAU = PatternFill("solid", fgColor="D1E7DD")
ABU = PatternFill("solid", fgColor="F1F3F5")
BUNGKUS = Alignment(wrap_text=True, vertical="top")


def teks(cell):
    """Typed text such as "=HYPERLINK(...)" stays text."""
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def teks_semua(ws):
    for row in ws.iter_rows():
        for cell in row:
            teks(cell)


def lebar(ws, widths):
    """Column widths: a list from column A, or {column number: width}."""
    items = widths.items() if isinstance(widths, dict) else enumerate(widths, start=1)
    for i, w in items:
        ws.column_dimensions[get_column_letter(i)].width = w


def rapikan(ws, widths):
    """A plain table sheet: bold header row 1, wrapped rows, widths, frozen header,
    filters, text kept text."""
    lebar(ws, widths)
    for cell in ws[1]:
        cell.font = TEBAL
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = BUNGKUS
            teks(cell)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    return ws


def lembar(wb, title, columns, rows):
    """A new table sheet `title` of [(header, width)] `columns` and `rows`."""
    ws = wb.create_sheet(title[:31])
    ws.append([c for c, _w in columns])
    for row in rows:
        ws.append(row)
    return rapikan(ws, [w for _c, w in columns])


def simpan(wb):
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
