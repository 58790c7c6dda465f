"""One requirement ledger (bukti_dukung.kebutuhan), every page agrees (Hypothesis): for
random plans (month targets, event-driven actions, actions without target), submissions,
reviews, revisions and dates, every figure of the dashboard and the regency page equals
the rows of the list it links to; Tugas saya, the timeline, the public page, the status
XLSX and the evidence ZIP hold the same requirements; the semester report as of its last
day equals the dashboard as of that day."""

import io
import re
from collections import Counter
from datetime import date, datetime, time, timedelta
from html import unescape
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from bukti_dukung.kebutuhan import Hitungan, daftar_kebutuhan, hitung_progres, linimasa
from bukti_dukung.models import Berkas, Pengajuan, Status
from bukti_dukung.selectors import tugas_untuk
from laporan.ekspor import isi_bundel
from laporan.selectors import isi_laporan
from organisasi.models import Peran
from rencana_aksi.models import TargetBulan
from tests.factories import (
    AreaRencanaFactory,
    BuktiDukungFactory,
    IndikatorFactory,
    KeanggotaanFactory,
    KomponenFactory,
    RencanaAksiFactory,
    RencanaKerjaFactory,
    UnitKerjaFactory,
    UserFactory,
)

TAHUN = 2024
KEADAAN = ["kosong", "diajukan", "perlu_perbaikan", "disetujui"]

pengajuan = st.fixed_dictionaries({
    "status": st.sampled_from(KEADAAN),
    "aju": st.integers(0, 400),  # day of the year the (last) submission came
    "tinjau": st.integers(0, 60),  # days until it was decided
    "lama": st.booleans(),  # an older round's file stays beside the current one
})
aksi = st.fixed_dictionaries({
    "bulan": st.lists(st.integers(1, 12), unique=True, max_size=4),
    "kejadian": st.booleans(),
    "komponen": st.integers(0, 1),
    "pic": st.sampled_from([None, 0, 1]),
    "bukti": st.lists(st.fixed_dictionaries({
        "bulan": st.lists(pengajuan, min_size=4, max_size=4),  # for the months, in order
        "kejadian": st.lists(pengajuan, max_size=3),
    }), min_size=1, max_size=2),
})
rencana = st.fixed_dictionaries({
    "aksi": st.lists(aksi, min_size=1, max_size=6),
    "pic_komponen": st.lists(st.sampled_from([None, 0, 1]), min_size=2, max_size=2),
    "hari": st.dates(date(TAHUN, 1, 1), date(TAHUN + 1, 2, 28)),
})


def _waktu(hari_ke, jam=10):
    d = date(TAHUN, 1, 1) + timedelta(days=hari_ke)
    return timezone.make_aware(datetime.combine(d, time(jam)))


def _buat(data, anggota, sekretaris):
    """The plan of `data` with its submissions; one file per current round."""
    rk = RencanaKerjaFactory(unit=UnitKerjaFactory(halaman_publik=True), tahun=TAHUN)
    for u in (*anggota, sekretaris):
        KeanggotaanFactory(user=u, unit=rk.unit, peran=Peran.SEKRETARIS if u == sekretaris
                           else Peran.ANGGOTA)
    ar = AreaRencanaFactory(rencana_kerja=rk)
    komponen = [KomponenFactory(area_rencana=ar, pic=None if p is None else anggota[p])
                for p in data["pic_komponen"]]
    jumlah = Counter()
    for a in data["aksi"]:
        ra = RencanaAksiFactory(indikator=IndikatorFactory(komponen=komponen[a["komponen"]]),
                                per_kejadian=a["kejadian"], bulan=[],
                                pic=None if a["pic"] is None else anggota[a["pic"]])
        months = sorted(date(TAHUN, m, 1) for m in a["bulan"])
        TargetBulan.objects.bulk_create(TargetBulan(rencana_aksi=ra, bulan=m) for m in months)
        for b in a["bukti"]:
            bd = BuktiDukungFactory(rencana_aksi=ra)
            for m, p in zip(months, b["bulan"], strict=False):
                _ajukan(bd, p, anggota[0], sekretaris, bulan=m)
            for i, p in enumerate(b["kejadian"]):
                jumlah["kejadian"] += bool(_ajukan(bd, p, anggota[0], sekretaris,
                                                   kejadian=date(TAHUN, 1, 1) + timedelta(i)))
    return rk


