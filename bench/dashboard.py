"""Dashboard speed on a generated regency and province.

    .venv/bin/python bench/dashboard.py            # regency (40 units, 50,000 uploads) and
                                                   # province (1,000 units, 1,000,000 uploads)
    .venv/bin/python bench/dashboard.py --quick    # 4 units, 5,000 uploads, SQLite

The full run needs PostgreSQL: DATABASE_URL, or (as root on Debian) a private server that
the script starts in /tmp and stops again. Every unit gets a copy of the seed plan for
BENCH_YEAR, five users (Sekretaris, Kepala Dinas, three PICs) and uploads spread over the
months already past: about 3/4 of those requirements have a submission (70 % approved,
15 % waiting, 15 % returned), each with one or more files (database rows only: the pages
never open files). Then, through Django's test client (server time, no network), each page
is requested --runs times: median and p95, the query count, and the ratio of the page's
median to the median of the bare SQL aggregate behind it (one hand-written GROUP BY over
the same rows, timed in the same run). The last line is
`dashboard: p95_ms=X ratio=Y queries=Z`, the worst regency page on each figure."""

import argparse
import atexit
import glob
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_YEAR = 2026
HARI = date(BENCH_YEAR, 11, 25)  # "today" of the run: Jan-Oct over, November open


def private_postgres():
    """Start a throw-away PostgreSQL server (Debian, as root), return its URL."""
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not bins or os.geteuid() != 0:
        sys.exit("Perlu PostgreSQL: set DATABASE_URL, atau jalankan sebagai root dengan paket "
                 "postgresql terpasang (apt-get install postgresql).")
    pgbin, d = bins[-1], tempfile.mkdtemp(prefix="zi-benchpg-")
    shutil.chown(d, "postgres")
    port = 55433

    def su(cmd):
        subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", cmd], check=True,
                       stdout=subprocess.DEVNULL)

    su(f"{pgbin}/initdb -D {d}/data -U postgres --auth=trust -E UTF8")
    su(f"{pgbin}/pg_ctl -D {d}/data -l {d}/log -w start -o '-p {port} -k {d} "
       f"-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
       f"-c shared_buffers=512MB -c work_mem=32MB'")
    atexit.register(lambda: su(f"{pgbin}/pg_ctl -D {d}/data -m fast stop"))
    su(f"{pgbin}/createdb -h 127.0.0.1 -p {port} -U postgres zi_bench")
    return f"postgres://postgres@127.0.0.1:{port}/zi_bench"


# ---------------------------------------------------------------- data generation

