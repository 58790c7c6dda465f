"""A whole TPI round in Chromium with two units and two TPI members: the Admin opens the
round and assigns the evaluators, both units submit, each TPI sends a question back, the
member marks one fixed, its TPI closes it; a TPI never sees the other's unit; the rekap
counts what is still open."""

import io
import json
import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from organisasi.models import Keanggotaan, Peran, UnitKerja

from .conftest import login

TAHUN = 2024
DINSOS, DINKES = "dinsos-mojokerto", "dinkes-mojokerto"


def _keluar(page):
    page.context.clear_cookies()


def test_satu_putaran_dua_unit_dua_tpi(page, shot):
    User = get_user_model()  # noqa: N806
    tpi2 = User.objects.create_user("tpi2", "tpi2@contoh.go.id", "demo12345",
                                    first_name="Evaluator", last_name="Kedua")
    Keanggotaan.objects.create(user=tpi2, unit=UnitKerja.objects.get(kode=DINKES),
                               peran=Peran.TPI)

    # --- the Admin opens the round: every window open today (steps may overlap) -----------
    login(page, "admin")
    page.goto(reverse("evaluasi:buat"))
    hari = timezone.localdate()
    page.fill("#id_tahun", str(TAHUN))
    page.fill("#id_nama", f"Evaluasi Zona Integritas {TAHUN}")
    for langkah in ("mandiri", "evaluasi", "perbaikan", "pemeriksaan"):
        page.fill(f"#id_{langkah}_mulai", (hari - timedelta(days=1)).isoformat())
        page.fill(f"#id_{langkah}_selesai", (hari + timedelta(days=5)).isoformat())
    page.get_by_label("Dinas Sosial Kabupaten Mojokerto").check()
    page.get_by_label("Dinas Kesehatan Kabupaten Mojokerto").check()
    shot(page, "90-evaluasi-putaran-baru", full_page=False)
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url(re.compile(rf"/evaluasi/{TAHUN}/$"))
    for kode, nama in ((DINSOS, "Tim Penilai Internal Inspektorat"), (DINKES, "Evaluator Kedua")):
        page.goto(reverse("evaluasi:penugasan", args=[TAHUN, kode]))
        page.get_by_test_id("penugasan-form").get_by_label(nama).check()
        page.get_by_role("button", name="Simpan").click()
        page.wait_for_url(re.compile(rf"/evaluasi/{TAHUN}/$"))
    expect(page.get_by_text("Evaluator Kedua").first).to_be_visible()
    shot(page, "91-evaluasi-putaran", full_page=False)
    _keluar(page)

    # --- both units submit their self-assessment after the check of what is empty --------
    for sek, kode in (("sekretaris", DINSOS), ("sekretaris2", DINKES)):
        login(page, sek)
        page.goto(reverse("evaluasi:ajukan", args=[TAHUN, kode]))
        expect(page.get_by_test_id("belum-dijawab")).to_be_visible()
        if kode == DINSOS:
            shot(page, "92-evaluasi-ajukan", full_page=False)
        page.locator("#id_setuju").check()
        page.get_by_role("button", name="Tetap ajukan").click()
        expect(page.get_by_test_id("status-ajuan")).to_contain_text("diajukan")
        _keluar(page)

    # --- each TPI sends one question back; neither reaches the other's unit --------------
    for tpi, kode, soal, lain in (("tpi", DINSOS, "A.I.1.a", None),
                                  ("tpi2", DINKES, "A.I.2.a", DINSOS)):
        login(page, tpi)
        page.goto(reverse("evaluasi:salinan", args=[TAHUN, kode]))
        page.get_by_test_id(f"soal-{soal}").get_by_role("link", name="Kembalikan").click()
        page.get_by_label("Alasan").fill("Bukti dukung belum ditandatangani Kepala Dinas.")
        if tpi == "tpi":
            shot(page, "93-evaluasi-kembalikan", full_page=False)
        page.get_by_role("button", name="Kembalikan ke unit").click()
        expect(page.get_by_test_id(f"kembali-{soal}")).to_be_visible()
        if lain:
            assert page.goto(reverse("evaluasi:salinan", args=[TAHUN, lain])).status == 404
        _keluar(page)

    # --- the member sees the count, fixes, marks it -------------------------------------
    login(page, "anggota1")
    page.goto(reverse("evaluasi:dikembalikan", args=[TAHUN, DINSOS]))
    expect(page.locator("#nav-kembali")).to_have_attribute("data-jumlah", "1")
    butir = page.get_by_test_id("perbaiki-A.I.1.a")
    butir.get_by_label("Catatan perbaikan").fill("SK yang ditandatangani sudah diunggah.")
    shot(page, "94-evaluasi-dikembalikan", full_page=False)
    butir.get_by_role("button", name="Sudah diperbaiki").click()
    expect(page.get_by_test_id("perbaiki-A.I.1.a")).to_have_count(0)
    expect(page.locator("#nav-kembali")).to_have_attribute("data-jumlah", "0")
    _keluar(page)

    # --- its TPI closes it on the re-check list -------------------------------------------
    login(page, "tpi")
    page.goto(reverse("evaluasi:periksa_ulang", args=[TAHUN, DINSOS]))
    expect(page.get_by_test_id("butir-A.I.1.a")).to_contain_text(
        "SK yang ditandatangani sudah diunggah.")
    shot(page, "95-evaluasi-periksa-ulang", full_page=False)
    page.get_by_test_id("tutup-A.I.1.a").get_by_role("button", name="Terima dan tutup").click()
    expect(page.get_by_test_id("kosong")).to_be_visible()

    out = io.StringIO()
    call_command("rekap_evaluasi", tahun=TAHUN, stdout=out)
    rekap = {r["unit"]: r for r in json.loads(out.getvalue())}
    assert rekap[DINSOS]["dikembalikan_terbuka"] == 0
    assert rekap[DINKES]["dikembalikan_terbuka"] == 1
