"""The app server killed (SIGKILL, master and worker) in the middle of an upload: no
half-written file is ever shown as evidence, and the same upload retried afterwards is
stored whole. gunicorn runs with production settings and one worker on a throw-away
SQLite database (rollback journal), as in test_produksi.py.

Three moments:
- while the request body is still arriving (half of it sent);
- after the file has been written to evidence storage, before the transaction commits:
  a read transaction of the test holds SQLite's SHARED lock, so the worker's COMMIT waits
  (up to its 5 s busy timeout) and the kill lands in that window every time;
- right after the commit (the journal file is gone), whether or not the response got out.
"""

import hashlib
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PY = sys.executable
PASSWORD = "demo12345"
MB = 1024 * 1024


def _port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(d, static):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ZI_", "DATABASE_"))}
    env.update({
        "DJANGO_DEBUG": "False", "DJANGO_SECRET_KEY": "uji-" + "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DATABASE_URL": f"sqlite:///{d}/prod.sqlite3",
        "DJANGO_STATIC_ROOT": str(static), "ZI_MEDIA_ROOT": str(d / "berkas"), "ZI_DEMO": "1",
        # plain HTTP on loopback
        "DJANGO_SECURE_SSL_REDIRECT": "False", "DJANGO_SECURE_COOKIES": "False",
        # Django streams uploads above 2 MB to a temporary file here (tempfile honours TMPDIR)
        "TMPDIR": str(d / "systmp"), "GUNICORN_WORKERS": "1",
    })
    (d / "systmp").mkdir(exist_ok=True)
    return env


def _manage(args, env):
    r = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr + r.stdout
    return r.stdout


@pytest.fixture(scope="module")
def basis(tmp_path_factory):
    """A migrated database with the seed plan and demo users, copied by each test."""
    d = tmp_path_factory.mktemp("putus-basis")
    env = _env(d, d / "static")
    _manage(["migrate", "--noinput", "-v", "0"], env)
    _manage(["collectstatic", "--noinput", "-v", "0"], env)
    _manage(["siapkan_demo", "--tanpa-isi", "-v", "0"], env)  # the seed plans only
    out = _manage(["shell", "--no-imports", "-c",
                   "from rencana_aksi.models import RencanaAksi as R; ra = R.objects.get("
                   "teks='Pembentukan Tim Kerja ZI dalam unit kerja', indikator__komponen__"
                   "area_rencana__rencana_kerja__unit__kode='dinsos-mojokerto'); "
                   "print(ra.pk, ra.bukti_dukung.get().pk)"], env)
    ra, bd = (int(x) for x in out.split())
    return {"db": d / "prod.sqlite3", "static": d / "static", "ra": ra, "bd": bd}


