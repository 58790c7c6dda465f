"""The official LKE 2026 scored by hand: a whole workbook (sheet "Jawaban", K = the unit's
answer, N = the TPI's, at each soal_id's row) imported into a 2026 copy of the seed plan, and
every komponen, part, area, the total and the predicate criteria computed here by hand from
lke.md: all answer types, every numeric komponen rule (B.I.1, B.III.3, B.IV.1, B.V.2, B.V.3,
B.VI.1, the Hasil surveys), 0 / 0, x / 0, a value capped at 1, and the TPI overriding a
choice, a count and a survey index."""

import io
from decimal import Decimal as D

import pytest
from openpyxl import Workbook

from lke import lembar_kerja
from lke.models import SoalLke
from lke.selectors import lke_tahun, skor_rencana
from rencana_aksi.services import salin_rencana_kerja

# kode: unit's answer (column K) or (unit, TPI (column N)); rows not listed stay empty
JAWABAN = {
    # Pemenuhan -------------------------------------------------------------------------
    "A.I.1.a": "Ya", "A.I.1.b": "B",                                  # (1 + .5)/2 x .5 = .375 -> .38
    "A.I.2.a": "Ya", "A.I.2.b": "A", "A.I.2.c": "C",                 # 2/3 x 1 = .67
    "A.I.3.a": "B", "A.I.3.b": "A", "A.I.3.c": "D",                  # (.67 + 1 + 0)/3 = .5567 -> .56
    "A.I.4.a": "Tidak", "A.I.4.b": "A", "A.I.4.c": "A", "A.I.4.d": "C",  # 2.33/4 x 1.5 = .87375 -> .87
    "A.II.1.a": "A", "A.II.1.b": "B", "A.II.1.c": "E",               # (1 + .75 + 0)/3 = .5833 -> .58
    "A.II.2.a": "A", "A.II.2.b": "A", "A.II.2.c": "A", "A.II.2.d": "A",  # 2.00
    "A.II.3.a": "A", "A.II.3.b": ("A", "C"),                         # TPI: (1 + 0)/2 x .5 = .25
    "A.III.1.a": "Ya", "A.III.1.b": "A", "A.III.1.c": "Ya",          # .25
    "A.III.2.a": "Ya", "A.III.2.b": "C", "A.III.2.c": "Tidak",       # 1.5/3 x .5 = .25
    "A.III.3.a": "Ya", "A.III.3.b": "A", "A.III.3.c": "A", "A.III.3.d": "A", "A.III.3.e": "A",
    "A.III.3.f": "A",                                                # 1.25
    "A.III.4.a": "A", "A.III.4.b": "B", "A.III.4.c": "D", "A.III.4.d": "Ya",  # 2.92/4 x 2 = 1.46
    # A.III.5.a unanswered: 0
    "A.III.6.a": "B",                                                # .5 x .25 = .125 -> .13
    "A.IV.1.a": "A", "A.IV.1.b": "A", "A.IV.1.c": "A",               # 2.50
    "A.IV.2.a": "Ya", "A.IV.2.b": "Ya", "A.IV.2.c": "Ya", "A.IV.2.d": "A",
    "A.IV.2.e": ("Ya", "Tidak"), "A.IV.2.f": "A", "A.IV.2.g": "Ya", "A.IV.2.h": "A",  # 7/8 x 2.5 -> 2.19
    "A.V.1.a": "A", "A.V.1.b": "A",
    "A.V.2.a": "A", "A.V.2.b": "A", "A.V.2.c": "A", "A.V.2.d": "A",
    "A.V.3.a": "A", "A.V.3.b": "Ya", "A.V.3.c": "A", "A.V.3.d": "A",
    "A.V.4.a": "A", "A.V.4.b": "A", "A.V.4.c": "A",
    "A.V.5.a": "A", "A.V.5.b": "A", "A.V.5.c": "A", "A.V.5.d": "A", "A.V.5.e": "A",
    "A.VI.1.a": "A", "A.VI.1.b": "A", "A.VI.1.c": "A", "A.VI.1.d": "Ya",
    "A.VI.2.a": "A", "A.VI.2.b": "A", "A.VI.2.c": "A", "A.VI.2.d": "A", "A.VI.2.e": "A",
    "A.VI.2.f": "A",
    "A.VI.3.a": "A", "A.VI.3.b": "A", "A.VI.3.c": "A",
    "A.VI.4.a": "A", "A.VI.4.b": "A", "A.VI.4.c": "A",
    "A.VI.5.a": "A", "A.VI.5.b": "Ya", "A.VI.5.c": "A",
    # Reform ----------------------------------------------------------------------------
    # B.I.1: 89/88 = 3/0 -> 0 (x/0); 91/90 = 6/3 -> capped 1; (0 + 1)/2 x 2 = 1.00
    "B.I.1.angka.1": 0, "B.I.1.angka.2": 3, "B.I.1.angka.3": 3, "B.I.1.angka.4": 6,
    "B.I.2.a": "B",                                                  # .75
    "B.I.3.a": "C",                                                  # .33
    "B.II.1.a": "A",                                                 # .50
    "B.II.2.a": "A", "B.II.2.b": "B",                                # .75
    "B.II.3.a": "A", "B.II.3.b": "A", "B.II.3.c": "A",               # 2.00
    "B.III.1.a": "A",                                                # 1.50
    # B.III.2.a unanswered: 0
    # B.III.3: penurunan 0 and 0 -> 1 -> 2.00 (the sanction count is not scored)
    "B.III.3.angka.1": 0, "B.III.3.angka.2": 0, "B.III.3.angka.3": 0,
    "B.IV.1.angka.1": 4, "B.IV.1.angka.2": 3,                        # 3/4 x 2 = 1.50
    "B.IV.2.a": "A",                                                 # 1.50
    "B.IV.3.a": "B",                                                 # .67 x 1.5 = 1.005 -> 1.01
    "B.V.1.a": "A",                                                  # 2.50
    "B.V.2.angka.1": 8, "B.V.2.angka.2": 1, "B.V.2.angka.3": 6,      # 6/8 x 3 = 2.25
    # B.V.3: 10/(1 + 6 + 3) = 1; 15/(2 + 4 + 14) = .75; .875 x 2 = 1.75
    "B.V.3.a.angka.1": 1, "B.V.3.a.angka.2": 6, "B.V.3.a.angka.3": 3, "B.V.3.a.angka.4": 10,
    "B.V.3.b.angka.1": 2, "B.V.3.b.angka.2": 4, "B.V.3.b.angka.3": 14, "B.V.3.b.angka.4": 15,
    # B.VI.1: (.67 + 4/10)/2 x 2.5 = 1.3375 -> 1.34 for the unit; the TPI counts 8 of 10:
    # (.67 + .8)/2 x 2.5 = 1.8375 -> 1.84
    "B.VI.1.a": "B", "B.VI.1.angka.1": 10, "B.VI.1.angka.2": (4, 8),
    "B.VI.2.a": "A",                                                 # 2.50
    # Hasil -----------------------------------------------------------------------------
    "C.I.1": (3.6, 3.2),     # IPAK: the unit 3.6/4 x 17.5 = 15.75, the TPI 3.2 -> 14.00
    "C.I.2": "B",            # capaian kinerja: .75 x 5 = 3.75
    "C.II.1": 3.4,           # IPKP: 3.4/4 x 17.5 = 14.875 -> 14.88
}
KOMPONEN = {  # as counted (the TPI's answers where given), by hand from the table above
    "A.I.1": "0.38", "A.I.2": "0.67", "A.I.3": "0.56", "A.I.4": "0.87",
    "A.II.1": "0.58", "A.II.2": "2.00", "A.II.3": "0.25",
    "A.III.1": "0.25", "A.III.2": "0.25", "A.III.3": "1.25", "A.III.4": "1.46", "A.III.5": "0",
    "A.III.6": "0.13",
    "A.IV.1": "2.50", "A.IV.2": "2.19",
    "A.V.1": "1.5", "A.V.2": "1.5", "A.V.3": "1.5", "A.V.4": "1.5", "A.V.5": "1.5",
    "A.VI.1": "1", "A.VI.2": "1", "A.VI.3": "1", "A.VI.4": "1", "A.VI.5": "1",
    "B.I.1": "1.00", "B.I.2": "0.75", "B.I.3": "0.33",
    "B.II.1": "0.50", "B.II.2": "0.75", "B.II.3": "2.00",
    "B.III.1": "1.50", "B.III.2": "0", "B.III.3": "2.00",
    "B.IV.1": "1.50", "B.IV.2": "1.50", "B.IV.3": "1.01",
    "B.V.1": "2.50", "B.V.2": "2.25", "B.V.3": "1.75",
    "B.VI.1": "1.84", "B.VI.2": "2.50",
    "C.I.1": "14.00", "C.I.2": "3.75", "C.II.1": "14.88",
}
# the unit's own values where the TPI changed something
KOMPONEN_UNIT = {**KOMPONEN, "A.II.3": "0.50", "A.IV.2": "2.50", "B.VI.1": "1.34", "C.I.1": "15.75"}


