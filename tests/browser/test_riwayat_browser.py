"""The history in Chromium: the log shows who changed what, before -> after, on a desktop;
the review queue fits a phone with a Tinjau button per item; the unit's settings page."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect
from simple_history.models import HistoricalRecords

from bukti_dukung import services as bukti
from organisasi.models import nama_pengguna
from rencana_aksi import services as rencana
from rencana_aksi.models import BuktiDukung, Komponen

from ..bukti_dukung.conftest import berkas, pdf_bytes
from .conftest import login

UNIT = "dinsos-mojokerto"


def _sk_tim():
    return BuktiDukung.objects.get(
        nama="SK Tim Kerja ZI",
        rencana_aksi__indikator__komponen__area_rencana__rencana_kerja__unit__kode=UNIT,
        rencana_aksi__indikator__komponen__area_rencana__rencana_kerja__tahun=2024)


@pytest.fixture
def riwayat(demo_data):
    """An upload sent back with a comment, a second version, and a PIC change."""
    users = {u.username: u for u in get_user_model().objects.all()}
    sk = _sk_tim()
    bulan = sk.rencana_aksi.bulan_list()[0]
    p = bukti.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=bulan,
                           files=[berkas("SK Tim ZI.pdf", pdf_bytes("v1"))]).pengajuan
    bukti.minta_perbaikan(pengajuan=p, versi=p.versi, user=users["sekretaris"],
                          komentar="SK belum ditandatangani")
    bukti.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=bulan,
                       files=[berkas("SK Tim ZI ttd.pdf", pdf_bytes("v2"))])
    k = Komponen.objects.get(pk=sk.rencana_aksi.indikator.komponen_id)
    lama = k.pic
    HistoricalRecords.context.request = SimpleNamespace(user=users["sekretaris"])
    try:
        rencana.ubah_komponen(komponen=k, versi=k.versi, nama=k.nama, pic=users["anggota2"])
    finally:
        del HistoricalRecords.context.request
    return SimpleNamespace(users=users, pic_lama=lama, pengajuan=p)


def test_log_menampilkan_sebelum_sesudah(page, shot, riwayat):
    login(page, "sekretaris")
    page.goto(reverse("bukti_dukung:log", args=[UNIT]))
    baris = page.locator("[data-testid=log]")
    expect(baris.first).to_be_visible()
    pic = baris.filter(has_text="Penanggung jawab (PIC):").first
    teks = pic.inner_text()
    assert nama_pengguna(riwayat.users["sekretaris"]) in teks
    assert (f"{nama_pengguna(riwayat.pic_lama)} → "
            f"{nama_pengguna(riwayat.users['anggota2'])}") in teks
    komentar = baris.filter(has_text="SK belum ditandatangani").first
    assert "Perlu perbaikan" in komentar.inner_text()
    assert nama_pengguna(riwayat.users["sekretaris"]) in komentar.inner_text()
    expect(page.locator("[data-testid=log-csv]")).to_be_visible()
    shot(page, "60-log")


def test_antrean_muat_di_ponsel(chromium, live_server, riwayat, shot):
    ctx = chromium.new_context(base_url=live_server.url, locale="id-ID", is_mobile=True,
                               has_touch=True, viewport={"width": 390, "height": 844})
    ctx.set_default_timeout(15000)
    pg = ctx.new_page()
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    try:
        login(pg, "sekretaris")
        pg.goto(reverse("bukti_dukung:antrean", args=[UNIT]))
        items = pg.locator("[data-testid=antrean]")
        expect(items.first).to_be_visible()
        assert pg.evaluate("document.documentElement.scrollWidth") <= 400
        for i in range(items.count()):
            tombol = items.nth(i).get_by_role("link", name="Tinjau", exact=True)
            expect(tombol).to_be_visible()
            kotak = tombol.bounding_box()
            assert kotak["x"] >= 0 and kotak["x"] + kotak["width"] <= 390
        shot(pg, "61-antrean-ponsel")

        # the review page on the phone: the replaced version is marked, the comment is
        # the Sekretaris's
        items.first.get_by_role("link", name="Tinjau", exact=True).click()
        pg.wait_for_url("**/tinjau/")
        expect(pg.locator("[data-testid=diganti]").first).to_have_text("Diganti oleh versi 2")
        komentar = pg.locator("[data-testid=riwayat] li", has_text="SK belum ditandatangani")
        expect(komentar).to_have_count(1)
        assert nama_pengguna(riwayat.users["sekretaris"]) in komentar.inner_text()
        assert pg.evaluate("document.documentElement.scrollWidth") <= 400

        # the unit's settings: their own page, linked from the queue
        pg.goto(reverse("bukti_dukung:antrean", args=[UNIT]))
        pg.locator("[data-testid=ke-pengaturan]").click()
        pg.wait_for_url("**/pengaturan/")
        pg.get_by_label("Anggota hanya mengunggah untuk tugasnya").check()
        pg.get_by_role("button", name="Simpan").click()
        expect(pg.get_by_text("Pengaturan unit disimpan.")).to_be_visible()
        expect(pg.get_by_label("Anggota hanya mengunggah untuk tugasnya")).to_be_checked()
        assert pg.evaluate("document.documentElement.scrollWidth") <= 400
        shot(pg, "62-pengaturan-unit")
    finally:
        ctx.close()
    assert errors == []