class Server:
    """gunicorn with production settings; kill() is SIGKILL to master and worker."""

    def __init__(self, env, log):
        self.env, self.log, self.proc, self.pids = env, log, None, []
        self.port = None

    def start(self):
        self.port = _port()
        self.proc = subprocess.Popen(
            [str(Path(PY).parent / "gunicorn"), "zona_integritas.wsgi", "-c",
             "zona_integritas/gunicorn_conf.py"], cwd=ROOT,
            env={**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"},
            stdout=subprocess.DEVNULL, stderr=open(self.log, "ab"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, "gunicorn stopped: " + self.log.read_text()[-2000:]
            try:
                status, _ = Klien(self.port).get("/masuk/")
                if status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start")
        assert len(self.workers()) == 1

    def workers(self):
        found = []
        for p in Path("/proc").iterdir():
            if p.name.isdigit():
                try:
                    stat = (p / "stat").read_text()
                except OSError:
                    continue
                if int(stat[stat.rindex(")") + 2:].split()[1]) == self.proc.pid:
                    found.append(int(p.name))
        return found

    def kill(self, pids=None):
        """`pids`: [master, worker] looked up beforehand, to kill without delay."""
        # the current worker (a child of the live master), then the master
        self.pids = pids or [self.proc.pid, *self.workers()]
        for pid in reversed(self.pids):
            os.kill(pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.proc = None

    def stop(self):
        if self.proc is None:  # killed already
            return
        workers = self.workers() if self.proc.poll() is None else []
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            for pid in [*workers, self.proc.pid]:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            self.proc.wait(timeout=30)
        self.proc = None


class Klien:
    """Cookies, CSRF and raw requests, enough for login and uploads."""

    def __init__(self, port, cookies=None):
        self.port, self.cookies = port, dict(cookies or {})

    def _head(self, method, path, extra):
        h = {"Host": f"127.0.0.1:{self.port}", "Connection": "close",
             "Referer": f"http://127.0.0.1:{self.port}{path}",
             "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **extra}
        return (f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items())
                + "\r\n").encode()

    def send(self, method, path, body=b"", extra=None):
        """Send the request (headers and body); returns the open socket."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        s.sendall(self._head(method, path, {"Content-Length": str(len(body)), **(extra or {})}))
        s.sendall(body)
        return s

    def read(self, s):
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
        s.close()
        raw = b"".join(chunks)
        head, _, body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = [line.split(": ", 1) for line in lines[1:]]
        for k, v in headers:
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";")[0]
                if value in ("", '""'):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
        self.location = next((v for k, v in headers if k.lower() == "location"), "")
        if "chunked" in dict((k.lower(), v) for k, v in headers).get("transfer-encoding", ""):
            body = _unchunk(body)
        return int(lines[0].split()[1]), body

    def get(self, path):
        return self.read(self.send("GET", path))

    def csrf(self, page):
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()

    def login(self, username):
        _, page = self.get("/masuk/")
        body = urllib.parse.urlencode({"username": username, "password": PASSWORD,
                                       "csrfmiddlewaretoken": self.csrf(page)}).encode()
        status, _ = self.read(self.send("POST", "/masuk/", body, {
            "Content-Type": "application/x-www-form-urlencoded"}))
        assert status == 302, "login failed"


def _unchunk(body):
    out = b""
    while body:
        size, _, body = body.partition(b"\r\n")
        n = int(size, 16)
        if n == 0:
            break
        out, body = out + body[:n], body[n + 2:]
    return out


def _upload_body(token, data, name):
    boundary = "----ziputus"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n"
            f"{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"bulan\"\r\n\r\n"
            f"2024-02\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"berkas\"; "
            f"filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n").encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), \
        {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def _pdf(mb=6):
    """Unique content above FILE_UPLOAD_MAX_MEMORY_SIZE (2 MB): streamed to a temp file."""
    return b"%PDF-1.4\n%putus\n" + os.urandom(mb * MB) + b"\n%%EOF\n"


def _until(cond, what, timeout=15, every=0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(every)
    pytest.fail(f"timed out waiting for {what}")


def _sizes(root):
    """{relative path: size} of the files under root (a file may vanish meanwhile)."""
    out = {}
    for p in root.rglob("*") if root.exists() else []:
        try:
            if p.is_file():
                out[p.relative_to(root).as_posix()] = p.stat().st_size
        except OSError:
            pass
    return out


def _rows(db, sql):
    con = sqlite3.connect(db, timeout=10)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def situasi(basis, tmp_path):
    shutil.copy(basis["db"], tmp_path / "prod.sqlite3")
    env = _env(tmp_path, basis["static"])
    servers = []

    def server():
        s = Server(env, tmp_path / "gunicorn.log")
        servers.append(s)
        s.start()
        return s

    yield {**basis, "dir": tmp_path, "db": tmp_path / "prod.sqlite3", "server": server, "env": env,
           "bukti": tmp_path / "berkas" / "bukti", "systmp": tmp_path / "systmp"}
    for s in servers:  # always: no server outlives the test
        s.stop()


def _login_and_token(sit, port):
    k = Klien(port)
    k.login("anggota1")
    status, page = k.get(f"/rencana-aksi/{sit['ra']}/bukti/")
    assert status == 200
    return k, k.csrf(page)


def _assert_nothing_shown(sit, k, name):
    db = sit["db"]
    assert _rows(db, "SELECT count(*) FROM bukti_dukung_berkas") == [(0,)]
    assert _rows(db, f"SELECT count(*) FROM bukti_dukung_pengajuan WHERE bukti_dukung_id = "
                     f"{sit['bd']}") == [(0,)]
    status, page = k.get(f"/rencana-aksi/{sit['ra']}/bukti/")
    assert status == 200 and name.encode() not in page


def _assert_rows_point_to_whole_files(sit):
    """Every file a Berkas row points to exists in evidence storage and hashes to the row."""
    for path, sha, size in _rows(sit["db"], "SELECT berkas, sha256, ukuran FROM bukti_dukung_berkas"):
        data = (sit["bukti"] / path).read_bytes()
        assert len(data) == size and hashlib.sha256(data).hexdigest() == sha, path


def _retry_succeeds(sit, k, data, name):
    _, page = k.get(f"/rencana-aksi/{sit['ra']}/bukti/")
    body, extra = _upload_body(k.csrf(page), data, name)
    status, _ = k.read(k.send("POST", f"/bukti-dukung/{sit['bd']}/unggah/", body, extra))
    assert status == 302
    status, page = k.get(k.location.split("#")[0])
    assert status == 200 and "1 berkas tersimpan untuk" in page.decode()
    assert name.encode() in page
    rows = _rows(sit["db"], "SELECT b.berkas, b.sha256, p.status FROM bukti_dukung_berkas b JOIN "
                            "bukti_dukung_pengajuan p ON p.id = b.pengajuan_id")
    assert len(rows) == 1 and rows[0][1] == hashlib.sha256(data).hexdigest()
    assert rows[0][2] == "diajukan"
    _assert_rows_point_to_whole_files(sit)


def test_putus_saat_badan_permintaan_masih_dikirim(situasi):
    sit = situasi
    server = sit["server"]()
    k, token = _login_and_token(sit, server.port)
    data, name = _pdf(), "sk-tim-putus.pdf"
    body, extra = _upload_body(token, data, name)
    s = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    try:
        s.sendall(k._head("POST", f"/bukti-dukung/{sit['bd']}/unggah/",
                          {"Content-Length": str(len(body)), **extra}))
        s.sendall(body[:len(body) // 2])
        # the worker is reading the body: Django's temporary upload file is growing
        _until(lambda: any(size > MB for size in _sizes(sit["systmp"]).values()),
               "the worker to stream the body to its temporary file")
        server.kill()
    finally:
        s.close()
    left = _sizes(sit["systmp"])
    print("temporary files left after the kill:", left)
    # the partial temporary file stays in the system temp dir (SIGKILL: no clean-up), never
    # in evidence storage
    assert all(size < len(data) for size in left.values())
    assert _sizes(sit["bukti"]) == {}

    server = sit["server"]()
    k = Klien(server.port, k.cookies)  # the same session after the restart
    _assert_nothing_shown(sit, k, name)
    assert _sizes(sit["bukti"]) == {}
    _retry_succeeds(sit, k, data, name)


def _hold_commit(db):
    """A read transaction that keeps SQLite's SHARED lock: a writer may prepare its
    transaction (RESERVED) but its COMMIT waits for this lock."""
    assert _rows(db, "PRAGMA journal_mode") == [("delete",)]
    con = sqlite3.connect(db, isolation_level=None, timeout=10)
    con.execute("BEGIN")
    con.execute("SELECT count(*) FROM bukti_dukung_berkas").fetchall()
    return con


def _send_whole_upload_when_file_stored(sit, k, token, data, name):
    """Send the whole upload while the commit is held; return the socket once the file is
    whole in evidence storage and the worker's transaction is still open."""
    body, extra = _upload_body(token, data, name)
    hold = _hold_commit(sit["db"])
    try:
        s = k.send("POST", f"/bukti-dukung/{sit['bd']}/unggah/", body, extra)
        _until(lambda: len(data) in _sizes(sit["bukti"]).values(),
               "the file to be written to evidence storage")
        journal = Path(f"{sit['db']}-journal")
        assert journal.exists()  # the worker's transaction is open, not committed
    except BaseException:
        hold.rollback()
        hold.close()
        raise
    return s, hold, journal


def test_putus_setelah_berkas_ditulis_sebelum_commit(situasi):
    sit = situasi
    server = sit["server"]()
    k, token = _login_and_token(sit, server.port)
    data, name = _pdf(), "sk-tim-sebelum-commit.pdf"
    s, hold, _ = _send_whole_upload_when_file_stored(sit, k, token, data, name)
    try:
        server.kill()
    finally:
        hold.rollback()
        hold.close()
        s.close()
    stored = _sizes(sit["bukti"])
    assert list(stored.values()) == [len(data)]  # written before the commit, no row yet
    print("evidence storage after the kill:", stored, "temporary files:", _sizes(sit["systmp"]))

    server = sit["server"]()
    k = Klien(server.port, k.cookies)
    _assert_nothing_shown(sit, k, name)  # the journal rolled the transaction back
    referenced = {r[0] for r in _rows(sit["db"], "SELECT berkas FROM bukti_dukung_berkas")}
    assert referenced.isdisjoint(stored)
    _retry_succeeds(sit, k, data, name)

    # the daily sweep removes the orphan once it is old enough, and nothing else
    out = _manage(["bersihkan_berkas", "--hapus"], sit["env"])
    assert "0 berkas yatim dihapus" in out  # still young: an upload may be in flight
    jam_lalu = time.time() - 2 * 3600
    for p in sit["bukti"].rglob("*"):
        os.utime(p, (jam_lalu, jam_lalu))
    out = _manage(["bersihkan_berkas", "--hapus"], sit["env"])
    assert "1 berkas yatim dihapus" in out and list(stored)[0] in out
    assert set(_sizes(sit["bukti"])).isdisjoint(stored)
    _assert_rows_point_to_whole_files(sit)
    assert len(_sizes(sit["bukti"])) == 1


def test_putus_tepat_setelah_commit(situasi):
    sit = situasi
    server = sit["server"]()
    k, token = _login_and_token(sit, server.port)
    data, name = _pdf(), "sk-tim-setelah-commit.pdf"
    s, hold, journal = _send_whole_upload_when_file_stored(sit, k, token, data, name)
    try:
        pids = [server.proc.pid, *server.workers()]
        hold.rollback()
        hold.close()
        _until(lambda: not journal.exists(), "the commit", timeout=10, every=0)
        server.kill(pids)
        s.settimeout(5)
        try:
            got_response = bool(s.recv(1))
        except OSError:
            got_response = False
    finally:
        s.close()
    print(f"kill after commit; response had reached the client: {got_response}")

    server = sit["server"]()
    k = Klien(server.port, k.cookies)
    # committed: the row and its whole file, shown on the page
    rows = _rows(sit["db"], "SELECT sha256 FROM bukti_dukung_berkas")
    assert rows == [(hashlib.sha256(data).hexdigest(),)]
    _assert_rows_point_to_whole_files(sit)
    status, page = k.get(f"/rencana-aksi/{sit['ra']}/bukti/")
    assert status == 200 and name.encode() in page
    # a retry (the user saw no answer) is told the file is already there, nothing doubled
    body, extra = _upload_body(k.csrf(page), data, name)
    status, _ = k.read(k.send("POST", f"/bukti-dukung/{sit['bd']}/unggah/", body, extra))
    assert status == 302
    status, page = k.get(k.location.split("#")[0])
    assert f"“{name}” tidak disimpan: isinya sama dengan “{name}”" in page.decode()
    assert _rows(sit["db"], "SELECT count(*) FROM bukti_dukung_berkas") == [(1,)]
    assert len(_sizes(sit["bukti"])) == 1