def clone_level(model, src_rows, parent_attr, parent_map, copies, extra=None):
    """Copy `src_rows` once per copy index with their parent remapped; returns
    {(src pk, copy index): new pk}."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    objs, keys = [], []
    for i in copies:
        for row in src_rows:
            values = {f.attname: getattr(row, f.attname) for f in fields}
            values[parent_attr] = parent_map[getattr(row, parent_attr), i]
            if extra:
                values.update(extra(row, i))
            objs.append(model(**values))
            keys.append((row.pk, i))
    model.objects.bulk_create(objs, batch_size=2000)
    return {k: o.pk for k, o in zip(keys, objs, strict=True)}


def generate(first, n_units, n_uploads, say):
    """Units first+1 .. n_units, with n_uploads files among them."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from bukti_dukung.models import Berkas, Pengajuan, Status
    from organisasi import models as org
    from rencana_aksi import models as m

    src = m.RencanaKerja.objects.get(unit__kode="dinsos-mojokerto", tahun=2024)
    areas = list(m.AreaRencana.objects.filter(rencana_kerja=src))
    komponen = list(m.Komponen.objects.filter(area_rencana__rencana_kerja=src))
    indikator = list(m.Indikator.objects.filter(komponen__area_rencana__rencana_kerja=src))
    ras = list(m.RencanaAksi.objects.filter(indikator__komponen__area_rencana__rencana_kerja=src))
    tbs = list(m.TargetBulan.objects.filter(rencana_aksi__in=ras))
    isian = list(m.Isian.objects.filter(indikator__in=indikator))
    bds = list(m.BuktiDukung.objects.filter(rencana_aksi__in=ras))
    months_of = {}
    for t in tbs:
        months_of.setdefault(t.rencana_aksi_id, []).append(t.bulan.replace(year=BENCH_YEAR))
    kejadian = {ra.pk for ra in ras if ra.per_kejadian and ra.pk not in months_of}
    User = get_user_model()  # noqa: N806
    pw = make_password("bench12345")
    rng = random.Random(42)
    chunk = 25
    uploads = 0
    first_upload = Berkas.objects.count()
    for start in range(first, n_units, chunk):
        copies = range(start, min(n_units, start + chunk))
        with transaction.atomic():
            units = org.UnitKerja.objects.bulk_create(
                [org.UnitKerja(kode=f"unit-{i + 1:04d}", nama=f"Unit Kerja {i + 1:04d}",
                             halaman_publik=True) for i in copies])
            users = User.objects.bulk_create(
                [User(username=f"u{i + 1:04d}-{r}", first_name=r.title(), password=pw,
                      last_name=f"Unit {i + 1:04d}") for i in copies
                 for r in ("sekretaris", "kepala", "pic1", "pic2", "pic3")])
            unit_of = {i: u for i, u in zip(copies, units, strict=True)}
            user_of = {(i, r): users[5 * n + k] for n, i in enumerate(copies)
                       for k, r in enumerate(("sekretaris", "kepala", "pic1", "pic2", "pic3"))}
            roles = {"sekretaris": org.Peran.SEKRETARIS, "kepala": org.Peran.KEPALA_DINAS,
                     "pic1": org.Peran.ANGGOTA, "pic2": org.Peran.ANGGOTA, "pic3": org.Peran.ANGGOTA}
            org.Keanggotaan.objects.bulk_create(
                [org.Keanggotaan(user=user_of[i, r], unit=unit_of[i], peran=p)
                 for i in copies for r, p in roles.items()])
            rks = m.RencanaKerja.objects.bulk_create(
                [m.RencanaKerja(unit=unit_of[i], tahun=BENCH_YEAR, pendahuluan=src.pendahuluan,
                                mekanisme_penetapan_tim=src.mekanisme_penetapan_tim,
                                target_prioritas=src.target_prioritas) for i in copies])
            rk_map = {(src.pk, i): rk.pk for i, rk in zip(copies, rks, strict=True)}
            ar_map = clone_level(m.AreaRencana, areas, "rencana_kerja_id", rk_map, copies)
            k_map = clone_level(m.Komponen, komponen, "area_rencana_id", ar_map, copies,
                                lambda row, i, u=user_of: {"pic_id": u[i, f"pic{row.nomor % 3 + 1}"].pk})
            i_map = clone_level(m.Indikator, indikator, "komponen_id", k_map, copies)
            ra_map = clone_level(m.RencanaAksi, ras, "indikator_id", i_map, copies,
                                 lambda row, i: {"pic_id": None})
            m.TargetBulan.objects.bulk_create(
                [m.TargetBulan(rencana_aksi_id=ra_map[t.rencana_aksi_id, i],
                               bulan=t.bulan.replace(year=BENCH_YEAR))
                 for i in copies for t in tbs], batch_size=5000)
            is_map = clone_level(m.Isian, isian, "indikator_id", i_map, copies)
            bd_objs = []
            for i in copies:
                for b in bds:
                    bd_objs.append(m.BuktiDukung(
                        rencana_aksi_id=ra_map[b.rencana_aksi_id, i], urutan=b.urutan,
                        nama=b.nama, isian_id=is_map[b.isian_id, i] if b.isian_id else None))
            m.BuktiDukung.objects.bulk_create(bd_objs, batch_size=5000)

            # submissions and files
            pjs, unit_of_pj = [], []
            for n, i in enumerate(copies):
                for b, new in zip(bds, bd_objs[n * len(bds):(n + 1) * len(bds)], strict=True):
                    if b.rencana_aksi_id in kejadian:
                        slots = [(None, date(BENCH_YEAR, rng.randint(1, 10), rng.randint(1, 28)))
                                 for _ in range(rng.randint(0, 3))]
                    else:
                        slots = [(mo, None) for mo in months_of.get(b.rencana_aksi_id, [])
                                 if mo < HARI.replace(day=1) and rng.random() < 0.75]
                    for bulan, tgl in slots:
                        r = rng.random()
                        st = (Status.DISETUJUI if r < 0.7 else
                              Status.DIAJUKAN if r < 0.85 else Status.PERLU_PERBAIKAN)
                        d = bulan or tgl
                        t = timezone.make_aware(datetime(d.year, d.month, 20, 10))
                        pjs.append(Pengajuan(
                            bukti_dukung=new, bulan=bulan, tanggal_kejadian=tgl,
                            uraian_kejadian="Kegiatan" if tgl else "", status=st,
                            diajukan_pada=t, ditinjau_pada=t + timedelta(days=2)
                            if st != Status.DIAJUKAN else None,
                            ditinjau_oleh=user_of[i, "sekretaris"] if st != Status.DIAJUKAN
                            else None))
                        unit_of_pj.append(i)
            Pengajuan.objects.bulk_create(pjs, batch_size=5000)
            # spread this chunk's share of uploads over its submissions
            want = n_uploads * (copies[-1] + 1 - first) // (n_units - first) - uploads
            berkas = []
            for k in range(want):
                no = first_upload + uploads + k
                p = pjs[k % len(pjs)]
                i = unit_of_pj[k % len(pjs)]
                berkas.append(Berkas(
                    pengajuan=p, putaran=1, berkas=f"bench/{no}.pdf",
                    nama_asli=f"bukti-{no}.pdf", ekstensi="pdf", mime="application/pdf",
                    ukuran=150_000, sha256=f"{no:064x}",
                    diunggah_oleh=user_of[i, f"pic{k % 3 + 1}"]))
            Berkas.objects.bulk_create(berkas, batch_size=5000)
            uploads += len(berkas)
        say(f"  {copies[-1] + 1} unit, {uploads} unggahan ({time.time() - T0:.0f} s)")
    # spread upload times over the year (auto_now_add set them all to now)
    from django.db import connection
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("UPDATE bukti_dukung_berkas b SET diunggah_pada = p.diajukan_pada "
                      "FROM bukti_dukung_pengajuan p WHERE p.id = b.pengajuan_id")
        else:
            c.execute("UPDATE bukti_dukung_berkas SET diunggah_pada = (SELECT diajukan_pada "
                      "FROM bukti_dukung_pengajuan p WHERE p.id = pengajuan_id)")
    from bukti_dukung.services import hitung_ulang_unggahan_terakhir
    hitung_ulang_unggahan_terakhir()  # as the uploads would have left it
    with connection.cursor() as c:
        c.execute("ANALYZE")


