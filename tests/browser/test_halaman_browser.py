"""A look at every page of the plan: each renders in Chromium without script errors, in
Indonesian, and its screenshot is kept for review."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from rencana_aksi.models import Indikator, RencanaAksi

from .conftest import login

PLAN = "/rencana/dinsos-mojokerto/2024/"


def test_every_plan_page_as_sekretaris(page, shot):
    login(page, "sekretaris")
    page.goto(PLAN)
    ind = Indikator.objects.filter(komponen__area_rencana__rencana_kerja__unit__kode="dinsos-mojokerto",
                                   teks__startswith="Dokumen rencana kerja").first()
    ra = RencanaAksi.objects.filter(indikator=ind).first()
    pages = [
        ("10-ubah-indikator", f"/indikator/{ind.pk}/ubah/", "Ubah indikator"),
        ("11-tambah-rencana-aksi", f"/indikator/{ind.pk}/tambah-rencana-aksi/", "Tambah rencana aksi"),
        ("12-ubah-rencana-aksi-bukti", f"/rencana-aksi/{ra.pk}/ubah/", "Bukti dukung yang diminta"),
        ("13-salin", PLAN + "salin/", "Salin rencana kerja"),
        ("14-ubah-pendahuluan", PLAN + "pendahuluan/ubah/", "Ubah pendahuluan dan lampiran"),
        ("15-impor", PLAN + "impor/", "Unduh templat XLSX"),
    ]
    for name, url, text in pages:
        resp = page.goto(url)
        assert resp.status == 200, url
        assert page.get_by_text(text).first.is_visible(), url
        shot(page, name)


def test_filter_urls_are_short_and_back_restores_the_form(page):
    login(page, "sekretaris")
    page.goto(PLAN)
    page.fill("#id_q", "gratifikasi")
    page.wait_for_url(re.compile(r"q=gratifikasi"))
    assert page.url.endswith("?area=I&q=gratifikasi")  # the area shown; no empty parameters
    page.select_option("#id_area", "II")
    page.wait_for_url(re.compile(r"area=II"))
    page.go_back()
    page.wait_for_url(re.compile(r"\?area=I&q=gratifikasi$"))
    expect(page.locator("#id_area")).to_have_value("I")
    assert page.input_value("#id_q") == "gratifikasi"


def test_admin_home_and_mobile_plan(page, shot, chromium, live_server):
    login(page, "admin")
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_text("Dinas Kesehatan Kabupaten Mojokerto").is_visible()
    shot(page, "16-beranda-admin")
    page.get_by_role("link", name="Ikhtisar unit").click()
    page.wait_for_url(re.compile(r"/wilayah/2024/"))
    assert page.locator("[data-testid=unit]").count() == 2
    shot(page, "30-ikhtisar-wilayah", full_page=False)
    resp = page.goto("/admin/")
    assert resp.status == 200 and page.get_by_text("Rencana Aksi Zona Integritas").first.is_visible()
    shot(page, "17-admin", full_page=False)

    ctx = chromium.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844},
                               is_mobile=True)
    mobile = ctx.new_page()
    login(mobile, "anggota1")
    mobile.goto(PLAN)
    width = mobile.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"page scrolls sideways on a phone ({width}px)"
    shot(mobile, "18-rencana-ponsel", full_page=False)
    ra = RencanaAksi.objects.filter(
        indikator__komponen__area_rencana__rencana_kerja__unit__kode="dinsos-mojokerto",
        teks__startswith="Mensosialisasikan").first()
    for name, url in (("25-bukti-ponsel", f"/rencana-aksi/{ra.pk}/bukti/"),
                      ("26-tugas-ponsel", "/tugas-saya/")):
        mobile.goto(url)
        width = mobile.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, f"{url} scrolls sideways on a phone ({width}px)"
        shot(mobile, name, full_page=False)
    ctx.close()


def test_error_pages(page, shot):
    login(page, "kepaladinas")
    page.goto(PLAN)
    ra = RencanaAksi.objects.filter(
        indikator__komponen__area_rencana__rencana_kerja__unit__kode="dinsos-mojokerto").first()
    resp = page.goto(f"/rencana-aksi/{ra.pk}/ubah/")
    assert resp.status == 403 and page.get_by_text("Akses ditolak").is_visible()
    shot(page, "19-akses-ditolak", full_page=False)


def test_dashboard_as_kepala_dinas(page, shot):
    login(page, "kepaladinas")
    page.locator("[data-testid=nav-dasbor]").click()
    page.wait_for_url(re.compile(r"/dasbor/"))
    assert page.locator("[data-testid=persen-total]").inner_text().strip() == "0,0 %"
    assert page.locator("[data-testid=per-area] tbody tr").count() == 12
    shot(page, "27-dasbor", full_page=False)
    figure = page.locator("[data-testid=terlambat]")
    n = int(figure.inner_text())
    figure.click()
    page.wait_for_url(re.compile(r"/kebutuhan/\?status=terlambat"))
    assert int(page.locator("[data-testid=jumlah]").inner_text()) == n
    assert page.locator("[data-testid=kebutuhan]").count() == min(n, 100)  # 100 a page
    shot(page, "28-kebutuhan-terlambat", full_page=False)
    page.goto(reverse("progres:linimasa", args=["dinsos-mojokerto", 2024]))
    assert page.locator("[data-testid=linimasa] tbody tr").count() == 110
    shot(page, "29-linimasa", full_page=False)
