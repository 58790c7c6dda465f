"""A whole TPI round in Chromium with two units and two TPI members, one window after the
other: the Admin opens the round and assigns the evaluators; in the self-assessment the
Sekretaris answers on the LKE page and both units submit; in the evaluation each TPI
answers and sends a question back, and a TPI cannot answer for a unit not assigned to it;
in the revision the unit changes only the sent-back answer and marks it fixed; in the final
check its TPI closes it, the ketua writes and signs the LHE; the Admin reads the rekap and
downloads it as XLSX."""

import io
import json
import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from evaluasi.models import Langkah, PutaranEvaluasi
from lke.models import JawabanLke
from organisasi.models import Keanggotaan, Peran, UnitKerja

from .conftest import login

TAHUN = 2024
DINSOS, DINKES = "dinsos-mojokerto", "dinkes-mojokerto"


def _keluar(page):
    page.context.clear_cookies()


def _buka(langkah):
    """Move the round's windows so that `langkah` is the one open today (the earlier ones
    over, the later ones to come), as time would."""
    hari = timezone.localdate()
    i = list(Langkah).index(langkah)
    awal = hari - timedelta(days=11 * i + 1)
    PutaranEvaluasi.objects.filter(tahun=TAHUN).update(**{
        f"{lg}_{ujung}": awal + timedelta(days=11 * k + (9 if ujung == "selesai" else 0))
        for k, lg in enumerate(Langkah) for ujung in ("mulai", "selesai")})


def _jawab(page, kode, sisi, nilai):
    form = page.locator(f'tr[data-kode="{kode}"] [data-testid="form-{sisi}"]')
    with page.expect_response(re.compile(r"/soal/\d+/$")):
        form.locator('[name="jawaban"]').select_option(nilai)
    expect(page.get_by_test_id("status-simpan")).to_contain_text("Tersimpan")


def _jawaban(kode, unit=DINSOS):
    return JawabanLke.objects.get(soal__kode=kode, unit__kode=unit,
                                  soal__komponen__area__lke__tahun=TAHUN)


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

    # --- the self-assessment: the Sekretaris answers on the LKE page ----------------------
    _buka(Langkah.MANDIRI)
    login(page, "sekretaris")
    page.goto(reverse("lke:lke", args=[DINSOS, TAHUN]))
    _jawab(page, "A.I.1.a", "unit", "Tidak")
    expect(page.locator('[data-testid="form-tpi"]')).to_have_count(0)
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

    # --- the evaluation: each TPI answers and sends one question back ---------------------
    _buka(Langkah.EVALUASI)
    login(page, "tpi")
    page.goto(reverse("lke:lke", args=[DINSOS, TAHUN]))
    expect(page.locator('[data-testid="form-unit"]')).to_have_count(0)  # submitted: frozen
    _jawab(page, "A.I.1.b", "tpi", "A")
    assert _jawaban("A.I.1.b").jawaban_tpi == "A"
    # its role in Dinas Kesehatan does not make it that unit's evaluator in the round
    page.goto(reverse("lke:lke", args=[DINKES, TAHUN]))
    expect(page.get_by_test_id("jendela-tertutup")).to_contain_text(
        "Anda tidak ditugaskan sebagai TPI unit ini")
    expect(page.locator('[data-testid="form-tpi"]')).to_have_count(0)
    _keluar(page)
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

    # --- the revision: only the sent-back answer can change; the member marks it fixed ---
    _buka(Langkah.PERBAIKAN)
    login(page, "sekretaris")
    page.goto(reverse("lke:lke", args=[DINSOS, TAHUN]))
    expect(page.get_by_test_id("jendela-tertutup")).to_contain_text(
        "hanya dapat mengubah jawaban soal yang dikembalikan TPI")
    expect(page.locator('tr[data-kode="A.I.1.b"] [data-testid="form-unit"]')).to_have_count(0)
    _jawab(page, "A.I.1.a", "unit", "Ya")
    assert _jawaban("A.I.1.a").jawaban_unit == "Ya"
    shot(page, "96-evaluasi-lke-perbaikan", full_page=False)
    _keluar(page)
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

    # --- the final check: its TPI closes it --------------------------------------------
    _buka(Langkah.PEMERIKSAAN)
    login(page, "tpi")
    page.goto(reverse("evaluasi:periksa_ulang", args=[TAHUN, DINSOS]))
    expect(page.get_by_test_id("butir-A.I.1.a")).to_contain_text(
        "SK yang ditandatangani sudah diunggah.")
    shot(page, "95-evaluasi-periksa-ulang", full_page=False)
    page.get_by_test_id("tutup-A.I.1.a").get_by_role("button", name="Terima dan tutup").click()
    expect(page.get_by_test_id("kosong")).to_be_visible()

    # --- the ketua writes the LHE and signs it -------------------------------------------
    page.goto(reverse("evaluasi:lhe", args=[TAHUN, DINSOS]))
    form = page.get_by_test_id("catatan-form")
    form.locator("textarea").first.fill("Tim kerja sudah dibentuk dengan SK yang sah.")
    page.get_by_test_id("simpan-catatan").click()
    expect(page.get_by_text("Catatan LHE disimpan.")).to_be_visible()
    expect(page.get_by_test_id("kembali")).to_contain_text("A.I.1.a")
    page.fill("#nip", "19700101 199001 1 001")
    page.get_by_test_id("tandatangani").click()
    page.check("#setuju")
    page.fill("#kata_sandi", "demo12345")
    page.get_by_test_id("konfirmasi-tanda").click()
    expect(page.get_by_test_id("lhe-tertanda")).to_contain_text("Versi 1")
    shot(page, "97-evaluasi-lhe-tertanda", full_page=False)
    _keluar(page)

    # --- the Admin's rekap, on the page and as XLSX ---------------------------------------
    login(page, "admin")
    page.goto(reverse("evaluasi:rekap", args=[TAHUN]))
    expect(page.get_by_test_id(f"rekap-{DINKES}").get_by_test_id("dikembalikan")).to_have_text("1")
    expect(page.get_by_test_id(f"rekap-{DINSOS}").get_by_test_id("dikembalikan")).to_have_text("0")
    shot(page, "98-evaluasi-rekap", full_page=False)
    with page.expect_download() as unduh:
        page.get_by_test_id("rekap-xlsx").click()
    assert unduh.value.suggested_filename.endswith(".xlsx")
    with open(unduh.value.path(), "rb") as f:
        sel = [[c for c in r if c is not None]
               for r in load_workbook(f).active.iter_rows(values_only=True)]
    assert any("Dinas Sosial Kabupaten Mojokerto" in r for r in sel)

    out = io.StringIO()
    call_command("rekap_evaluasi", tahun=TAHUN, stdout=out)
    rekap = {r["unit"]: r for r in json.loads(out.getvalue())}
    assert rekap[DINSOS]["dikembalikan_terbuka"] == 0
    assert rekap[DINKES]["dikembalikan_terbuka"] == 1
