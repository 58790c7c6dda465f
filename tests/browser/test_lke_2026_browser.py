"""The 2026 trial as a new user would make it (issue 14): the Sekretaris imports a
hand-filled official workbook (a bad cell first), sees the preview, saves, and sees the
score and the WBK/WBBM forecast; the TPI overrides three answers (a choice, a count row,
a survey index) and the total changes without a reload; the report's LKE chapter gives the
same numbers; the Admin proposes the unit; PortalRB's client pulls all 127 answers and its
evaluators open the evidence link.

Every expected number by hand, from lke/data/lke.yaml (weights, value maps, rumus) and the
rules of ../shared/lke.md (komponen = mean of its choice questions and rumus x weight,
rounded half up to two decimals; parts and total add the rounded komponen):

The workbook (column K):
- every choice question of Pemenuhan and Reform "A" / "Ya" (value 1) except
  A.I.1.b "B" (A-C: 0.5), B.VI.1.a "B" (A-D: 0.67); A.I.2.a typed "ya" by hand;
- counts: B.I.1 agen 4, dibuat 8 (rows 127 and 129: one plan input), terintegrasi 6;
  B.III.3 tahun sebelumnya 5, tahun ini 2, diberi sanksi 2; B.IV.1 sasaran 10, tercapai 8;
  B.V.2 harus ditindaklanjuti 12, sedang diproses 2, selesai 10; B.V.3.a 1 + 3 + 2 wajib,
  6 sudah; B.V.3.b 2 + 4 + 10 wajib, 12 sudah; B.VI.1 terdata 20, dipermudah 5;
- Hasil: IPAK (C.I.1) 3,6, capaian kinerja (C.I.2) "B", IPKP (C.II.1) 3,4.

Pemenuhan (30): every komponen at its weight except A.I.1 Tim Kerja (0.5):
  (1 + 0.5) / 2 x 0.5 = 0.375 -> 0.38; Pemenuhan = 30 - 0.5 + 0.38 = 29.88
  (area I: 4 - 0.5 + 0.38 = 3.88; areas II-VI at their weights 3.5, 5, 5, 7.5, 5).
Reform (30):
  B.I.1 (2): [8 / 4 -> capped 1] and [6 / 8 = 0.75]: (1 + 0.75) / 2 x 2 = 1.75
  B.I.2 (1) 1, B.I.3 (1) 1                               -> area B.I   = 3.75
  B.II: all A                                             -> area B.II  = 3.50
  B.III.1 1.5, B.III.2 1.5, B.III.3 (2): (5 - 2) / 5 = 0.6 x 2 = 1.20 -> B.III = 4.20
  B.IV.1 (2): 8 / 10 = 0.8 x 2 = 1.60; B.IV.2 1.5; B.IV.3 1.5        -> B.IV  = 4.60
  B.V.1 2.5; B.V.2 (3): 10 / 12 x 3 = 2.4999.. -> 2.50;
  B.V.3 (2): [6 / (1+3+2) = 1] and [12 / (2+4+10) = 0.75]: 0.875 x 2 = 1.75 -> B.V = 6.75
  B.VI.1 (2.5): [B = 0.67] and [5 / 20 = 0.25]: (0.67 + 0.25) / 2 x 2.5 = 1.15;
  B.VI.2 (2.5) 2.5                                        -> B.VI  = 3.65
  Reform = 3.75 + 3.50 + 4.20 + 4.60 + 6.75 + 3.65 = 26.45
Hasil (40): IPAK 3.6 / 4 x 17.5 = 15.75; capaian B = 0.75 x 5 = 3.75;
  IPKP 3.4 / 4 x 17.5 = 14.875 -> 14.88; Hasil = 34.38
Total = 29.88 + 26.45 + 34.38 = 90.71; pengungkit 56.33.
Forecast: WBK passes every criterion (total >= 75, pengungkit >= 40, each area >= 60 %:
  I (3.88 + 3.75) / 8 = 95.38 %, VI (5 + 3.65) / 10 = 86.50 %, the others higher;
  birokrasi bersih 15.75 + 3.75 = 19.50 >= 18.25, IPAK 15.75 >= 15.75, capaian 3.75 >= 2.5,
  IPKP 14.88 >= 14.0). WBBM fails only on IPKP: 14.88 < 15.75.

The TPI's three answers:
  1. B.VI.2.a "C" (A-D: 0.33): B.VI.2 = 0.33 x 2.5 = 0.825 -> 0.83;
     Reform 26.45 - 2.50 + 0.83 = 24.78; total 29.88 + 24.78 + 34.38 = 89.04
  2. B.V.2.angka.3 (selesai) 6 on the TPI side: 6 / 12 = 0.5 x 3 = 1.50;
     Reform 24.78 - 2.50 + 1.50 = 23.78; total 88.04
  3. C.I.1 IPAK 3,2: 3.2 / 4 x 17.5 = 14.00; Hasil 34.38 - 15.75 + 14.00 = 32.63;
     total 29.88 + 23.78 + 32.63 = 86.29. WBK now fails (IPAK 14.00 < 15.75, birokrasi
     bersih 14.00 + 3.75 = 17.75 < 18.25); the unit's own self-assessment stays 90.71."""

