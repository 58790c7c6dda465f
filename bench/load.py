"""Load on the production shape: concurrent uploaders and dashboard readers against gunicorn
and PostgreSQL over loopback, then every uploaded file checked.

    .venv/bin/python bench/load.py            # 50 uploaders + 10 readers for 60 s
    .venv/bin/python bench/load.py --quick    # the same for 10 s

PostgreSQL: DATABASE_URL (an empty database: the bench migrates it and adds users and
uploads), or (as root on Debian) the private server of bench/dashboard.py, started in /tmp
and stopped again. The app runs as in production (DEBUG off, whitenoise, hashed static
files, zona_integritas/gunicorn_conf.py) with 2 x cores + 1 workers, on a free loopback
port, plain HTTP (so SSL redirect and secure cookies are off). Seed: `siapkan_demo` and
--pengunggah extra Anggota Tim ZI of dinsos-mojokerto (uploads not limited to the PIC).

Every client logs in once (the right password: django-axes never counts a failure), then,
without pauses until the time is up:
- an uploader opens the evidence page of a random rencana aksi of the seed plan (the upload
  form and its CSRF token), posts one unique PDF (4-200 KB, random content) to a random
  bukti dukung x target month of it, and follows the redirect to the page, which must say
  the file was stored;
- a reader (the Sekretaris) opens the unit's dashboard and the plan page in turn.
Each request is timed (open connection to last byte); an error is any status outside
2xx/3xx, an exception, or an upload whose page does not confirm it. Before the load, one
client alone makes the same requests (their own time, without queueing); during it, the
CPU time of the clients, gunicorn and PostgreSQL is taken from /proc and PostgreSQL's
lock waits are sampled. Afterwards, through the ORM: every confirmed upload must be one
Berkas with its bukti dukung, month, size and SHA-256, and the bytes in evidence storage
must hash to it; lost = confirmed uploads missing or different. The last line is
`load: requests=N errors=E lost=L p95_ms=X` (p95 over every request of the load).
DATABASE_CONN_MAX_AGE in the environment is passed on to gunicorn (default 0)."""

import argparse
import atexit
import hashlib
import http.client
import os
import random
import re
import runpy
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from dashboard import private_postgres  # noqa: E402

