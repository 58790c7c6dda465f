"""The LKE as XLSX in the workbook's layout: one sheet with the parts, areas, komponen and
questions (weights, answers, notes, values, scores) and one with the summary and criteria.
Values, not formulas: the score is computed in one place (lke/skor.py)."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from umum import xlsx
from umum.xlsx import ABU, BUNGKUS, HIJAU, JUDUL, MIRING, TEBAL


def _f(d):
    return float(d) if d is not None else None


def lke_xlsx(rk, skor):
    wb = Workbook()
    ws = wb.active
    ws.title = "LKE"
    ws.append([_("LKE Zona Integritas %(t)s — %(u)s") % {"t": skor.lke.tahun, "u": rk.unit.nama}])
    ws["A1"].font = JUDUL
    ws.append([])
    kolom = [_("Kode"), _("Komponen / Pertanyaan"), _("Jenis jawaban"), _("Bobot"),
             _("Jawaban unit"), _("Catatan unit"), _("Jawaban TPI"), _("Catatan TPI"),
             _("Nilai (0-1)"), _("Nilai"), _("Yang dihitung"), _("soal_id PortalRB"),
             _("Bukti dukung disetujui")]
    ws.append(kolom)
    for c in ws[3]:
        c.font = TEBAL
        c.fill = HIJAU
    bagian = None
    for a in skor.areas:
        if a.area.bagian != bagian:
            bagian = a.area.bagian
            ws.append(["", a.area.get_bagian_display().upper()])
            ws.cell(ws.max_row, 2).font = TEBAL
        ws.append([a.area.kode, a.area.nama, "", _f(a.area.bobot), "", "", "", "", "", _f(a.nilai)])
        for c in ws[ws.max_row]:
            c.font = TEBAL
            c.fill = ABU
        for k in a.komponen:
            ws.append([k.komponen.kode, k.komponen.nama, "", _f(k.komponen.bobot), "", "", "", "", "",
                       _f(k.nilai)])
            ws.cell(ws.max_row, 2).font = MIRING
            for ns in k.soal:
                j = ns.jawaban
                sumber = {"tpi": _("TPI"), "unit": _("unit")}.get(ns.sumber, "")
                if ns.soal.angka:
                    unit, tpi, nilai = _f(ns.angka_unit), _f(ns.angka_tpi), None
                else:
                    unit = j.jawaban_unit if j else ""
                    tpi, nilai = (j.jawaban_tpi if j else ""), _f(ns.nilai)
                ws.append([ns.soal.kode, ns.soal.judul, ns.soal.jenis.nama, "", unit,
                           "\n".join(x for x in [ns.keterangan if ns.dari_isian else "",
                                                 j.catatan_unit if j else ""] if x),
                           tpi, j.catatan_tpi if j else "", nilai, "", sumber, ns.soal.soal_id,
                           "\n".join(b.nama_asli for b in getattr(ns, "bukti", []))])
            for r in k.rumus:
                sumber = {"tpi": _("TPI"), "unit": _("unit")}.get(r.sumber, "")
                ws.append(["", _("Rumus: %(n)s") % {"n": r.judul}, "", "", "", r.uraian, "", "",
                           _f(r.nilai), "", sumber])
                ws.cell(ws.max_row, 2).font = MIRING
    xlsx.lebar(ws, [10, 70, 16, 8, 14, 40, 12, 40, 11, 9, 12, 14, 40])
    for row in ws.iter_rows(min_row=4):
        for i in (1, 5, 7, 12):
            row[i].alignment = BUNGKUS
    ws.freeze_panes = "C4"

    rs = wb.create_sheet(_("Ringkasan"))
    rs.append([_("Ringkasan LKE %(t)s — %(u)s") % {"t": skor.lke.tahun, "u": rk.unit.nama}])
    rs["A1"].font = JUDUL
    rs.append([])
    for label, v in [(_("Nilai total"), skor.total),
                     (_("Penilaian mandiri unit (tanpa TPI)"), skor.total_unit),
                     (_("Pengungkit"), skor.pengungkit),
                     (_("Pemenuhan"), skor.pemenuhan), (_("Reform"), skor.reform),
                     (_("Hasil"), skor.hasil)]:
        rs.append([label, _f(v)])
    rs.append([])
    rs.append([_("Area (Pemenuhan + Reform)"), _("Pemenuhan"), _("Reform"), _("Nilai"), _("Bobot"),
               _("% bobot")])
    for c in rs[rs.max_row]:
        c.font = TEBAL
    for pa in skor.per_area.values():
        rs.append([f"{pa['kode']}. {pa['nama']}", _f(pa["pemenuhan"]), _f(pa["reform"]),
                   _f(pa["nilai"]), _f(pa["bobot"]), _f(pa["persen"])])
    for p, hp in skor.predikat.items():
        rs.append([])
        rs.append([_("Menuju %(p)s") % {"p": p}, _("memenuhi") if hp.lulus else _("belum memenuhi")])
        rs.cell(rs.max_row, 1).font = TEBAL
        rs.append([_("Kriteria"), _("Nilai"), _("Batas"), _("Memenuhi"), _("Kurang (poin)")])
        for k in hp.kriteria:
            rs.append([k.nama, _f(k.nilai), _f(k.batas), _("ya") if k.lulus else _("tidak"),
                       _f(k.kurang)])
    rs.column_dimensions["A"].width = 55
    xlsx.teks_semua(ws)
    xlsx.teks_semua(rs)
    return xlsx.simpan(wb)
