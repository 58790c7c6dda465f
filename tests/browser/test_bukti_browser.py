"""Evidence end to end in Chromium: upload, revision request, new version, approval."""

import re

from rencana_aksi.models import RencanaAksi

from ..bukti_dukung.conftest import pdf_bytes
from .conftest import login


def _logout(page):
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(re.compile(r"/masuk/"))


def test_upload_revise_reupload_approve(page, shot, tmp_path):
    ra = RencanaAksi.objects.get(
        teks="Pembentukan Tim Kerja ZI dalam unit kerja",
        indikator__komponen__area_rencana__rencana_kerja__unit__kode="dinsos-mojokerto")
    v1, v2 = tmp_path / "SK Tim ZI.pdf", tmp_path / "SK Tim ZI ttd.pdf"
    v1.write_bytes(pdf_bytes("v1"))
    v2.write_bytes(pdf_bytes("v2"))

    # the member uploads for February 2024 (progress-bar upload)
    login(page, "anggota1")
    page.goto(f"/rencana-aksi/{ra.pk}/bukti/")
    sel = page.locator("[data-testid=sel]").first
    assert "Belum diunggah" in sel.inner_text()
    sel.locator("[data-testid=buka-unggah]").click()  # the upload form opens on demand
    sel.locator("input[type=file]").set_input_files(str(v1))
    sel.locator("input[name=catatan]").fill("SK Kepala Dinas")
    sel.get_by_role("button", name="Unggah").click()
    page.wait_for_selector("text=1 berkas tersimpan")
    sel = page.locator("[data-testid=sel]").first
    assert "Menunggu tinjauan" in sel.inner_text() and "SK Tim ZI.pdf" in sel.inner_text()
    shot(page, "20-bukti-diunggah", full_page=False)
    _logout(page)

    # the Sekretaris asks for a revision from the queue
    login(page, "sekretaris")
    page.locator("[data-testid=nav-antrean]").click()
    page.locator("[data-testid=antrean]").first.get_by_role("link", name="Tinjau", exact=True).click()
    page.wait_for_url(re.compile(r"/tinjau/"))
    shot(page, "21-tinjau", full_page=False)
    page.fill("#id_komentar", "Belum ada tanda tangan Kepala Dinas")
    page.get_by_role("button", name="Minta perbaikan").click()
    page.wait_for_selector("text=Perbaikan “SK Tim Kerja ZI” diminta")
    assert page.locator("[data-testid=antrean-kosong]").is_visible()
    _logout(page)

    # the member sees the comment on "Tugas saya" and uploads version 2
    login(page, "anggota1")
    page.locator("[data-testid=nav-tugas]").click()
    assert page.get_by_text("Belum ada tanda tangan Kepala Dinas").first.is_visible()
    shot(page, "22-tugas-saya", full_page=False)
    page.get_by_role("link", name="Pembentukan Tim Kerja ZI dalam unit kerja").first.click()
    sel = page.locator("[data-testid=sel]").first
    assert "Perlu perbaikan" in sel.inner_text()
    sel.locator("input[type=file]").set_input_files(str(v2))
    sel.get_by_role("button", name="Unggah").click()
    page.wait_for_selector("text=1 berkas tersimpan")
    sel = page.locator("[data-testid=sel]").first
    assert "versi 2" in sel.inner_text() and "SK Tim ZI.pdf" in sel.inner_text()  # v1 kept
    _logout(page)

    # the Sekretaris approves
    login(page, "sekretaris")
    page.goto(f"/rencana-aksi/{ra.pk}/bukti/")
    page.locator("[data-testid=sel]").first.get_by_role("link", name="Tinjau", exact=True).click()
    page.get_by_role("button", name="Setujui").click()
    page.wait_for_selector("text=“SK Tim Kerja ZI” disetujui.")
    page.goto(f"/rencana-aksi/{ra.pk}/bukti/")
    assert "Disetujui" in page.locator("[data-testid=sel]").first.inner_text()
    shot(page, "23-bukti-disetujui", full_page=False)


def test_numeric_inputs_show_the_percentage(page, shot):
    from rencana_aksi.models import Indikator

    ind = Indikator.objects.filter(isian__label="Jumlah pelanggaran tahun ini").distinct().get()
    ra = ind.rencana_aksi.first()
    login(page, "anggota1")
    page.goto(f"/rencana-aksi/{ra.pk}/bukti/")
    page.get_by_label("Jumlah pelanggaran tahun sebelumnya").fill("8")
    page.get_by_label("Jumlah pelanggaran tahun ini").fill("6")
    page.get_by_role("button", name="Simpan isian").click()
    page.wait_for_selector("text=Isian angka disimpan.")
    assert "Penurunan pelanggaran disiplin: 25,00 %" in page.locator("[data-testid=persen]").inner_text()
    shot(page, "24-isian-angka", full_page=False)
