"""Server time of the LKE page with all 127 rows of the 2026 LKE answered, and its query
count.

    .venv/bin/python bench/lke_halaman.py [--runs 50]

Uses a throw-away SQLite database (or DATABASE_URL when set), migrates it, loads the seed
plan and the demo users, copies the seed plan to 2026 (PortalRB's LKE with its 127
soal_id), fills every row: a unit answer and note on every question, the TPI's answer on
every third, every count in the plan's numeric inputs (typed where a row has none), the
surveys; approves nothing (evidence lists are measured by bench/dashboard.py). Then requests
the LKE page as the Sekretaris and as the TPI through Django's test client (server time, no
network) and one answer save (htmx: row, komponen, area and summary back): first with
Python's default garbage collector, then as gunicorn serves it (`gc.freeze()` after the
application is loaded, zona_integritas/gunicorn_conf.py). Ends with the line
`lke: p95_ms=X queries=Z` (the Sekretaris's page as served)."""

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TAHUN = 2026


def isi_semua(rk, users):
    """Every row of the LKE answered, on both sides where it makes sense."""
    from decimal import Decimal

    from bukti_dukung.models import NilaiIsian
    from lke.models import JawabanLke, SoalLke, TautanIsian

    isian = {t.soal_id: t.isian for t in TautanIsian.objects.filter(rencana_kerja=rk)}
    rows = []
    for i, s in enumerate(SoalLke.objects.filter(komponen__area__lke__tahun=TAHUN)
                          .select_related("jenis").order_by("pk")):
        if s.jenis.aturan == "pilihan":
            pilihan = list(s.jenis.nilai)
            unit, tpi = pilihan[i % len(pilihan)], pilihan[(i + 1) % len(pilihan)]
        elif s.jenis.aturan == "survei":
            unit, tpi = "3,6", "3,4"
        else:
            unit, tpi = str(5 + i % 7), str(4 + i % 5)
        if s.pk in isian:
            NilaiIsian.objects.update_or_create(isian=isian[s.pk],
                                                defaults={"nilai": Decimal(unit)})
            unit = ""
        rows.append(JawabanLke(
            unit=rk.unit, soal=s, jawaban_unit=unit, catatan_unit=f"Catatan unit soal {s.kode}",
            diisi_oleh=users["sekretaris"], versi_unit=1,
            jawaban_tpi=tpi if i % 3 == 0 else "", catatan_tpi="Catatan TPI" if i % 3 == 0 else "",
            dinilai_oleh=users["tpi"] if i % 3 == 0 else None, versi_tpi=1 if i % 3 == 0 else 0))
    JawabanLke.objects.bulk_create(rows)
    return len(rows)


def ukur(client, url, runs, method="get", data=None, headers=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call = getattr(client, method)
    call(url, data or {}, headers=headers or {})  # warm up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        resp = call(url, data or {}, headers=headers or {})
        times.append((time.perf_counter() - t) * 1000)
        assert resp.status_code == 200, resp.status_code
    with CaptureQueriesContext(connection) as q:
        call(url, data or {}, headers=headers or {})
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], len(q.captured_queries), \
        len(resp.content)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=50)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="zi-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zona_integritas.settings")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "*"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from lke.models import SoalLke
    from rencana_aksi.models import RencanaKerja
    from rencana_aksi.services import salin_rencana_kerja

    call_command("migrate", verbosity=0)
    call_command("siapkan_demo", verbosity=0, stdout=open(os.devnull, "w"))
    users = {u.username: u for u in get_user_model().objects.all()}
    sumber = RencanaKerja.objects.get(unit__kode="dinsos-mojokerto", tahun=2024)
    rk = salin_rencana_kerja(sumber=sumber, unit=sumber.unit, tahun=TAHUN)
    n = isi_semua(rk, users)
    print(f"LKE {TAHUN}: {n} baris terisi")
    url = f"/lke/dinsos-mojokerto/{TAHUN}/"
    hasil = None
    client = Client()
    client.force_login(users["sekretaris"])
    med, p95, q, size = ukur(client, url, args.runs)
    print(f"{'gc bawaan':10} median_ms={med:.1f} p95_ms={p95:.1f} queries={q} bytes={size}")
    # as gunicorn serves it (zona_integritas/gunicorn_conf.py: post_worker_init freezes the
    # loaded application's objects out of the garbage collector's full scans)
    gc.freeze()
    for who in ("sekretaris", "tpi"):
        client = Client()
        client.force_login(users[who])
        med, p95, q, size = ukur(client, url, args.runs)
        print(f"{who:10} median_ms={med:.1f} p95_ms={p95:.1f} queries={q} bytes={size}")
        if hasil is None:
            hasil = (p95, q)
    client = Client()
    client.force_login(users["tpi"])
    s = SoalLke.objects.get(komponen__area__lke__tahun=TAHUN, kode="A.I.1.a")
    versi = {"v": 1}

    # each save must carry the version it replaces
    from lke.models import JawabanLke

    times = []
    for i in range(args.runs):
        versi["v"] = JawabanLke.objects.get(unit=rk.unit, soal=s).versi_tpi
        t = time.perf_counter()
        resp = client.post(f"{url}soal/{s.pk}/", {"sisi": "tpi", "jawaban": "Ya" if i % 2 else "Tidak",
                                                  "catatan": "", "versi": versi["v"]},
                           headers={"HX-Request": "true"})
        times.append((time.perf_counter() - t) * 1000)
        assert resp.status_code == 200, resp.status_code
    times.sort()
    print(f"simpan     median_ms={statistics.median(times):.1f} "
          f"p95_ms={times[int(0.95 * (len(times) - 1))]:.1f}")
    print(f"lke: p95_ms={hasil[0]:.1f} queries={hasil[1]}")


if __name__ == "__main__":
    main()
