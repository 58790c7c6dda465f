"""The report walk in Chromium: the Sekretaris submits the draft, the Kepala Dinas returns
it with a note, the Sekretaris fixes and resubmits, the Kepala Dinas signs, and the signed
PDF downloads and verifies."""

import hashlib
import re

from django.urls import reverse
from playwright.sync_api import expect

from laporan import tte
from laporan.models import LaporanTertanda
from tests.conftest import PASSWORD

from .conftest import login

HAL = reverse("laporan:laporan_semester", args=["dinsos-mojokerto", 2024, 1])


def _keluar(page):
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(re.compile(r"/masuk/"))


def test_submit_return_resubmit_sign_download(page, shot, jalankan_pekerja):
    login(page, "sekretaris")
    page.goto(reverse("progres:dasbor", args=["dinsos-mojokerto", 2024]))
    page.locator("[data-testid=ke-laporan]").click()
    page.wait_for_url(re.compile(r"/laporan/dinsos-mojokerto/2024/$"))
    shot(page, "40-daftar-laporan", full_page=False)
    page.locator("[data-testid=semester-1]").get_by_role("link", name="Buka draf").click()
    page.wait_for_url(re.compile(HAL))
    page.get_by_label("Ringkasan").fill("Tim ZI telah menyusun rencana kerja dan SK tim.")
    page.get_by_label("Kendala").fill("Pengunggahan bukti belum merata.")
    page.locator("input[name^=tl-]").first.fill("Dijadwalkan ulang pada bulan Juli")
    page.get_by_role("button", name="Simpan draf").click()
    page.get_by_text("Draf laporan disimpan.").wait_for()
    shot(page, "41-draf-laporan", full_page=False)
    page.locator("[data-testid=ajukan]").click()
    assert page.locator("[data-testid=status]").inner_text() == "Diajukan ke Kepala Dinas"
    _keluar(page)

    login(page, "kepaladinas")
    page.goto(HAL)
    shot(page, "42-laporan-kepala-dinas", full_page=False)
    page.get_by_label("Catatan bila dikembalikan").fill("Tambahkan kendala anggaran.")
    page.locator("[data-testid=kembalikan]").click()
    assert page.locator("[data-testid=status]").inner_text() == "Dikembalikan"
    _keluar(page)

    login(page, "sekretaris")
    page.goto(HAL)
    assert "Tambahkan kendala anggaran." in page.locator("[data-testid=catatan-kepala]").inner_text()
    page.get_by_label("Kendala").fill("Pengunggahan bukti belum merata; anggaran terbatas.")
    page.get_by_role("button", name="Simpan draf").click()
    page.get_by_text("Draf laporan disimpan.").wait_for()
    page.locator("[data-testid=ajukan]").click()
    _keluar(page)

    login(page, "kepaladinas")
    page.goto(HAL)
    page.get_by_label("NIP penandatangan").fill("19700101 199001 1 001")
    page.locator("[data-testid=tandatangani]").click()
    # the confirmation step: what is signed, the certificate, the password again
    expect(page.locator("[data-testid=nip]")).to_have_text("19700101 199001 1 001")
    expect(page.locator("[data-testid=sertifikat]")).to_contain_text("sertifikat uji lokal")
    page.get_by_label("Kata sandi akun Anda").fill("salah-sekali")
    page.locator("#setuju").check()
    page.locator("[data-testid=konfirmasi-tanda]").click()
    expect(page.locator("[data-testid=galat]")).to_contain_text("Kata sandi salah")
    shot(page, "43a-konfirmasi-tanda", full_page=False)
    page.get_by_label("Kata sandi akun Anda").fill(PASSWORD)
    page.locator("#setuju").check()
    page.locator("[data-testid=konfirmasi-tanda]").click()
    # the request returns at once: the sign-off waits for the background worker
    page.wait_for_url(re.compile(r"/proses/[0-9a-f-]+/$"))
    expect(page.locator("[data-testid=proses]")).to_have_attribute("data-status", "antre")
    shot(page, "43-tandatangani-antre", full_page=False)
    jalankan_pekerja()
    # the status box polls itself and shows the result without a reload
    expect(page.locator("[data-testid=proses]")).to_have_attribute("data-status", "selesai",
                                                                  timeout=30000)
    lt = LaporanTertanda.objects.get()
    assert lt.kode_verifikasi in page.locator("[data-testid=hasil]").inner_text()
    shot(page, "44-tandatangani-selesai", full_page=False)
    with page.expect_download() as info:
        page.locator("[data-testid=unduh]").click()
    data = open(info.value.path(), "rb").read()
    assert data[:5] == b"%PDF-" and hashlib.sha256(data).hexdigest() == lt.sha256
    hasil = tte.periksa_pdf(data)  # pyHanko's validator: signed, intact, valid
    assert hasil.ada and hasil.utuh and hasil.sah, hasil.pesan
    rusak = bytearray(data)
    rusak[len(rusak) // 3] ^= 0x01  # one bit changed in the signed bytes
    assert not tte.periksa_pdf(bytes(rusak)).utuh
    page.locator("[data-testid=kembali]").click()
    assert page.locator("[data-testid=status]").inner_text() == "Ditandatangani"
    shot(page, "45-laporan-ditandatangani", full_page=False)

    page.goto(reverse("laporan:verifikasi"))
    page.get_by_label("Berkas PDF laporan").set_input_files(info.value.path())
    page.locator("[data-testid=periksa-berkas]").click()
    assert "Dinas Sosial Kabupaten Mojokerto" in page.locator("[data-testid=cocok]").inner_text()
    expect(page.locator("[data-testid=tanda-sah]")).to_be_visible()
    expect(page.locator("[data-testid=tanda-lokal]")).to_be_visible()
    shot(page, "46-verifikasi", full_page=True)


def test_exports_download(page, shot, jalankan_pekerja):
    import io
    import zipfile

    from openpyxl import load_workbook

    login(page, "tpi")
    daftar = reverse("laporan:daftar_laporan", args=["dinsos-mojokerto", 2024])
    page.goto(daftar)
    page.locator("[data-testid=bundel]").click()
    page.wait_for_url(re.compile(r"/proses/[0-9a-f-]+/$"))
    jalankan_pekerja()
    expect(page.locator("[data-testid=proses]")).to_have_attribute("data-status", "selesai",
                                                                  timeout=30000)
    shot(page, "47-zip-siap", full_page=False)
    with page.expect_download() as info:
        page.locator("[data-testid=unduh]").click()
    zf = zipfile.ZipFile(info.value.path())
    assert zf.namelist()[0].endswith("/INDEKS.html")
    page.goto(daftar)  # the bundle is listed with the files prepared lately
    expect(page.locator("[data-testid=daftar-proses] [data-testid=status-proses]")).to_have_text(
        "Selesai")
    shot(page, "48-daftar-laporan-tpi", full_page=False)
    with page.expect_download() as info:
        page.locator("[data-testid=status-xlsx]").click()
    wb = load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))
    assert wb.sheetnames == ["A Pemenuhan", "B Reform"]