@pytest.fixture
def terisi(rk_dinsos, users):
    """The 2026 copy of the seed plan with the workbook above imported (by the command's
    rules: both sides)."""
    rk = salin_rencana_kerja(sumber=rk_dinsos, unit=rk_dinsos.unit, tahun=2026)
    lke = lke_tahun(2026)
    wb = Workbook()
    ws = wb.active
    ws.title = "Jawaban"
    soal = {s.kode: s for s in SoalLke.objects.filter(komponen__area__lke=lke)}
    for kode, v in JAWABAN.items():
        unit, tpi = v if isinstance(v, tuple) else (v, None)
        ws.cell(soal[kode].baris_excel, 11, unit)
        ws.cell(soal[kode].baris_excel, 14, tpi)
    buf = io.BytesIO()
    wb.save(buf)
    baris = lembar_kerja.baca(buf.getvalue(), lke)
    perubahan = lembar_kerja.rencana(rk=rk, lke=lke, baris=baris, user=users["admin"],
                                     semua_kolom=True)
    assert not [p for p in perubahan if p.alasan]
    lembar_kerja.terapkan(rk=rk, lke=lke, perubahan=perubahan, user=users["admin"])
    return rk


def test_setiap_komponen_dihitung_tangan(terisi):
    skor = skor_rencana(terisi)[0]
    kom = {k.komponen.kode: k for a in skor.areas for k in a.komponen}
    assert len(kom) == 45
    assert {k: v.nilai for k, v in kom.items()} == {k: D(v) for k, v in KOMPONEN.items()}
    assert {k: v.nilai_unit for k, v in kom.items()} == {k: D(v) for k, v in KOMPONEN_UNIT.items()}
    # the rules' values, as the page shows them
    assert [r.uraian for r in kom["B.I.1"].rumus] == ["3 / 0 = 0,00 (pembagi 0)", "6 / 3 = 1,00"]
    assert [r.uraian for r in kom["B.III.3"].rumus] == ["(0 − 0) / 0 = 1,00 (pembagi 0)"]
    assert [r.uraian for r in kom["B.VI.1"].rumus] == ["8 / 10 = 0,80"]
    assert kom["B.VI.1"].rumus[0].hasil_unit == D("0.4")