def _ajukan(bd, p, oleh, peninjau, bulan=None, kejadian=None):
    if p["status"] == "kosong":
        return None
    aju = _waktu(p["aju"])
    tinjau = None if p["status"] == Status.DIAJUKAN else aju + timedelta(days=p["tinjau"])
    pj = Pengajuan.objects.create(bukti_dukung=bd, bulan=bulan, tanggal_kejadian=kejadian,
                                  status=p["status"], putaran=2 if p["lama"] else 1,
                                  diajukan_pada=aju, ditinjau_pada=tinjau,
                                  ditinjau_oleh=peninjau if tinjau else None)
    for putaran in {1, pj.putaran}:
        Berkas.objects.create(pengajuan=pj, putaran=putaran, berkas=f"x/{pj.pk}-{putaran}.pdf",
                              nama_asli=f"{pj.pk}-{putaran}.pdf", ekstensi="pdf",
                              mime="application/pdf", ukuran=1, sha256="0" * 64,
                              diunggah_oleh=oleh)
    return pj


def _pada(hari):
    """Pages as seen on `hari`: timezone.localdate() answers that day."""
    asli = timezone.localdate

    def localdate(value=None, timezone=None):
        return hari if value is None else asli(value, timezone)

    return mock.patch("django.utils.timezone.localdate", localdate)


def _jumlah(c, url):
    html = c.get(url).content.decode()
    return int(re.search(r'data-testid="jumlah">(\d+)<', html).group(1))


def _tautan_angka(html, kb):
    """[(url, number)] for every figure of a page that links to the requirement list."""
    return [(unescape(href), int(n)) for href, n in
            re.findall(rf'<a href="({re.escape(kb)}[^"]*)"[^>]*>(\d+)</a>', html)]


def _persen(h):
    return "—" if h.persen is None else f"{h.persen:.1f}".replace(".", ",")


