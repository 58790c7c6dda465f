"""Upload a 50 MB PDF through the upload view of a running server and compare with copying
the file on disk.

    .venv/bin/python bench/upload.py [--mb 50]

Starts the app (`manage.py runserver --noreload`, throw-away SQLite and media folder) in its
own process, logs in as a Tim ZI member, streams the file as multipart/form-data and samples
the server's resident memory meanwhile: the file must be streamed to disk, not held in
memory. Ends with `upload: rss_growth_mb=X throughput_ratio=Y` (targets: X < 10, Y >= 0.5),
where Y = copy time / upload time."""

import argparse
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sesi:
    """A tiny HTTP client with cookies and CSRF, enough for login and one upload."""

    def __init__(self, port):
        self.port, self.cookies = port, {}

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        h = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
             "Referer": f"http://127.0.0.1:{self.port}/", **(headers or {})}
        conn.request(method, path, body=body, headers=h)
        resp = conn.getresponse()
        data = resp.read()
        for k, v in resp.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                self.cookies[name] = rest.split(";")[0]
        conn.close()
        return resp, data


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=50)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="zi-bench-upload-"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
           "ZI_MEDIA_ROOT": str(tmp / "berkas"), "ZI_MAKS_UKURAN_MB": str(args.mb + 10),
           "DJANGO_SETTINGS_MODULE": "zona_integritas.settings"}
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([py, "manage.py", "siapkan_demo", "-v", "0"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    bd_id = subprocess.run(
        [py, "manage.py", "shell", "--no-imports", "-c",
         "from rencana_aksi.models import RencanaAksi as R; print(R.objects.get(teks="
         "'Pembentukan Tim Kerja ZI dalam unit kerja', indikator__komponen__area_rencana__"
         "rencana_kerja__unit__kode='dinsos-mojokerto').bukti_dukung.get().pk)"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.strip()

    src = tmp / "besar.pdf"
    with open(src, "wb") as f:
        f.write(b"%PDF-1.4\n%bench\n")
        chunk = os.urandom(1024 * 1024)
        for _ in range(args.mb):
            f.write(chunk)
        f.write(b"\n%%EOF\n")
    size = src.stat().st_size
    t = time.perf_counter()
    shutil.copyfile(src, tmp / "salinan.pdf")
    os.sync()
    copy_s = time.perf_counter() - t

    port = free_port()
    server = subprocess.Popen([py, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        s = Sesi(port)
        _, page = s.request("GET", "/masuk/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = urllib.parse.urlencode({"username": "anggota1", "password": "demo12345",
                                       "csrfmiddlewaretoken": token})
        resp, _ = s.request("POST", "/masuk/", form,
                            {"Content-Type": "application/x-www-form-urlencoded"})
        assert resp.status == 302, "login failed"
        s.request("GET", "/tugas-saya/")  # warm up the server process

        boundary = "----zibench"
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\""
                f"\r\n\r\n{s.cookies['csrftoken']}\r\n--{boundary}\r\nContent-Disposition: "
                f"form-data; name=\"bulan\"\r\n\r\n2024-02\r\n--{boundary}\r\n"
                f"Content-Disposition: form-data; name=\"berkas\"; filename=\"besar.pdf\"\r\n"
                f"Content-Type: application/pdf\r\n\r\n").encode()
        tail = f"\r\n--{boundary}--\r\n".encode()

        def body():
            yield head
            with open(src, "rb") as f:
                yield from iter(lambda: f.read(256 * 1024), b"")
            yield tail

        before = rss_mb(server.pid)
        peak = [before]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], rss_mb(server.pid))
                time.sleep(0.01)

        threading.Thread(target=sample, daemon=True).start()
        t = time.perf_counter()
        resp, _ = s.request("POST", f"/bukti-dukung/{bd_id}/unggah/", body(), {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(len(head) + size + len(tail))})
        os.sync()
        upload_s = time.perf_counter() - t
        done.set()
        assert resp.status == 302, resp.status
        stored = list((tmp / "berkas" / "bukti").rglob("*.pdf"))
        assert stored and stored[0].stat().st_size == size, "file not stored whole"
    finally:
        server.terminate()
        server.wait(timeout=10)
    growth, ratio, mb = peak[0] - before, copy_s / upload_s, size / 1024 / 1024
    print(f"file {mb:.1f} MB: copy {copy_s * 1000:.0f} ms ({mb / copy_s:.0f} MB/s), upload "
          f"{upload_s * 1000:.0f} ms ({mb / upload_s:.0f} MB/s); server RSS {before:.0f} MB "
          f"before, peak {peak[0]:.0f} MB")
    print(f"upload: rss_growth_mb={growth:.1f} throughput_ratio={ratio:.2f}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
