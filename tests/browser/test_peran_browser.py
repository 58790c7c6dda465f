"""Each role from sign-in to its main job on a phone (390 px): the member uploads, the
Sekretaris reviews from the queue, the Kepala Dinas signs with confirmation (the PDF
validates with pyHanko), the TPI answers the LKE, the Admin reads the regency; and every
role's home on a desktop. No page scrolls sideways on the phone."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from bukti_dukung import services as bukti
from laporan import services as lap_services
from laporan import tte
from laporan.models import Laporan, LaporanTertanda
from lke.models import JawabanLke
from rencana_aksi.models import BuktiDukung, RencanaKerja
from tests.conftest import PASSWORD

from ..bukti_dukung.conftest import pdf_bytes
from .conftest import login

UNIT = "dinsos-mojokerto"


@pytest.fixture
def ponsel(chromium, live_server, demo_data):
    ctx = chromium.new_context(base_url=live_server.url, locale="id-ID", is_mobile=True,
                               has_touch=True, viewport={"width": 390, "height": 844})
    ctx.set_default_timeout(15000)
    pg = ctx.new_page()
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    ctx.close()
    assert errors == [], f"JavaScript errors: {errors}"


def sempit(pg):
    lebar = pg.evaluate("document.documentElement.scrollWidth")
    assert lebar <= 400, f"{pg.url} scrolls sideways on a phone ({lebar}px)"


def menu(pg, testid):
    """Open the collapsed navbar and follow one of its items."""
    pg.locator(".navbar-toggler").click()
    expect(pg.locator("#nav")).to_have_class(re.compile(r"\bshow\b"))  # after its animation
    item = pg.locator(f"#nav [data-testid={testid}]")
    expect(item).to_be_visible()
    item.click()


def _sk_tim():
    return BuktiDukung.objects.get(
        nama="SK Tim Kerja ZI",
        rencana_aksi__indikator__komponen__area_rencana__rencana_kerja__unit__kode=UNIT,
        rencana_aksi__indikator__komponen__area_rencana__rencana_kerja__tahun=2024)


def test_anggota_mengunggah_di_ponsel(ponsel, shot, tmp_path):
    pg = ponsel
    login(pg, "anggota1")
    expect(pg).to_have_url(re.compile(r"/tugas-saya/"))  # the member's home
    expect(pg.locator("#nav-total")).to_be_visible()  # things to do, on the menu button
    assert int(pg.locator("#nav-total").get_attribute("data-jumlah")) > 0
    sempit(pg)
    shot(pg, "80-ponsel-anggota-tugas", full_page=False)
    sk = _sk_tim()
    pg.goto(reverse("bukti_dukung:rencana_aksi", args=[sk.rencana_aksi_id]))
    sel = pg.locator("[data-testid=sel]").first
    sel.locator("[data-testid=buka-unggah]").click()
    berkas = tmp_path / "SK Tim ZI.pdf"
    berkas.write_bytes(pdf_bytes("ponsel"))
    sel.locator("input[type=file]").set_input_files(str(berkas))
    sel.get_by_role("button", name="Unggah").click()
    pg.wait_for_selector("text=1 berkas tersimpan")
    assert "Menunggu tinjauan" in pg.locator("[data-testid=sel]").first.inner_text()
    sempit(pg)
    shot(pg, "81-ponsel-anggota-unggah", full_page=False)


def test_sekretaris_meninjau_di_ponsel(ponsel, shot):
    User = get_user_model()  # noqa: N806
    sk = _sk_tim()
    bukti.unggah_bukti(bukti_dukung=sk, user=User.objects.get(username="anggota1"),
                       bulan=sk.rencana_aksi.target_bulan.first().bulan,
                       files=[SimpleUploadedFile("sk.pdf", pdf_bytes("sk"), "application/pdf")])
    pg = ponsel
    login(pg, "sekretaris")
    expect(pg.locator("[data-testid=jumlah-antrean]")).to_have_text("1")
    sempit(pg)
    shot(pg, "82-ponsel-sekretaris-beranda", full_page=False)
    menu(pg, "nav-antrean")
    pg.wait_for_url(re.compile(r"/tinjauan/dinsos-mojokerto/"))
    sempit(pg)
    tinjau = pg.locator("[data-testid=antrean]").first.get_by_role("link", name="Tinjau",
                                                                     exact=True)
    expect(tinjau).to_be_visible()
    shot(pg, "83-ponsel-antrean", full_page=False)
    tinjau.click()
    pg.wait_for_url(re.compile(r"/tinjau/"))
    sempit(pg)
    pg.get_by_role("button", name="Setujui").first.click()
    expect(pg.get_by_text("disetujui").first).to_be_visible()
    shot(pg, "84-ponsel-disetujui", full_page=False)


def test_kepala_dinas_menandatangani_di_ponsel(ponsel, shot, jalankan_pekerja):
    User = get_user_model()  # noqa: N806
    rk = RencanaKerja.objects.get(unit__kode=UNIT, tahun=2024)
    sek = User.objects.get(username="sekretaris")
    lap, _ = Laporan.objects.get_or_create(rencana_kerja=rk, semester=1)
    lap = lap_services.simpan_draf(laporan=lap, versi=lap.versi, user=sek,
                                   ringkasan="Semester I sesuai rencana.", kendala="",
                                   tindak_lanjut="", tindak_lanjut_item={})
    lap_services.ajukan(laporan=lap, versi=lap.versi, user=sek)

    pg = ponsel
    login(pg, "kepaladinas")
    menunggu = pg.locator("[data-testid=laporan-menunggu]")
    expect(menunggu).to_have_count(1)  # the report waiting comes first on the home page
    expect(pg.locator("#nav-total")).to_have_attribute("data-jumlah", "1")
    sempit(pg)
    shot(pg, "85-ponsel-kepala-beranda", full_page=False)
    menunggu.click()
    pg.get_by_label("NIP penandatangan").fill("19700101 199001 1 001")
    pg.locator("[data-testid=tandatangani]").click()
    expect(pg.locator("[data-testid=nip]")).to_have_text("19700101 199001 1 001")
    sempit(pg)
    pg.get_by_label("Kata sandi akun Anda").fill(PASSWORD)
    pg.locator("#setuju").check()
    shot(pg, "86-ponsel-konfirmasi-tanda", full_page=False)
    pg.locator("[data-testid=konfirmasi-tanda]").click()
    pg.wait_for_url(re.compile(r"/proses/[0-9a-f-]+/$"))
    # the page and its navbar counts loaded before the worker writes (SQLite in tests)
    expect(pg.locator("[data-testid=proses]")).to_have_attribute("data-status", "antre")
    pg.wait_for_load_state("networkidle")
    jalankan_pekerja()
    expect(pg.locator("[data-testid=proses]")).to_have_attribute("data-status", "selesai",
                                                                timeout=30000)
    with pg.expect_download() as info:
        pg.locator("[data-testid=unduh]").click()
    data = open(info.value.path(), "rb").read()
    hasil = tte.periksa_pdf(data)  # pyHanko's validator
    assert hasil.ada and hasil.utuh and hasil.sah, hasil.pesan
    assert LaporanTertanda.objects.get().ditandatangani_oleh.username == "kepaladinas"
    sempit(pg)


def test_tpi_menjawab_di_ponsel(ponsel, shot):
    pg = ponsel
    login(pg, "tpi")
    baris = pg.locator("[data-testid=baris-unit-tpi]")
    expect(baris).to_have_count(2)  # the units it evaluates, with their LKE
    sempit(pg)
    shot(pg, "87-ponsel-tpi-beranda", full_page=False)
    baris.filter(has_text="Dinas Sosial").get_by_role("link", name="Nilai LKE").click()
    pg.wait_for_url(re.compile(r"/lke/dinsos-mojokerto/"))
    form = pg.locator('tr[data-kode="A.I.1.a"] [data-testid="form-tpi"]')
    with pg.expect_response(re.compile(r"/soal/\d+/$")):
        form.locator('[name="jawaban"]').select_option("Tidak")
    expect(pg.get_by_test_id("status-simpan")).to_contain_text("Tersimpan")
    assert JawabanLke.objects.get(soal__kode="A.I.1.a", unit__kode=UNIT,
                                  soal__komponen__area__lke__tahun=2024).jawaban_tpi == "Tidak"
    sempit(pg)
    shot(pg, "88-ponsel-tpi-lke", full_page=False)


def test_admin_di_ponsel(ponsel, shot):
    pg = ponsel
    login(pg, "admin")
    expect(pg.get_by_text("Dinas Kesehatan Kabupaten Mojokerto").first).to_be_visible()
    sempit(pg)
    shot(pg, "89-ponsel-admin", full_page=False)


@pytest.mark.parametrize("nama,testid", [
    ("sekretaris", "kartu-antrean"), ("kepaladinas", "menunggu-tanda"),
    ("tpi", "unit-tpi"), ("anggota1", "tindakan-bulan-ini")])
def test_beranda_setiap_peran_di_desktop(page, shot, nama, testid):
    login(page, nama)
    expect(page.locator(f"[data-testid={testid}]").first).to_be_visible()
    expect(page.locator("nav [data-testid=nav-rencana]")).to_be_visible()
    shot(page, f"79-beranda-{nama}", full_page=False)


@pytest.mark.parametrize("lebar", [1200, 1366])
def test_bilah_navigasi_satu_baris_di_desktop(chromium, live_server, demo_data, lebar):
    """The Sekretaris's bar (most items, with counts) fits on one line: "Keluar" in view."""
    User = get_user_model()  # noqa: N806
    sk = _sk_tim()
    bukti.unggah_bukti(bukti_dukung=sk, user=User.objects.get(username="anggota1"),
                       bulan=sk.rencana_aksi.target_bulan.first().bulan,
                       files=[SimpleUploadedFile("sk.pdf", pdf_bytes("sk"), "application/pdf")])
    ctx = chromium.new_context(base_url=live_server.url, viewport={"width": lebar, "height": 600})
    pg = ctx.new_page()
    login(pg, "sekretaris")
    expect(pg.locator("#nav-antrean")).to_have_text("1")
    keluar = pg.get_by_role("button", name="Keluar").bounding_box()
    assert keluar["x"] + keluar["width"] <= lebar
    assert pg.evaluate("document.documentElement.scrollWidth") <= lebar
    assert pg.locator("nav.navbar").bounding_box()["height"] < 80  # one line
    expect(pg.get_by_test_id("posisi")).to_contain_text("2024")  # the year stays in view
    ctx.close()