def test_bagian_total_area_dan_kriteria_dihitung_tangan(terisi):
    """Pemenuhan: I .38+.67+.56+.87 = 2.48; II .58+2+.25 = 2.83; III .25+.25+1.25+1.46+0+.13
    = 3.34; IV 2.5+2.19 = 4.69; V 7.5; VI 5 -> 25.84. Reform: I 1+.75+.33 = 2.08; II .5+.75+2
    = 3.25; III 1.5+0+2 = 3.5; IV 1.5+1.5+1.01 = 4.01; V 2.5+2.25+1.75 = 6.5; VI 1.84+2.5 = 4.34
    -> 23.68. Hasil 14 + 3.75 + 14.88 = 32.63. Total 82.15; the unit's own 82.15 + .25 + .31
    - .5 + 1.75 = 83.96."""
    skor = skor_rencana(terisi)[0]
    assert (skor.pemenuhan, skor.reform, skor.hasil) == (D("25.84"), D("23.68"), D("32.63"))
    assert (skor.pengungkit, skor.total, skor.total_unit) == (D("49.52"), D("82.15"), D("83.96"))
    persen = {k: pa["persen"] for k, pa in skor.per_area.items()}
    # I (2.48 + 2.08) / 8 = 57 %; II 6.08 / 7; III 6.84 / 10; IV 8.70 / 10; V 14 / 15; VI 9.34 / 10
    assert persen == {"I": D("57.00"), "II": D("86.86"), "III": D("68.40"), "IV": D("87.00"),
                      "V": D("93.33"), "VI": D("93.40")}
    wbk = skor.predikat["WBK"]
    assert not wbk.lulus
    gagal = [(k.nama, k.nilai, k.kurang) for k in wbk.kriteria if not k.lulus]
    # area I: (60 - 57) % of 8 = .24 short; birokrasi bersih 14 + 3.75 = 17.75 (.50 short);
    # IPAK by the TPI 14.00 (1.75 short). The unit alone would have passed both Hasil ones.
    assert gagal == [("Manajemen Perubahan (% dari bobot)", D("57.00"), D("0.24")),
                     ("Birokrasi yang bersih dan akuntabel", D("17.75"), D("0.50")),
                     ("IPAK", D("14.00"), D("1.75"))]
    wbbm = {k.nama: k.lulus for k in skor.predikat["WBBM"].kriteria}
    assert not wbbm["Nilai total"] and wbbm["Pengungkit"] and not wbbm["IPKP"]
