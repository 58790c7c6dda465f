"""Browser tests: Debian's Chromium driven by Playwright (never a downloaded browser).
A missing browser fails the run; it is never skipped."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; the ORM calls in tests are sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("ZI_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("ZI_SCREENSHOT_DIR", Path(settings.BASE_DIR) / "var" / "screenshots"))
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium tidak ditemukan di {CHROMIUM}: apt-get install chromium", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo_data(transactional_db):
    call_command("siapkan_demo", verbosity=0, stdout=open(os.devnull, "w"))


@pytest.fixture
def page(chromium, live_server, demo_data):
    context = chromium.new_context(base_url=live_server.url, locale="id-ID",
                                   viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15000)
    pg = context.new_page()
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    # the Content-Security-Policy must hold for every vendored and own asset
    pg.on("console", lambda m: errors.append(m.text)
          if m.type == "error" and "Content Security Policy" in m.text else None)
    yield pg
    context.close()
    assert errors == [], f"JavaScript or CSP errors: {errors}"


@pytest.fixture
def shot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name, full_page=True):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)

    return take


def login(page, username, password="demo12345"):
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/masuk/" not in url)  # the role's home
