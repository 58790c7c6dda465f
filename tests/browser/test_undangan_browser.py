"""The Admin invites a member by e-mail; the member sets a password from the mail's link
and signs in; the Sekretaris's people page fits a phone."""

import re
from urllib.parse import urlparse

from django.core import mail
from playwright.sync_api import expect

from .conftest import login

ANGGOTA = "/unit/dinsos-mojokerto/anggota/"
SANDI = "Kebun-Teh-Pacet-42"


def test_undang_atur_sandi_masuk(page, shot, chromium, live_server):
    login(page, "admin")
    page.goto(ANGGOTA)
    expect(page.get_by_role("heading", name="Anggota tim")).to_be_visible()
    shot(page, "70-anggota-tim")
    page.get_by_role("link", name="Undang anggota").click()
    page.get_by_label("Nama lengkap").fill("Sri Wahyuni")
    page.get_by_label("Alamat e-mail").fill("sri.wahyuni@dinsos.mojokertokab.go.id")
    page.get_by_label("Anggota Tim ZI").check()
    shot(page, "71-undang")
    page.get_by_role("button", name="Kirim undangan").click()
    page.wait_for_url(re.compile(ANGGOTA + "$"))
    expect(page.get_by_text("Undangan dikirim ke sri.wahyuni@dinsos.mojokertokab.go.id.")).to_be_visible()
    expect(page.get_by_text("Belum mengatur kata sandi")).to_be_visible()

    # the live server runs in this process: its mail lands in Django's test outbox
    [pesan] = mail.outbox
    link = re.search(r"https?://\S+/atur-sandi/\S+/", pesan.body).group(0)
    assert urlparse(link).netloc == urlparse(live_server.url).netloc

    ctx = chromium.new_context(base_url=live_server.url, locale="id-ID",
                               viewport={"width": 1366, "height": 900})
    baru = ctx.new_page()
    baru.goto(link)
    expect(baru.get_by_role("heading", name="Atur kata sandi")).to_be_visible()
    expect(baru.get_by_text("sri.wahyuni", exact=True)).to_be_visible()
    baru.locator("#id_new_password1").fill(SANDI)
    baru.locator("#id_new_password2").fill(SANDI)
    shot(baru, "72-atur-sandi")
    baru.get_by_role("button", name="Simpan kata sandi").click()
    expect(baru.get_by_text("Kata sandi Anda sudah diatur")).to_be_visible()
    login(baru, "sri.wahyuni", SANDI)
    expect(baru.get_by_test_id("posisi")).to_contain_text("Dinas Sosial")
    expect(baru.get_by_test_id("pengguna")).to_have_text("Sri Wahyuni")

    # a forgotten password, from the sign-in page
    lupa = chromium.new_context(base_url=live_server.url, locale="id-ID",
                                viewport={"width": 1366, "height": 900}).new_page()
    lupa.goto("/masuk/")
    lupa.get_by_role("link", name="Lupa kata sandi?").click()
    expect(lupa.get_by_role("heading", name="Lupa kata sandi")).to_be_visible()
    shot(lupa, "73-lupa-sandi")
    lupa.get_by_label("Alamat e-mail").fill("sri.wahyuni@dinsos.mojokertokab.go.id")
    lupa.get_by_role("button", name="Kirim tautan").click()
    expect(lupa.get_by_role("heading", name="Periksa e-mail Anda")).to_be_visible()
    assert len(mail.outbox) == 2

    page.goto("/admin/")
    expect(page.get_by_text("Keamanan masuk")).to_be_visible()
    shot(page, "74-admin")
    ctx.close()
    lupa.context.close()


def test_anggota_tim_di_ponsel(chromium, live_server, demo_data, shot):
    ctx = chromium.new_context(base_url=live_server.url, locale="id-ID",
                               viewport={"width": 390, "height": 844}, is_mobile=True)
    mobile = ctx.new_page()
    errors = []
    mobile.on("pageerror", lambda e: errors.append(str(e)))
    login(mobile, "sekretaris")
    mobile.get_by_role("button", name="Menu").click()
    # the menu opens with an animation: the items are clicked once it is open
    expect(mobile.locator("#nav")).to_have_class(re.compile(r"\bshow\b"))
    mobile.get_by_test_id("nav-lainnya").click()
    tautan = mobile.get_by_role("link", name="Anggota tim")
    expect(tautan).to_be_visible()
    tautan.click()
    mobile.wait_for_url(re.compile(ANGGOTA + "$"))
    expect(mobile.get_by_test_id("anggota").first).to_be_visible()
    width = mobile.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the people page scrolls sideways on a phone ({width}px)"
    shot(mobile, "75-anggota-tim-ponsel")
    mobile.get_by_role("link", name="Atur peran").first.click()
    width = mobile.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the roles page scrolls sideways on a phone ({width}px)"
    shot(mobile, "76-atur-peran-ponsel")
    ctx.close()
    assert errors == []
