"""End to end in headless Chromium: the Sekretaris works the plan."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from rencana_aksi.models import Komponen, RencanaAksi

from .conftest import login


def test_sekretaris_filters_assigns_pic_and_logs_out(page, shot):
    page.goto("/")
    assert "/masuk/" in page.url
    shot(page, "01-masuk", full_page=False)

    login(page, "sekretaris")
    page.goto("/rencana/dinsos-mojokerto/2024/")
    rows = page.locator('[data-testid="rencana-aksi"]')
    # the plan opens on its first area; "Semua area" shows all 110 actions
    area_i = RencanaAksi.objects.filter(
        indikator__komponen__area_rencana__area__kode="I",
        indikator__komponen__area_rencana__rencana_kerja__unit__kode="dinsos-mojokerto").count()
    assert rows.count() == area_i < 110
    expect(page.locator("#id_area")).to_have_value("I")
    page.get_by_test_id("area-semua").click()
    page.wait_for_url(re.compile(r"area=semua"))
    assert rows.count() == 110
    assert page.get_by_text("SK Tim Kerja ZI telah dibuat sesuai prosedur").first.is_visible()
    shot(page, "02-rencana-kerja", full_page=False)

    # filter by month: htmx swaps the tree and pushes the URL
    page.select_option("#id_bulan", "2024-04")
    page.wait_for_url(re.compile(r"bulan=2024-04"))
    april = RencanaAksi.objects.filter(target_bulan__bulan="2024-04-01",
                                       indikator__komponen__area_rencana__rencana_kerja__unit__kode="dinsos-mojokerto").count()
    # Playwright's own waits: a string predicate would need eval, which the CSP forbids
    expect(rows).to_have_count(april)
    assert page.get_by_text("Menetapkan Agen Perubahan").first.is_visible()
    shot(page, "03-filter-bulan-april", full_page=False)

    # assign a PIC to the komponen of that row
    komponen = page.locator("[id^=komponen-]").first
    komponen.get_by_role("link", name="Ubah").first.click()
    page.wait_for_url(re.compile(r"/komponen/\d+/ubah/"))
    shot(page, "04-ubah-komponen", full_page=False)
    page.select_option("#id_pic", label="Anggota Tim ZI Dua")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url(re.compile(r"/rencana/dinsos-mojokerto/2024/"))
    assert page.get_by_text("Komponen disimpan.").is_visible()
    kid = int(page.url.split("#komponen-")[1])
    assert Komponen.objects.get(pk=kid).pic.username == "anggota2"
    assert "Anggota Tim ZI Dua" in page.locator(f"#komponen-{kid} [data-testid=pic-komponen]").inner_text()

    # the same PIC filter now lists that komponen
    page.select_option("#id_pic", label="Anggota Tim ZI Dua")
    page.wait_for_url(re.compile(r"pic=\d+"))
    page.wait_for_selector(f"#komponen-{kid}")

    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(re.compile(r"/masuk/"))
    page.goto("/rencana/dinsos-mojokerto/2024/")
    assert "/masuk/" in page.url


def test_unreadable_target_set_by_hand(page, shot):
    login(page, "sekretaris")
    page.goto("/rencana/dinsos-mojokerto/2024/?area=semua")
    page.fill("#id_q", "surat edaran")
    page.wait_for_url(re.compile(r"q=surat"))
    row = page.locator('[data-testid="rencana-aksi"]').first
    assert "bulan perlu diatur" in row.inner_text()
    row.get_by_role("link", name="Ubah rencana aksi").click()
    assert page.get_by_text("tidak dapat dibaca sebagai bulan").is_visible()
    assert page.locator("#id_ikuti_teks").count() == 0  # months not set by hand yet
    page.check("input[name=bulan][value='2024-06']")
    shot(page, "05-ubah-rencana-aksi", full_page=True)
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url(re.compile(r"#ra-\d+"))
    ra_id = int(page.url.split("#ra-")[1])
    chips = page.locator(f"#ra-{ra_id} [data-testid=chips]").inner_text()
    assert "Jun 2024" in chips and "diatur manual" in chips


def test_member_reads_and_other_unit_is_hidden(page, shot):
    login(page, "anggota1")
    page.goto("/rencana/dinsos-mojokerto/2024/")
    assert page.get_by_role("link", name="Ubah", exact=True).count() == 0
    page.goto(reverse("rencana_aksi:pendahuluan", args=["dinsos-mojokerto", 2024]))
    assert page.get_by_text("Mekanisme penetapan Tim Zona Integritas").is_visible()
    shot(page, "06-pendahuluan", full_page=False)
    resp = page.goto("/rencana/dinkes-mojokerto/2024/")
    assert resp.status == 404


def test_import_error_is_shown(page, shot, tmp_path):
    bad = tmp_path / "rencana.xlsx"
    bad.write_bytes(b"bukan spreadsheet")
    login(page, "sekretaris")
    page.goto("/rencana/dinsos-mojokerto/2024/")
    page.get_by_role("link", name="Impor").click()
    page.set_input_files("#id_berkas", str(bad))
    page.get_by_role("button", name="Impor").click()
    assert page.locator('[data-testid="galat-impor"]').is_visible()
    assert "bukan spreadsheet XLSX yang sah" in page.locator('[data-testid="galat-impor"]').inner_text()
    shot(page, "07-impor-galat", full_page=False)