# ---------------------------------------------------------------- measurement

JOIN = """
FROM rencana_aksi_targetbulan tb
JOIN rencana_aksi_buktidukung bd ON bd.rencana_aksi_id = tb.rencana_aksi_id
JOIN rencana_aksi_rencanaaksi ra ON ra.id = tb.rencana_aksi_id
JOIN rencana_aksi_indikator i ON i.id = ra.indikator_id
JOIN rencana_aksi_komponen k ON k.id = i.komponen_id
JOIN rencana_aksi_arearencana ar ON ar.id = k.area_rencana_id
JOIN rencana_aksi_rencanakerja rk ON rk.id = ar.rencana_kerja_id
LEFT JOIN bukti_dukung_pengajuan p ON p.bukti_dukung_id = bd.id AND p.bulan = tb.bulan
"""
COUNTS = ("COUNT(*), SUM(CASE WHEN p.status = 'disetujui' THEN 1 ELSE 0 END), "
          "SUM(CASE WHEN p.status = 'diajukan' THEN 1 ELSE 0 END)")
BARE = {
    # the unit's progress per area and komponen (the dashboard's bars)
    "unit_komponen": f"SELECT k.id, {COUNTS} {JOIN} WHERE ar.rencana_kerja_id = %s GROUP BY k.id",
    # per action and month (the timeline's cells)
    "unit_bulan": f"SELECT ra.id, tb.bulan, {COUNTS} {JOIN} WHERE ar.rencana_kerja_id = %s "
                  "GROUP BY ra.id, tb.bulan",
    # the requirements one by one (the item list)
    "unit_baris": f"SELECT bd.id, tb.bulan, p.status {JOIN} WHERE ar.rencana_kerja_id = %s",
    # per unit and area across the year (the regency overview)
    "wilayah": f"SELECT rk.unit_id, ar.area_id, {COUNTS} {JOIN} WHERE rk.tahun = %s "
               "GROUP BY rk.unit_id, ar.area_id",
}


