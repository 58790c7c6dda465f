"""Render time of the semester report for the whole seed plan with its evidence lists.

    .venv/bin/python bench/report.py [--runs 3] [--berkas 2]

Uses a throw-away SQLite database (or DATABASE_URL), loads the seed plan of Dinas Sosial,
and gives every requirement of 2024 a submission approved in its month with --berkas files
(database rows only: the report lists files, it does not open them). Then renders the
semester II report --runs times: the whole report (content from the database, HTML, PDF)
and, in the same run, WeasyPrint rendering the same HTML alone. Ends with
`report: seconds=X ratio=Y pages=Z` (medians; ratio = report / WeasyPrint alone)."""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def isi_bukti(rk, per_kebutuhan):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from bukti_dukung.models import Berkas, Pengajuan, Status
    from rencana_aksi.models import BuktiDukung, TargetBulan

    user = get_user_model().objects.get(username="anggota1")
    sek = get_user_model().objects.get(username="sekretaris")
    bulan = {}
    for t in TargetBulan.objects.filter(
            rencana_aksi__indikator__komponen__area_rencana__rencana_kerja=rk):
        bulan.setdefault(t.rencana_aksi_id, []).append(t.bulan)
    pjs = []
    for bd in BuktiDukung.objects.filter(
            rencana_aksi__indikator__komponen__area_rencana__rencana_kerja=rk):
        for b in bulan.get(bd.rencana_aksi_id, []):
            t = timezone.make_aware(datetime(b.year, b.month, 10, 9))
            pjs.append(Pengajuan(bukti_dukung=bd, bulan=b, status=Status.DISETUJUI,
                                 diajukan_pada=t, ditinjau_pada=t, ditinjau_oleh=sek))
    Pengajuan.objects.bulk_create(pjs, batch_size=2000)
    berkas = [Berkas(pengajuan=p, putaran=1, berkas=f"bench/{p.pk}-{i}.pdf",
                     nama_asli=f"{p.bukti_dukung.nama[:40]} {p.bulan:%m-%Y} ({i + 1}).pdf",
                     ekstensi="pdf", mime="application/pdf", ukuran=200_000,
                     sha256=f"{p.pk:032x}{i:032x}", diunggah_oleh=user)
              for p in pjs for i in range(per_kebutuhan)]
    Berkas.objects.bulk_create(berkas, batch_size=2000)
    Berkas.objects.update(diunggah_pada=timezone.make_aware(datetime(rk.tahun, 1, 10, 9)))
    return len(pjs), len(berkas)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--berkas", type=int, default=2, help="berkas per kebutuhan")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="zi-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zona_integritas.settings")
    os.environ["ZI_DEMO"] = "1"
    import django

    django.setup()
    from django.core.management import call_command

    from laporan.cetak import html_laporan, pdf_dari_html, pdf_laporan
    from laporan.tanda import jumlah_halaman as _halaman
    from rencana_aksi.models import RencanaKerja

    call_command("migrate", verbosity=0)
    call_command("siapkan_demo", verbosity=0, stdout=open(os.devnull, "w"))
    rk = RencanaKerja.objects.select_related("unit").get(unit__kode="dinsos-mojokerto", tahun=2024)
    n_pj, n_berkas = isi_bukti(rk, args.berkas)
    print(f"rencana: {rk}; {n_pj} kebutuhan disetujui, {n_berkas} berkas", flush=True)

    pdf = pdf_laporan(rk, 2)  # warm up (fonts, templates)
    html = html_laporan(rk, 2)
    total, weasy = [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        pdf = pdf_laporan(rk, 2)
        total.append(time.perf_counter() - t)
        t = time.perf_counter()
        pdf_dari_html(html)
        weasy.append(time.perf_counter() - t)
    pages = _halaman(pdf)
    t = time.perf_counter()
    n = 0
    for i in range(10_000_000):  # machine speed, to compare figures across machines
        n += i
    print(f"mesin: loop Python 10 juta langkah {time.perf_counter() - t:.2f} s, {os.cpu_count()} CPU")
    s, w = statistics.median(total), statistics.median(weasy)
    print(f"laporan lengkap: median {s:.2f} s (min {min(total):.2f}, max {max(total):.2f}); "
          f"WeasyPrint saja: median {w:.2f} s; {pages} halaman, {len(pdf) // 1024} kB, "
          f"HTML {len(html) // 1024} kB")
    print(f"report: seconds={s:.2f} ratio={s / w:.2f} pages={pages}")


if __name__ == "__main__":
    main()