UNIT, TAHUN, PASSWORD = "dinsos-mojokerto", 2024, "demo12345"
TIMEOUT = 180  # seconds per request: longer than gunicorn's own timeout (120 s)
HASIL = []     # requests: (kind, start, ms, error or None); list.append is atomic (GIL)
GALAT = []     # failures that are not a request's status: refused login or upload


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Klien:
    """One browser: a cookie jar, a new connection per request (Connection: close)."""

    def __init__(self, port):
        self.port, self.cookies, self.location = port, {}, ""

    def request(self, kind, method, path, body=None, headers=None):
        """Timed request; returns (status, body), or (None, b"") after an exception."""
        t0 = time.perf_counter()
        status, data, err = None, b"", None
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
            try:
                h = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                     "Referer": f"http://127.0.0.1:{self.port}{path}", "Connection": "close",
                     **(headers or {})}
                conn.request(method, path, body=body, headers=h)
                resp = conn.getresponse()
                data = resp.read()
                status = resp.status
                for k, v in resp.getheaders():
                    if k.lower() == "set-cookie":
                        name, _, rest = v.partition("=")
                        value = rest.split(";")[0]
                        if value in ("", '""'):
                            self.cookies.pop(name, None)  # deleted (messages shown)
                        else:
                            self.cookies[name] = value
                self.location = resp.getheader("Location", "")
            finally:
                conn.close()
            if not 200 <= status < 400:
                err = f"HTTP {status}"
        except Exception as exc:  # noqa: BLE001 - every failure is counted, by its kind
            err = type(exc).__name__
        HASIL.append((kind, t0, (time.perf_counter() - t0) * 1000, err))
        return status, data

    def csrf(self, page):
        m = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return m.group(1).decode() if m else self.cookies.get("csrftoken", "")

    def login(self, username):
        _, page = self.request("masuk", "GET", "/masuk/")
        body = (f"csrfmiddlewaretoken={self.csrf(page)}&username={username}"
                f"&password={PASSWORD}").encode()
        status, _ = self.request("masuk", "POST", "/masuk/", body,
                                 {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302:
            GALAT.append(f"masuk {username} gagal ({status})")
            return False
        return True


def multipart(fields, filename, data):
    boundary = "----zi" + uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="berkas"; '
                 f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode())
    parts += [data, f"\r\n--{boundary}--\r\n".encode()]
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def pdf_unik(rng):
    """A unique small PDF: an id in a comment, random filler, 4-200 KB."""
    head = f"%PDF-1.4\n%zi-load {uuid.uuid4().hex}\n".encode()
    tail = b"\n%%EOF\n"
    return head + os.urandom(rng.randint(4 * 1024, 200 * 1024) - len(head) - len(tail)) + tail


def satu_unggahan(c, user, rng, targets, berhasil):
    """Open a random action's evidence page, upload one new PDF there, read the outcome."""
    ra, bd, bulan = rng.choice(targets)
    status, page = c.request("form", "GET", f"/rencana-aksi/{ra}/bukti/")
    if status != 200:
        return False
    data = pdf_unik(rng)
    name = f"bukti-{user}-{uuid.uuid4().hex[:8]}.pdf"
    body, ctype = multipart({"csrfmiddlewaretoken": c.csrf(page), "bulan": bulan,
                             "catatan": "uji beban"}, name, data)
    status, _ = c.request("unggah", "POST", f"/bukti-dukung/{bd}/unggah/", body,
                          {"Content-Type": ctype})
    if status != 302:
        return False
    # the page after the redirect carries the outcome (django messages)
    status, page = c.request("setelah", "GET", c.location.split("#")[0] or "/")
    if status == 200 and b"berkas tersimpan untuk" in page:
        berhasil.append({"user": user, "bd": bd, "bulan": bulan, "nama": name,
                         "ukuran": len(data), "sha256": hashlib.sha256(data).hexdigest()})
        return True
    if status == 200:
        pesan = re.findall(rb'class="alert[^"]*"[^>]*>(.*?)<', page, re.S)
        GALAT.append("unggahan ditolak: " + (
            pesan[0].decode(errors="replace").strip()[:80] if pesan else "tanpa pesan"))
    return False


def pengunggah(k, port, targets, siap, start, stop, berhasil):
    rng, user, c = random.Random(k), f"beban{k:02d}", Klien(port)
    ok = c.login(user)
    siap.append(k)
    if not ok:
        return
    start.wait()
    while not stop.is_set():
        if not satu_unggahan(c, user, rng, targets, berhasil):
            time.sleep(0.1)  # do not spin on a failing server


def pembaca(k, port, siap, start, stop):
    c = Klien(port)
    ok = c.login("sekretaris")
    siap.append(k)
    if not ok:
        return
    start.wait()
    pages = [("dasbor", f"/dasbor/{UNIT}/{TAHUN}/"), ("rencana", f"/rencana/{UNIT}/{TAHUN}/")]
    n = k  # half the readers start with the plan page
    while not stop.is_set():
        kind, path = pages[n % 2]
        status, _ = c.request(kind, "GET", path)
        if status != 200:
            time.sleep(0.1)
        n += 1


def cpu_detik(server):
    """CPU seconds so far of this process (all client threads), of gunicorn (master,
    workers, reaped workers), of the local PostgreSQL (postmaster, its backends, reaped
    ones too: a new backend per request with CONN_MAX_AGE=0), and idle time of all CPUs."""
    tck = os.sysconf("SC_CLK_TCK")
    stats = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                text = (d / "stat").read_text()
            except OSError:
                continue
            comm = text[text.index("(") + 1:text.rindex(")")]
            f = text[text.rindex(")") + 2:].split()
            stats[int(d.name)] = (comm, int(f[1]), sum(int(x) for x in f[11:15]),
                                  sum(int(x) for x in f[11:13]))
    gunicorn = sum(st[2] if pid == server else st[3] for pid, st in stats.items()
                   if pid == server or st[1] == server)
    master = {pid for pid, st in stats.items() if st[0] == "postgres"
              and stats.get(st[1], ("",))[0] != "postgres"}
    postgres = sum(st[2] if pid in master else st[3] for pid, st in stats.items()
                   if pid in master or st[1] in master)
    t = os.times()
    with open("/proc/stat") as f:
        total = [int(x) for x in f.readline().split()[1:9]]  # user .. steal
    return {"klien": t.user + t.system, "gunicorn": gunicorn / tck, "postgres": postgres / tck,
            "semua": (sum(total) - total[3] - total[4]) / tck, "menganggur": total[3] / tck}


def sampel_postgres(stop, out):
    """Every 0.2 s: the app's busy backends, and those waiting for a lock (row locks:
    uploads of one plan bump its data_versi inside their transaction)."""
    from django.db import connection

    sql = ("SELECT count(*) FILTER (WHERE state = 'active'), "
           "count(*) FILTER (WHERE wait_event_type = 'Lock') FROM pg_stat_activity "
           "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    try:
        with connection.cursor() as c:
            while not stop.wait(0.2):
                c.execute(sql)
                out.append(c.fetchone())
    except Exception:  # noqa: BLE001 - the server stops under it on Ctrl-C: only an aid
        pass
    finally:
        connection.close()


def siapkan(n_pengunggah, say):
    """migrate, seed, static files, the extra uploaders; returns the upload targets."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from organisasi.models import Keanggotaan, Peran, UnitKerja
    from rencana_aksi.models import BuktiDukung

    call_command("migrate", verbosity=0)
    call_command("siapkan_demo", verbosity=0, stdout=open(os.devnull, "w"))
    call_command("collectstatic", interactive=False, verbosity=0)
    unit = UnitKerja.objects.get(kode=UNIT)
    unit.unggah_hanya_pic = False
    unit.save(update_fields=["unggah_hanya_pic"])
    User = get_user_model()  # noqa: N806
    pw = make_password(PASSWORD)
    for k in range(1, n_pengunggah + 1):
        user, _ = User.objects.get_or_create(
            username=f"beban{k:02d}", defaults={"first_name": "Beban", "last_name": f"{k:02d}",
                                                "password": pw})
        Keanggotaan.objects.get_or_create(user=user, unit=unit, peran=Peran.ANGGOTA)
    bds = BuktiDukung.objects.filter(
        rencana_aksi__indikator__komponen__area_rencana__rencana_kerja__unit=unit,
        rencana_aksi__indikator__komponen__area_rencana__rencana_kerja__tahun=TAHUN,
    ).select_related("rencana_aksi").prefetch_related("rencana_aksi__target_bulan")
    targets = [(bd.rencana_aksi_id, bd.pk, m.strftime("%Y-%m"))
               for bd in bds for m in bd.rencana_aksi.bulan_list()]
    say(f"data: {len(bds)} bukti dukung, {len(targets)} pasangan bukti dukung x bulan target; "
        f"{n_pengunggah} pengunggah; berkas di {settings.MEDIA_ROOT}")
    return targets


def verifikasi(berhasil, id_awal):
    """(lost, extra, problems): confirmed uploads missing or different in the database or
    storage; bench uploads in the database that no client saw confirmed."""
    from bukti_dukung.models import Berkas

    rows = {b.sha256: b for b in Berkas.objects.filter(pk__gt=id_awal).select_related(
        "pengajuan", "diunggah_oleh")}
    problems = []
    for u in berhasil:
        b = rows.get(u["sha256"])
        if b is None:
            problems.append(f"{u['nama']}: tidak ada di basis data")
            continue
        got = (b.pengajuan.bukti_dukung_id, b.pengajuan.bulan.strftime("%Y-%m") if b.pengajuan.bulan
               else None, b.ukuran, b.nama_asli, b.diunggah_oleh.username)
        if got != (u["bd"], u["bulan"], u["ukuran"], u["nama"], u["user"]):
            problems.append(f"{u['nama']}: baris berbeda {got}")
            continue
        h = hashlib.sha256()
        try:
            with b.berkas.open("rb") as f:
                for chunk in iter(lambda f=f: f.read(1024 * 1024), b""):
                    h.update(chunk)
        except FileNotFoundError:
            problems.append(f"{u['nama']}: berkas {b.berkas.name} tidak ada di penyimpanan")
            continue
        if h.hexdigest() != u["sha256"]:
            problems.append(f"{u['nama']}: isi {b.berkas.name} berbeda")
    confirmed = {u["sha256"] for u in berhasil}
    extra = [b for b in rows.values() if b.sha256 not in confirmed]
    return len(problems), len(extra), problems


def p95(values):
    values = sorted(values)
    return values[int(0.95 * (len(values) - 1))] if values else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="10 detik")
    ap.add_argument("--detik", type=float, default=None, help="lama beban (bawaan 60, --quick 10)")
    ap.add_argument("--pengunggah", type=int, default=50)
    ap.add_argument("--pembaca", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2 * os.cpu_count() + 1)
    args = ap.parse_args()
    seconds = args.detik or (10 if args.quick else 60)
    # SIGTERM/SIGHUP unwind like Ctrl-C: gunicorn and the private PostgreSQL are stopped
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(128 + 15))

    def say(text):
        print(text, flush=True)

    t = time.perf_counter()
    n = 0
    for i in range(10_000_000):  # machine speed, to compare figures across machines
        n += i
    say(f"mesin: loop Python 10 juta langkah {time.perf_counter() - t:.2f} s, {os.cpu_count()} CPU")

    tmp = Path(tempfile.mkdtemp(prefix="zi-bench-load-"))
    keep = False
    pg_dirs = []
    stop = threading.Event()  # the clients and the sampler stop when it is set
    server = None
    try:
        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            # registered first, so it runs after the helper's own atexit stop
            atexit.register(lambda: [shutil.rmtree(d, ignore_errors=True) for d in pg_dirs if d])
            os.environ["DATABASE_URL"] = private_postgres()
            pg_dirs.append(None)  # filled below from the server itself
        port = free_port()
        os.environ.update({
            "DJANGO_SETTINGS_MODULE": "zona_integritas.settings",
            "DJANGO_DEBUG": "False", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            # plain HTTP on loopback: no redirect to HTTPS, cookies without Secure
            "DJANGO_SECURE_SSL_REDIRECT": "False", "DJANGO_SECURE_COOKIES": "False",
            "ZI_MEDIA_ROOT": str(tmp / "berkas"), "DJANGO_STATIC_ROOT": str(tmp / "static"),
            "ZI_DEMO": "1", "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(args.workers),
        })
        import django

        django.setup()
        from django.db import connection

        from bukti_dukung.models import Berkas

        with connection.cursor() as c:
            c.execute("SHOW server_version")
            pg = c.fetchone()[0]
            if pg_dirs:  # the private server's folder in /tmp: removed at exit
                c.execute("SHOW data_directory")
                pg_dirs[0] = str(Path(c.fetchone()[0]).parent)
        say(f"database: PostgreSQL {pg}; menyiapkan ...")
        targets = siapkan(args.pengunggah, say)
        id_awal = Berkas.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        connection.close()

        conf = runpy.run_path(str(ROOT / "zona_integritas" / "gunicorn_conf.py"))
        say(f"gunicorn: {conf['workers']} worker x {conf['threads']} thread "
            f"({'gthread' if conf['threads'] > 1 else 'sync'}), timeout {conf['timeout']} s, "
            f"127.0.0.1:{port}; DATABASE_CONN_MAX_AGE={os.environ.get('DATABASE_CONN_MAX_AGE', 0)}")
        log = open(tmp / "gunicorn.log", "wb")
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "zona_integritas.wsgi", "-c",
             "zona_integritas/gunicorn_conf.py"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/masuk/")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None:
                sys.exit("gunicorn berhenti; lihat " + str(tmp / "gunicorn.log"))
            time.sleep(0.2)
        else:
            sys.exit("gunicorn tidak siap dalam 60 s")

        # one client alone first: the requests' own time, without queueing
        berhasil = []
        c, rng = Klien(port), random.Random(0)
        if c.login("beban01"):
            for _ in range(10):
                satu_unggahan(c, "beban01", rng, targets, berhasil)
        c = Klien(port)
        if c.login("sekretaris"):
            for _ in range(5):
                c.request("dasbor", "GET", f"/dasbor/{UNIT}/{TAHUN}/")
                c.request("rencana", "GET", f"/rencana/{UNIT}/{TAHUN}/")
        say("satu klien saja (median ms): " + ", ".join(
            f"{kind} {statistics.median(r[2] for r in HASIL if r[0] == kind):.0f}"
            for kind in ("masuk", "form", "unggah", "setelah", "dasbor", "rencana")
            if any(r[0] == kind for r in HASIL)))
        sendiri = list(HASIL)
        HASIL.clear()

        start = threading.Event()
        siap = []
        threads = [threading.Thread(target=pengunggah, daemon=True, args=(
            k, port, targets, siap, start, stop, berhasil)) for k in range(1, args.pengunggah + 1)]
        threads += [threading.Thread(target=pembaca, daemon=True, args=(k, port, siap, start, stop))
                    for k in range(args.pembaca)]
        t = time.perf_counter()
        for th in threads:
            th.start()
        while len(siap) < len(threads) and time.perf_counter() - t < 600:
            time.sleep(0.1)
        masuk = [r for r in HASIL if r[0] == "masuk"]
        say(f"masuk: {len(threads)} sesi dalam {time.perf_counter() - t:.1f} s "
            f"(p95 {p95([r[2] for r in masuk]):.0f} ms per permintaan)")
        HASIL.clear()
        say(f"beban: {args.pengunggah} pengunggah + {args.pembaca} pembaca selama {seconds:.0f} s ...")
        sampel = []
        sampler = threading.Thread(target=sampel_postgres, args=(stop, sampel), daemon=True)
        cpu0 = cpu_detik(server.pid)
        t0 = time.perf_counter()
        start.set()
        sampler.start()
        time.sleep(seconds)
        stop.set()
        cpu1 = cpu_detik(server.pid)
        sampler.join(timeout=10)
        for th in threads:  # in-flight uploads finish (they started within the window)
            th.join(timeout=TIMEOUT + 10)
        elapsed = time.perf_counter() - t0
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        server = None
        log.close()

        rows = list(HASIL)
        errors = Counter([r[3] for r in rows + masuk + sendiri if r[3]] + GALAT)
        in_window = [r for r in rows if r[1] + r[2] / 1000 <= t0 + seconds]
        # per s: requests completed within the window; the others finish the last uploads
        say(f"{'jenis':8} {'n':>6} {'per s':>6} {'median':>8} {'p95':>8} {'maks':>8} {'galat':>6}  (ms)")
        for kind in ("form", "unggah", "setelah", "dasbor", "rencana"):
            ms = [r[2] for r in rows if r[0] == kind]
            if ms:
                rate = sum(1 for r in in_window if r[0] == kind) / seconds
                say(f"{kind:8} {len(ms):6} {rate:6.1f} {statistics.median(ms):8.1f} "
                    f"{p95(ms):8.1f} {max(ms):8.1f} {sum(1 for r in rows if r[0] == kind and r[3]):6}")
        n_up = sum(1 for r in in_window if r[0] == "unggah" and not r[3])
        mb = sum(u["ukuran"] for u in berhasil) / 1024 / 1024
        say(f"{len(rows)} permintaan, {len(in_window) / seconds:.1f}/s dalam {seconds:.0f} s "
            f"(semua selesai setelah {elapsed:.1f} s); unggahan {n_up / seconds:.1f}/s; "
            f"{len(berhasil)} unggahan berhasil seluruhnya ({mb:.1f} MB)")
        cpu = {k: cpu1[k] - cpu0[k] for k in cpu0}
        cpu["proses lain"] = cpu.pop("semua") - cpu["klien"] - cpu["gunicorn"] - cpu["postgres"]
        say(f"CPU selama {seconds:.0f} s ({os.cpu_count()} CPU = {os.cpu_count() * seconds:.0f} "
            f"CPU-detik): " + ", ".join(f"{k} {v:.1f} s" for k, v in cpu.items()))
        text = (tmp / "gunicorn.log").read_text(errors="replace")
        if sampel:
            say(f"PostgreSQL (sampel tiap 0,2 s): rata-rata {statistics.mean(a for a, _ in sampel):.1f} "
                f"backend aktif, {statistics.mean(w for _, w in sampel):.1f} menunggu kunci "
                f"(maks {max(w for _, w in sampel)})")
        n5xx = len(re.findall(r'" 5[0-9][0-9] ', text))
        say(f"log gunicorn: {text.count('WORKER TIMEOUT')} worker timeout, "
            f"{text.count('Traceback')} traceback, {n5xx} respons 5xx")
        lost, extra, problems = verifikasi(berhasil, id_awal)
        say(f"verifikasi: {len(berhasil)} unggahan berhasil diperiksa (baris, bulan, ukuran, "
            f"SHA-256 di basis data dan di penyimpanan); hilang/berbeda {lost}; berkas tanpa "
            f"konfirmasi di klien {extra}")
        for p in problems[:10]:
            say(f"  {p}")
        for reason, count in errors.most_common(10):
            say(f"galat: {count} x {reason}")
        keep = bool(errors or lost)
        if keep:
            say(f"log dan berkas disimpan di {tmp}")
        say(f"load: requests={len(rows)} errors={sum(errors.values())} lost={lost} "
            f"p95_ms={p95([r[2] for r in rows]):.1f}")
    finally:
        stop.set()
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001 - Django may not be set up yet
            pass
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