import re
import subprocess
from datetime import date
from io import BytesIO

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import expect

from bukti_dukung import services as bukti
from laporan.cetak import pdf_laporan
from lke import services as lke_services
from lke.models import Pengusulan, SoalLke, TokenApi
from organisasi.models import UnitKerja
from rencana_aksi.models import BuktiDukung, RencanaKerja
from rencana_aksi.services import salin_rencana_kerja
from tests.bukti_dukung.conftest import berkas, pdf_bytes
from tests.lke.portalrb_klien import KlienPortalRB

from .conftest import login

UNIT, TAHUN = "dinsos-mojokerto", 2026
URL = f"/lke/{UNIT}/{TAHUN}/"

PILIHAN = {"A.I.1.b": "B", "B.VI.1.a": "B", "C.I.2": "B", "A.I.2.a": "ya"}
ANGKA = {88: 4, 89: 8, 90: 8, 91: 6, 102: 5, 103: 2, 104: 2, 105: 10, 106: 8.0, 110: 12,
         111: 2, 112: 10, 113: 1, 114: 3, 115: 2, 116: 6, 117: 2, 118: 4, 119: 10, 120: 12,
         122: 20, 123: 5}                    # 106 as Excel stores numbers: 8.0
SURVEI = {"C.I.1": 3.6, "C.II.1": 3.4}
CATATAN = {"A.I.1.a": "SK Kepala Dinas nomor 12/2026", "B.V.2.angka.1": "Rekap SP4N-LAPOR 2026",
           "C.I.1": "Survei IPAK semester II"}