def timed(fn, runs, before=None):
    fn()  # warm up
    times = []
    for _ in range(runs):
        if before:
            before()
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def measure(label, n_units, runs, say):
    """Each page warm (nothing changed since the last view: the body or the figures come
    from the cache) and cold (its plan changed just before each request: computed; for the
    overview one unit's plan changed, the others cached), plus the bare SQL."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.db.models import F
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from rencana_aksi.models import RencanaKerja

    User = get_user_model()  # noqa: N806
    admin = User.objects.filter(is_superuser=True).first()
    mid = f"unit-{n_units // 2 + 1:04d}"
    rk = RencanaKerja.objects.get(unit__kode=mid, tahun=BENCH_YEAR)
    sek = User.objects.get(username=f"u{n_units // 2 + 1:04d}-sekretaris")
    plan_ids = list(RencanaKerja.objects.filter(tahun=BENCH_YEAR).values_list("pk", flat=True))
    rng = random.Random(7)
    pages = [
        ("dasbor", sek, f"/dasbor/{mid}/{BENCH_YEAR}/", "unit_komponen", rk.pk),
        ("linimasa", sek, f"/dasbor/{mid}/{BENCH_YEAR}/linimasa/", "unit_bulan", rk.pk),
        ("kebutuhan", sek, f"/dasbor/{mid}/{BENCH_YEAR}/kebutuhan/?status=terlambat",
         "unit_baris", rk.pk),
        ("publik", None, f"/publik/{mid}/{BENCH_YEAR}/", "unit_komponen", rk.pk),
        ("wilayah", admin, f"/wilayah/{BENCH_YEAR}/", "wilayah", BENCH_YEAR),
    ]
    if label == "provinsi":
        pages = [p for p in pages if p[0] in ("wilayah", "dasbor")]
    results = {}
    # the floor: a minimal signed-in page through the same stack (session, middleware,
    # context processors, base template), the profile page
    lantai_client = Client()
    lantai_client.force_login(sek)

    def lantai():
        assert lantai_client.get("/profil/").status_code == 200

    floor = timed(lantai, runs)
    with CaptureQueriesContext(connection) as q_floor:
        lantai()
    say(f"{label:9} lantai    median={floor[0]:6.1f} p95={floor[1]:6.1f} q={len(q_floor.captured_queries):2}"
        " (halaman minimal bertanda masuk: /profil/)")
    results["_lantai"] = {"median": floor[0], "p95": floor[1], "q": len(q_floor.captured_queries)}
    for name, user, url, bare, param in pages:
        client = Client()
        if user:
            client.force_login(user)

        def get(client=client, url=url):
            resp = client.get(url)
            assert resp.status_code == 200, (url, resp.status_code)

        def change(name=name):
            pk = rng.choice(plan_ids) if name == "wilayah" else rk.pk
            RencanaKerja.objects.filter(pk=pk).update(data_versi=F("data_versi") + 1)

        warm = timed(get, runs)
        with CaptureQueriesContext(connection) as q_warm:
            get()
        cold = timed(get, runs, before=change)
        change()
        with CaptureQueriesContext(connection) as q_cold:
            get()

        def sql(bare=bare, param=param):
            with connection.cursor() as c:
                c.execute(BARE[bare], [param])
                c.fetchall()

        sql_med, _ = timed(sql, runs)
        r = {"warm": warm, "cold": cold, "q_warm": len(q_warm.captured_queries),
             "q_cold": len(q_cold.captured_queries), "sql": sql_med,
             "ratio": warm[0] / sql_med, "ratio_cold": cold[0] / sql_med,
             # the page's own work above the floor, against the bare aggregate
             "ratio_atas_lantai": max(0.0, cold[0] - floor[0]) / sql_med}
        say(f"{label:9} {name:9} hangat median={warm[0]:6.1f} p95={warm[1]:6.1f} q={r['q_warm']:2} | "
            f"dingin median={cold[0]:6.1f} p95={cold[1]:6.1f} q={r['q_cold']:2} | "
            f"sql={sql_med:6.1f} rasio={r['ratio']:4.1f} (dingin {r['ratio_cold']:4.1f}; "
            f"dingin - lantai = {cold[0] - floor[0]:5.1f} ms = {r['ratio_atas_lantai']:4.1f}x sql)")
        if name == "wilayah":
            empty = timed(get, max(3, runs // 8), before=cache.clear)
            say(f"{label:9} {name:9} tembolok kosong (semua unit dihitung) median={empty[0]:.1f} "
                f"p95={empty[1]:.1f}")
            r["empty"] = empty
        results[name] = r
    return results


T0 = time.time()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="4 unit, SQLite, singkat")
    ap.add_argument("--runs", type=int, default=None)
    ap.add_argument("--kabupaten", action="store_true", help="PostgreSQL, kabupaten saja")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="zi-bench-")
    if args.quick:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        scales = [("kabupaten", 4, 5_000)]
    else:
        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            os.environ["DATABASE_URL"] = private_postgres()
        scales = [("kabupaten", 40, 50_000), ("provinsi", 1_000, 1_000_000)]
        if args.kabupaten:
            scales = scales[:1]
    runs = args.runs or (20 if args.quick else 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zona_integritas.settings")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "*"
    os.environ["ZI_DEMO"] = "1"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    # freeze "today" so that the figures do not depend on the day of the run
    timezone.localdate = lambda *a, **k: HARI
    settings.DEBUG = False

    def say(text):
        print(text, flush=True)

    say(f"database: {connection.vendor}; menyiapkan ...")
    call_command("migrate", verbosity=0)
    call_command("siapkan_demo", verbosity=0, stdout=open(os.devnull, "w"))
    made, regency = 0, None
    for label, n_units, n_uploads in scales:
        say(f"== {label}: {n_units} unit, {n_uploads} unggahan")
        # the province extends the regency: units are added, not rebuilt
        generate_more(made, n_units, n_uploads, say)
        made = n_units
        res = measure(label, n_units, runs, say)
        if label == "kabupaten":
            regency = res
        else:
            w = res["wilayah"]
            say(f"provinsi: p95_ms={w['cold'][1]:.1f} ratio={w['ratio_cold']:.1f} "
                f"queries={w['q_cold']} (ikhtisar, satu unit berubah sebelum tiap permintaan)")
    # the worst regency page on each figure: p95 and queries cold (computed), ratio as
    # usually seen (warm)
    pages = [r for k, r in regency.items() if not k.startswith("_")]
    p95 = max(r["cold"][1] for r in pages)
    ratio = max(r["ratio"] for r in pages)
    queries = max(r["q_cold"] for r in pages)
    say(f"dashboard: p95_ms={p95:.1f} ratio={ratio:.1f} queries={queries}")


def generate_more(done, n_units, n_uploads, say):
    """Bring the database from `done` generated units to `n_units`, n_uploads in all."""
    from bukti_dukung.models import Berkas

    have = Berkas.objects.filter(berkas__startswith="bench/").count()
    generate(done, n_units, n_uploads - have, say)


if __name__ == "__main__":
    main()
