"""Server time of the plan page (the whole seed plan, 110 actions) and its query count.

    .venv/bin/python bench/rencana.py [--runs 50]

Uses a throw-away SQLite database (or DATABASE_URL when set), migrates it, loads the seed
plan and the demo users, then requests the plan page unfiltered, filtered by month and by
search. Ends with the line `rencana: p95_ms=X queries=Z` (the unfiltered page)."""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


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
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    call_command("siapkan_demo", verbosity=0, stdout=open(os.devnull, "w"))
    client = Client()
    client.force_login(get_user_model().objects.get(username="sekretaris"))
    base = "/rencana/dinsos-mojokerto/2024/"
    result = None
    for label, url in (("semua", base), ("bulan", base + "?bulan=2024-04"),
                       ("cari", base + "?q=laporan")):
        client.get(url)  # warm up
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            resp = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert resp.status_code == 200
        with CaptureQueriesContext(connection) as q:
            client.get(url)
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        print(f"{label:6} median_ms={statistics.median(times):.1f} p95_ms={p95:.1f} "
              f"queries={len(q.captured_queries)} bytes={len(resp.content)}")
        if result is None:
            result = (p95, len(q.captured_queries))
    print(f"rencana: p95_ms={result[0]:.1f} queries={result[1]}")


if __name__ == "__main__":
    main()