def _lembar_kerja(salah=None):
    """A workbook filled by hand in the official layout; `salah`: {kode: bad cell}."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Jawaban"
    ws["A1"] = "LEMBAR KERJA EVALUASI ZONA INTEGRITAS 2026"
    ws["A2"] = "Dinas Sosial Kabupaten Mojokerto"
    for col, judul in {"A": "No", "C": "Komponen", "K": "Jawaban", "L": "Catatan",
                       "M": "Bukti", "N": "Nilai TPI", "Q": "Catatan TPI"}.items():
        ws[f"{col}5"] = judul
    for s in SoalLke.objects.filter(komponen__area__lke__tahun=TAHUN).select_related("jenis"):
        if s.soal_id in ANGKA:
            v = ANGKA[s.soal_id]
        elif s.kode in SURVEI:
            v = SURVEI[s.kode]
        else:
            v = PILIHAN.get(s.kode) or next(iter(s.jenis.nilai))     # "A" or "Ya"
        v = (salah or {}).get(s.kode, v)
        ws.cell(s.baris_excel, 1, s.kode)
        ws.cell(s.baris_excel, 11, v)
        if s.kode in CATATAN:
            ws.cell(s.baris_excel, 12, CATATAN[s.kode])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _siapkan_data():
    """The seed plan copied to 2026 (linked to the LKE 2026 by the copy), and one approved
    file for A.I.1.a so that PortalRB gets an evidence link."""
    lke_services.siapkan_tahun(TAHUN)            # the demo made it when 2026 is this year
    unit = UnitKerja.objects.get(kode=UNIT)
    rk = salin_rencana_kerja(sumber=RencanaKerja.objects.get(unit=unit, tahun=2024), unit=unit,
                             tahun=TAHUN)
    soal = SoalLke.objects.get(komponen__area__lke__tahun=TAHUN, kode="A.I.1.a")
    ind = soal.tautan.get(indikator__komponen__area_rencana__rencana_kerja=rk).indikator
    bd = (BuktiDukung.objects.filter(rencana_aksi__indikator=ind,
                                     rencana_aksi__target_bulan__isnull=False)
          .order_by("rencana_aksi__urutan", "pk").first())
    users = {u.username: u for u in get_user_model().objects.all()}
    p = bukti.unggah_bukti(bukti_dukung=bd, user=users["anggota1"],
                           bulan=bd.rencana_aksi.bulan_list()[0],
                           files=[berkas("sk tim zi 2026.pdf", pdf_bytes("sk tim"))]).pengajuan
    bukti.setujui(pengajuan=p, versi=p.versi, user=users["sekretaris"])
    return rk


def row(page, kode):
    return page.locator(f'tr[data-kode="{kode}"]')


def jawab(page, kode, value, sisi):
    """A choice saves as it changes, a typed figure when the field is left."""
    form = row(page, kode).locator(f'[data-testid="form-{sisi}"]')
    field = form.locator('[name="jawaban"]')
    with page.expect_response(re.compile(r"/soal/\d+/$")) as r:
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
            field.press("Tab")
    assert r.value.status == 200


def _unggah(page, data, nama):
    page.get_by_label("Lembar kerja LKE (XLSX)").set_input_files(
        {"name": nama, "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml"
         ".sheet", "buffer": data})
    page.get_by_role("button", name="Unggah dan pratinjau").click()


def test_percobaan_2026_impor_tpi_laporan_portalrb(page, shot, tmp_path, monkeypatch):
    rk = _siapkan_data()

    # --- the Sekretaris imports the hand-filled workbook -----------------------------------
    login(page, "sekretaris")
    page.goto(URL)
    total = page.get_by_test_id("lke-total")
    assert total.inner_text() == "0,00"
    page.get_by_test_id("lembar-kerja-impor").click()
    page.wait_for_url(re.compile(r"/impor/$"))
    # a typo first: "F" on an A-D question (A.I.3.b, workbook row 14), "3,9x" as an index
    _unggah(page, _lembar_kerja({"A.I.3.b": "F", "C.II.1": "3,9x"}), "lke-dinsos-2026.xlsx")
    galat = page.get_by_test_id("galat-impor")
    expect(galat).to_contain_text("Baris 14 kolom K: 'F' bukan pilihan A-D")
    expect(galat).to_contain_text(
        "Baris 202 kolom K: '3,9x' bukan indeks antara 0 dan 4 dengan paling banyak dua desimal")
    shot(page, "50-lke2026-impor-galat", full_page=False)
    _unggah(page, _lembar_kerja(), "lke-dinsos-2026.xlsx")
    # 102 choice + 3 Hasil answers, 21 plan inputs (rows 127 and 129 are one), 3 notes
    expect(page.get_by_test_id("jumlah-perubahan")).to_have_text("129")
    hitung = page.get_by_test_id("perubahan-169-K")
    expect(hitung).to_contain_text("Jumlah pengaduan masyarakat yang harus ditindaklanjuti")
    expect(hitung).to_contain_text("12")
    expect(page.get_by_test_id("perubahan-7-K")).to_contain_text("B")
    expect(page.get_by_test_id("perubahan-9-K")).to_contain_text("Ya")    # typed "ya"
    shot(page, "51-lke2026-impor-pratinjau", full_page=False)
    page.get_by_test_id("simpan-impor").click()
    page.wait_for_url(re.compile(re.escape(URL) + "$"))
    expect(page.get_by_text("Lembar kerja diimpor: 129 perubahan disimpan.")).to_be_visible()
    page.get_by_test_id("area-semua").click()  # every area on one page
    page.wait_for_url(re.compile(r"\?area=semua"))

    # the score and the forecast
    expect(total).to_have_text("90,71")
    assert page.get_by_test_id("lke-pemenuhan").inner_text() == "29,88"
    assert page.get_by_test_id("lke-reform").inner_text() == "26,45"
    assert page.get_by_test_id("lke-hasil").inner_text() == "34,38"
    assert page.get_by_test_id("lke-pengungkit").inner_text() == "56,33"
    assert page.get_by_test_id("predikat-WBK").inner_text() == "memenuhi semua kriteria"
    assert page.get_by_test_id("predikat-WBBM").inner_text() == "belum memenuhi"
    wbbm = page.get_by_test_id("predikat-WBBM").locator("xpath=ancestor::div[@class='card-body']")
    assert wbbm.locator("tr.table-danger").count() == 1
    assert "IPKP" in wbbm.locator("tr.table-danger").inner_text()
    shot(page, "52-lke2026-ringkasan", full_page=False)
    for kode, nilai in {"A.I.1": "0,38", "B.I.1": "1,75", "B.III.3": "1,20", "B.IV.1": "1,60",
                        "B.V.2": "2,50", "B.V.3": "1,75", "B.VI.1": "1,15", "C.II.1": "14,88"
                        }.items():
        assert page.get_by_test_id(f"nilai-komponen-{kode}").inner_text() == nilai, kode
    # the count rows read from the plan's inputs; the rumus beside
    assert row(page, "B.V.2.angka.1").get_by_test_id("nilai-isian").inner_text() == "12"
    assert "10 / 12 = 0,83" in page.locator("#komponen-" + str(
        SoalLke.objects.get(komponen__area__lke__tahun=TAHUN, kode="B.V.2.angka.1").komponen_id)
        ).locator("xpath=following-sibling::tr[contains(@class,'lke-rumus')][1]").inner_text()
    row(page, "B.V.1.a").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 120)")
    shot(page, "53-lke2026-reform-v", full_page=False)

    # --- the TPI overrides three answers, no reload ----------------------------------------
    page.context.clear_cookies()
    login(page, "tpi")
    page.goto(URL + "?area=semua")
    expect(total).to_have_text("90,71")
    jawab(page, "B.VI.2.a", "C", "tpi")                  # 0.33 x 2.5 = 0.83: 89.04
    expect(total).to_have_text("89,04")
    jawab(page, "B.V.2.angka.3", "6", "tpi")              # 6 / 12 x 3 = 1.50: 88.04
    expect(total).to_have_text("88,04")
    assert page.get_by_test_id("nilai-komponen-B.V.2").inner_text() == "1,50"
    hitungan = row(page, "B.V.2.angka.3").get_by_test_id("nilai-soal").inner_text()
    assert hitungan.startswith("6") and "TPI" in hitungan
    jawab(page, "C.I.1", "3,2", "tpi")                    # 3.2 / 4 x 17.5 = 14.00: 86.29
    expect(total).to_have_text("86,29")
    assert page.get_by_test_id("lke-hasil").inner_text() == "32,63"
    assert page.get_by_test_id("lke-total-unit").inner_text() == "90,71"
    expect(page.get_by_test_id("predikat-WBK")).to_have_text("belum memenuhi")
    row(page, "B.V.2.angka.1").scroll_into_view_if_needed()
    shot(page, "54-lke2026-tpi-reform-v", full_page=False)
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "55-lke2026-tpi-ringkasan", full_page=False)

    # --- the report's LKE chapter: the same numbers ----------------------------------------
    if timezone.localdate() > date(TAHUN, 12, 31):  # the report is as of 31 Dec; data is of today
        monkeypatch.setattr("laporan.selectors.batas_semester",
                            lambda t, s: (timezone.localdate(), date(t, 12, 1)))
    pdf = tmp_path / "laporan.pdf"
    pdf.write_bytes(pdf_laporan(rk, 2))
    teks = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Lembar Kerja Evaluasi 2026" in teks
    for angka in ("86,29", "90,71", "29,88", "23,78", "32,63"):
        assert angka in teks, angka

    # --- the Admin proposes the unit, seeing its forecast ----------------------------------
    page.context.clear_cookies()
    login(page, "admin")
    page.goto(f"/lke/pengusulan/?tahun={TAHUN}")
    baris = page.get_by_test_id(f"unit-{UNIT}")
    assert baris.get_by_test_id("total").inner_text() == "86,29"
    assert baris.get_by_test_id("wbk").inner_text() == "belum memenuhi"
    baris.get_by_label("Kategori").select_option("WBK")
    baris.get_by_role("button", name="Usulkan").click()
    expect(page.get_by_test_id(f"unit-{UNIT}").get_by_test_id("usulan")).to_contain_text("WBK")
    assert Pengusulan.objects.filter(unit__kode=UNIT, tahun=TAHUN, kategori="WBK").exists()
    shot(page, "56-pengusulan-2026", full_page=False)

    # --- PortalRB pulls the proposal and all 127 answers -----------------------------------
    _obj, raw = TokenApi.terbitkan("PortalRB KemenPANRB")
    klien = KlienPortalRB(Client(), raw, tidur=lambda s: None)
    status, body = klien.get("/api/portalrb/pengusulan/unit-wbk", {"tahun": TAHUN})
    assert status == 200 and [u["nama"] for u in body["units"]] == [rk.unit.nama]
    status, body = klien.get(f"/api/portalrb/lke/jawaban-unit/{body['units'][0]['id']}",
                             {"tahun": TAHUN})
    assert status == 200 and klien.jeda == []
    a = {x["soal_id"]: x for x in body["answers"]}
    assert sorted(a) == list(range(1, 128))
    assert all(a[i]["jawaban_unit"] is not None for i in a), "every row answered by the import"
    assert (a[1]["jawaban_unit"], a[1]["catatan_unit"]) == ("Ya", CATATAN["A.I.1.a"])
    assert a[3]["jawaban_unit"] == "Ya" and a[2]["jawaban_unit"] == "B"
    assert (a[89]["jawaban_unit"], a[90]["jawaban_unit"]) == (8, 8)
    assert (a[112]["jawaban_unit"], a[112]["jawaban_tpi"]) == (10, 6)
    assert (a[124]["jawaban_unit"], a[124]["jawaban_tpi"]) == ("A", "C")
    assert (a[125]["jawaban_unit"], a[125]["jawaban_tpi"]) == (3.6, 3.2)
    assert a[126]["jawaban_unit"] == "B" and a[127]["jawaban_unit"] == 3.4

    # the evaluators open the evidence link of question 1
    link = a[1]["bukti_dukung_unit"]
    assert link and link.startswith("http")
    page.context.clear_cookies()
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    expect(page.get_by_test_id("unit")).to_have_text(rk.unit.nama)
    expect(page.get_by_test_id("soal")).to_contain_text("A.I.1.a · soal_id 1")
    expect(page.get_by_test_id("berkas")).to_contain_text("sk tim zi 2026.pdf")
    shot(page, "57-bukti-portalrb", full_page=False)