@pytest.mark.django_db
def test_setiap_angka_sama_dengan_daftarnya(users):
    anggota = [UserFactory(), UserFactory()]
    sekretaris = UserFactory()
    c = Client()
    c.force_login(sekretaris)
    admin = Client()
    admin.force_login(users["admin"])

    @settings(max_examples=30, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(rencana)
    def cek(data):
        rk = _buat(data, anggota, sekretaris)
        hari = data["hari"]
        kode = rk.unit.kode
        kb = f"/dasbor/{kode}/{TAHUN}/kebutuhan/"
        with _pada(hari):
            total = hitung_progres(rk).get(None, Hitungan())
            html = c.get(f"/dasbor/{kode}/{TAHUN}/").content.decode()
            figures = _tautan_angka(html, kb)
            assert len(figures) >= 5
            for url, n in figures:  # dashboard: every figure is the length of its list
                assert _jumlah(c, url) == n, url
            assert f"{total.disetujui} dari {total.total} kebutuhan" in html
            assert _jumlah(c, kb) == total.total

            # the regency page: its figures are the dashboard's and link to the same lists
            wil = admin.get(f"/wilayah/{TAHUN}/", {"q": kode}).content.decode()
            for url, n in _tautan_angka(wil, kb):
                assert _jumlah(c, url) == n == total.terlambat
            assert f">{_persen(total)}</td>" in wil.replace(" ", "")

            # the public page: the same percentage
            pub = Client().get(f"/publik/{kode}/{TAHUN}/").content.decode()
            assert f'data-testid="persen-total">{_persen(total)}' in pub.replace("\n", "")

            # Tugas saya: each member's cells are the rows of the list "PIC = member"
            for u in anggota:
                cells = [(s.bukti_dukung.pk, s.bulan, s.status)
                         for _m, items in tugas_untuk(u, rk) for _ra, sel in items for s in sel]
                rows = daftar_kebutuhan(rk, pic=u.pk)
                assert len(cells) == len(rows) == _jumlah(c, f"{kb}?pic={u.pk}")
                status = {"kosong": "kosong", "menunggu": Status.DIAJUKAN,
                          "perbaikan": Status.PERLU_PERBAIKAN, "disetujui": Status.DISETUJUI}
                assert sorted(cells, key=str) == sorted(
                    ((r["bukti_dukung_id"], r["bulan"], status[r["status"]]) for r in rows), key=str)
                # what waits for the member: Tugas saya's three numbers are lists' lengths,
                # and the navigation bar's count is their sum
                m = Client()
                m.force_login(u)
                m.get("/", {"unit": kode, "tahun": TAHUN})
                tugas = m.get("/tugas-saya/", {"unit": kode, "tahun": TAHUN}).content.decode()
                angka = {k: int(re.search(rf'data-testid="tindakan-{k}">(\d+)<', tugas)[1])
                         for k in ("bulan-ini", "perbaikan", "terlambat")}
                bulan = hari.replace(day=1)
                kosong = daftar_kebutuhan(rk, pic=u.pk, status="kosong")
                assert angka["bulan-ini"] == sum(1 for r in kosong if r["bulan"] == bulan)
                assert angka["perbaikan"] == _jumlah(c, f"{kb}?pic={u.pk}&status=perbaikan")
                assert angka["terlambat"] == sum(1 for r in kosong
                                                 if r["bulan"] and r["bulan"] < bulan)
                nav = m.get("/navigasi/").content.decode()
                n = int(re.search(r'id="nav-tugas" hx-swap-oob="true"[^>]*data-jumlah="(\d+)"',
                                  nav)[1])
                assert n == sum(angka.values())

            # the timeline: a cell per action and month with requirements, in their state
            rows = daftar_kebutuhan(rk)
            _months, lini = linimasa(rk)
            sel = {(ra.pk, m): s for ra, cells in lini for m, s in zip(_months, cells, strict=True)
                   if s is not None}
            per_sel = {}
            for r in rows:
                if r["bulan"]:
                    per_sel.setdefault((r["rencana_aksi"].pk, r["bulan"]), []).append(r)
            assert sel.keys() == per_sel.keys()
            for k, rs in per_sel.items():
                assert (sel[k] == "disetujui") == all(r["status"] == "disetujui" for r in rs)
                ada = {r["status"] for r in rs}
                assert (sel[k] == "perbaikan") == ("perbaikan" in ada)
                assert (sel[k] == "terlambat") == (ada <= {"kosong", "disetujui"} and any(
                    r["terlambat"] for r in rs))

            # the status XLSX: its columns sum to the dashboard's figures
            wb = load_workbook(io.BytesIO(c.get(f"/laporan/{kode}/{TAHUN}/status.xlsx").content))
            sums = Counter()
            for ws in wb.worksheets:
                for r in ws.iter_rows(min_row=2, values_only=True):
                    sums.update({"disetujui": r[9], "total": r[10], "terlambat": r[11]})
            assert (sums["total"], sums["disetujui"], sums["terlambat"]) == (
                total.total, total.disetujui, total.terlambat)

            # the evidence ZIP: the current round of every approved requirement, nothing else
            ok = [r for r in rows if r["status"] == "disetujui"]
            ok_bulan = {(r["bukti_dukung_id"], r["bulan"]) for r in ok if r["bulan"]}
            ok_kejadian = {r["bukti_dukung_id"] for r in ok if not r["bulan"]}
            akhir = timezone.make_aware(datetime.combine(hari, time.max))
            for _path, b, _r in isi_bundel(rk):
                p = b.pengajuan
                assert b.putaran == p.putaran
                if p.bulan:
                    assert (p.bukti_dukung_id, p.bulan) in ok_bulan
                else:
                    assert p.bukti_dukung_id in ok_kejadian
                    assert p.status == Status.DISETUJUI and p.ditinjau_pada <= akhir
            assert {(b.pengajuan.bukti_dukung_id, b.pengajuan.bulan) for _p, b, _r in isi_bundel(rk)
                    if b.pengajuan.bulan} == ok_bulan

        # the semester report as of its last day is the dashboard as of that day
        for semester, akhir_semester in ((1, date(TAHUN, 6, 30)), (2, date(TAHUN, 12, 31))):
            isi = isi_laporan(rk, semester)
            with _pada(akhir_semester):
                html = c.get(f"/dasbor/{kode}/{TAHUN}/").content.decode()
                late = [(r["bukti_dukung_id"], r["bulan"])
                        for r in daftar_kebutuhan(rk, status="terlambat")]
                assert _jumlah(c, f"{kb}?status=terlambat") == isi["total"].terlambat
            assert f'data-testid="terlambat">{isi["total"].terlambat}<' in html
            assert [(t["bukti_dukung_id"], t["bulan"]) for t in isi["terlambat"]] == late
            if semester == 2:  # the whole year: every figure is the same
                assert f"{isi['total'].disetujui} dari {isi['total'].total} kebutuhan" in html

    cek()
