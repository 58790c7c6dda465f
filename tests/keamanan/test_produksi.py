"""The production shape: `check --deploy` passes with the documented settings, gunicorn +
whitenoise serve the app with DEBUG off, the Content-Security-Policy holds (no inline
scripts anywhere), and repeated failed sign-ins lock the user name out (django-axes)."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PY = sys.executable


def env_produksi(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ZI_", "DATABASE_"))}
    env.update({
        "DJANGO_DEBUG": "False", "DJANGO_SECRET_KEY": "uji-" + "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,zi.contoh.go.id",
        "DATABASE_URL": f"sqlite:///{tmp_path}/prod.sqlite3",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"), "ZI_MEDIA_ROOT": str(tmp_path / "berkas"),
    })
    env.update(extra)
    return env


def run(args, env):
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def test_check_deploy_lulus_dengan_pengaturan_produksi(tmp_path):
    r = run(["check", "--deploy", "--fail-level", "WARNING"], env_produksi(tmp_path))
    assert r.returncode == 0, r.stderr + r.stdout
    # without a secret key, production refuses to start
    env = env_produksi(tmp_path)
    del env["DJANGO_SECRET_KEY"]
    r = run(["check"], env)
    assert r.returncode != 0 and "DJANGO_SECRET_KEY wajib diisi" in r.stderr


def _port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_whitenoise_tanpa_debug(tmp_path):
    env = env_produksi(tmp_path, DJANGO_SECURE_SSL_REDIRECT="False")
    for args in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        r = run(args, env)
        assert r.returncode == 0, r.stderr
    port = _port()
    env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    env["GUNICORN_WORKERS"] = "1"
    proc = subprocess.Popen([str(Path(PY).parent / "gunicorn"), "zona_integritas.wsgi", "-c",
                             "zona_integritas/gunicorn_conf.py"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                page = urllib.request.urlopen(base + "/masuk/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start: " + proc.stderr.read1().decode())
        html = page.read().decode()
        assert page.status == 200 and "Masuk ke aplikasi Zona Integritas" in html
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        assert "Secure" in page.headers["Set-Cookie"] and "HttpOnly" not in page.headers["Set-Cookie"].split(
            "csrftoken")[0]
        # static files: hashed names from the manifest, served by whitenoise with a long cache
        js = re.search(r'src="(/static/js/zi\.[0-9a-f]{12}\.js)"', html)
        assert js, "hashed static name"
        st = urllib.request.urlopen(base + js.group(1), timeout=5)
        assert st.status == 200 and "max-age=315360000" in st.headers["Cache-Control"]
        # DEBUG is off: an unknown page is the app's own 404, no debug page
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(base + "/tidak-ada/", timeout=5)
        assert e.value.code == 404 and b"URLconf" not in e.value.read()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=[\"']|javascript:", re.I)


def test_tidak_ada_skrip_inline_di_templat():
    """The CSP allows only the site's own script files: no template may carry an inline
    script, an on...= handler or a javascript: URL."""
    found = []
    for p in (ROOT / "templates").rglob("*.html"):
        for m in INLINE.finditer(p.read_text(encoding="utf-8")):
            found.append(f"{p.relative_to(ROOT)}: {m.group(0)}")
    assert found == []


def test_csp_pada_setiap_halaman(client_as):
    r = client_as("sekretaris").get("/lke/dinsos-mojokerto/2024/")
    csp = r["Content-Security-Policy"]
    script = re.search(r"script-src ([^;]*)", csp).group(1)
    assert script.strip() == "'self'" and "frame-ancestors 'none'" in csp


@pytest.mark.django_db
def test_masuk_dikunci_setelah_gagal_berulang(client, users, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        r = client.post("/masuk/", {"username": "sekretaris", "password": "salah"})
        assert r.status_code in (200, 429)
    # now even the right password is refused, with a clear message
    r = client.post("/masuk/", {"username": "sekretaris", "password": "demo12345"})
    assert r.status_code == 429
    assert "Terlalu banyak percobaan masuk" in r.content.decode()
    assert "_auth_user_id" not in client.session
    # another user from the same address is not locked out
    r = client.post("/masuk/", {"username": "anggota1", "password": "demo12345"})
    assert r.status_code == 302
