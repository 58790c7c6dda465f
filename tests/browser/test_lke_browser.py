"""The LKE page in Chromium: the Sekretaris fills three answers and sees the score change
without a reload; the TPI overrides one; a bad figure gets its message in the row.

Expected numbers, by hand from lke/data/lke.yaml (PortalRB's 2026 structure, also used for
2024) and the value maps of ../shared/lke.md:
- A.I.1 Tim Kerja, weight 0.5, two questions (a Ya/Tidak, b A-C):
  "Ya" on a, b unanswered -> (1 + 0) / 2 x 0.5 = 0.25
- B.I.2 Komitmen Pimpinan, weight 1, one question (A-E): "B" = 0.75 -> 0.75 x 1 = 0.75
- C.I.1 IPAK, weight 17.5, index 3,6 -> 3.6 / 4 x 17.5 = 15.75 (the question's value 0.90)
- total 0.25 + 0.75 + 15.75 = 16.75; Hasil 15.75
- the TPI answers "Tidak" on A.I.1.a -> A.I.1 = (0 + 0) / 2 x 0.5 = 0 -> total 16.50,
  the unit's own self-assessment stays 16.75."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from lke.models import JawabanLke

from .conftest import login

URL = "/lke/dinsos-mojokerto/2024/"


def row(page, kode):
    return page.locator(f'tr[data-kode="{kode}"]')


def buka_area(page, kode):
    """The LKE page shows one area; open the one holding question `kode` by its pill."""
    if row(page, kode).count():
        return
    page.get_by_test_id("area-" + ".".join(kode.split(".")[:2])).click()
    row(page, kode).wait_for()


def answer(page, kode, value, note=""):
    """A choice saves as it changes; a typed figure or note when the field is left."""
    buka_area(page, kode)
    form = row(page, kode).locator('[data-testid="form-unit"]')
    field = form.locator('[name="jawaban"]')
    with page.expect_response(re.compile(r"/soal/\d+/$")) as r:
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
            field.press("Tab")
    assert r.value.status == 200
    if note:
        with page.expect_response(re.compile(r"/soal/\d+/$")) as r:
            form.locator('[name="catatan"]').fill(note)
            form.locator('[name="catatan"]').press("Tab")
        assert r.value.status == 200
    expect(page.get_by_test_id("status-simpan")).to_contain_text("Tersimpan")


def test_isi_tiga_jawaban_dan_nilai_berubah(page, shot):
    login(page, "sekretaris")
    page.goto(URL)
    total = page.get_by_test_id("lke-total")
    assert total.inner_text() == "0,00"
    answer(page, "A.I.1.a", "Ya", "SK Tim ZI nomor 12/2024")       # (1 + 0) / 2 x 0.5 = 0.25
    expect(total).to_have_text("0,25")
    assert page.get_by_test_id("nilai-komponen-A.I.1").inner_text() == "0,25"
    answer(page, "B.I.2.a", "B")                                    # 0.75 x 1 = 0.75
    expect(total).to_have_text("1,00")
    assert page.get_by_test_id("nilai-komponen-B.I.2").inner_text() == "0,75"
    answer(page, "C.I.1", "3,6", "Survei IPAK 2024")             # 3.6 / 4 x 17.5 = 15.75
    # 0.25 + 0.75 + 15.75 = 16.75
    expect(total).to_have_text("16,75")
    assert page.get_by_test_id("nilai-komponen-C.I.1").inner_text() == "15,75"
    assert row(page, "C.I.1").get_by_test_id("nilai-soal").inner_text().startswith("0,90")
    assert page.get_by_test_id("lke-hasil").inner_text() == "15,75"
    # a figure outside the scale: the message in the row, the typed figure kept
    buka_area(page, "C.II.1")
    r = row(page, "C.II.1").locator('[data-testid="form-unit"]')
    r.locator('[name="jawaban"]').fill("5")
    r.get_by_role("button", name="Simpan").click()
    galat = row(page, "C.II.1").get_by_test_id("galat-jawaban")
    galat.wait_for()
    assert "Isi indeks antara 0 dan 4, paling banyak dua desimal." in galat.inner_text()
    assert row(page, "C.II.1").locator('[name="jawaban"]').input_value() == "5"
    assert total.inner_text() == "16,75"
    shot(page, "40-lke-baris", full_page=False)
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "40-lke", full_page=False)
    assert JawabanLke.objects.count() == 3

    # the TPI's own answer counts instead of the unit's
    page.context.clear_cookies()
    login(page, "tpi")
    page.goto(URL)
    f = row(page, "A.I.1.a").locator('[data-testid="form-tpi"]')
    f.locator('[name="jawaban"]').select_option("Tidak")          # saved at once
    expect(total).to_have_text("16,50")                             # A.I.1 -> 0
    # a note typed but not yet saved: said in words, and leaving the page asks first
    f.locator('[name="catatan"]').fill("SK belum ditandatangani Kepala Dinas")
    status = page.get_by_test_id("status-simpan")
    expect(status).to_contain_text("Ada isian yang belum tersimpan")
    dialogs = []
    page.once("dialog", lambda d: (dialogs.append(d.type), d.dismiss()))
    page.get_by_test_id("area-B.I").click()
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"] and row(page, "A.I.1.a").count() == 1
    with page.expect_response(re.compile(r"/soal/\d+/$")):
        f.get_by_role("button", name="Simpan").click()
    expect(status).to_contain_text("Tersimpan")
    assert JawabanLke.objects.get(soal__kode="A.I.1.a", soal__komponen__area__lke__tahun=2024
                                  ).catatan_tpi == "SK belum ditandatangani Kepala Dinas"
    assert page.get_by_test_id("nilai-komponen-A.I.1").inner_text() == "0,00"
    assert page.get_by_test_id("lke-total-unit").inner_text() == "16,75"
    assert "TPI" in row(page, "A.I.1.a").get_by_test_id("nilai-soal").inner_text()
    page.goto(URL + "tautan/")
    shot(page, "41-lke-tautan", full_page=False)


def test_jam_tersimpan_dalam_wib_di_peramban_zona_lain(chromium, live_server, demo_data):
    """A browser set to another time zone still reads the save time in WIB, as the rows."""
    context = chromium.new_context(base_url=live_server.url, locale="id-ID",
                                   timezone_id="America/New_York")
    context.set_default_timeout(15000)
    pg = context.new_page()
    try:
        login(pg, "sekretaris")
        pg.goto(URL)
        answer(pg, "A.I.1.a", "Ya")
        jam = timezone.localtime().strftime("%H")  # Asia/Jakarta, the site's zone
        expect(pg.get_by_test_id("status-simpan")).to_contain_text(re.compile(
            rf"Tersimpan {jam}:\d\d WIB"))
    finally:
        context.close()
