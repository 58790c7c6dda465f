"""The progress rule on small hand-built plans, and on the seed."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from bukti_dukung import services
from bukti_dukung.kebutuhan import hitung_progres, progres_total
from tests.factories import (
    BuktiDukungFactory,
    IndikatorFactory,
    KeanggotaanFactory,
    KomponenFactory,
    RencanaAksiFactory,
    RencanaKerjaFactory,
)

from .conftest import berkas, pdf_bytes


@pytest.fixture
def plan(db):
    """2 actions: A (Mar, Apr) with 2 bukti dukung, B (Jun) with 1; C event-driven, 1 bd."""
    rk = RencanaKerjaFactory()
    budi = KeanggotaanFactory(unit=rk.unit, user__username="budi").user
    sek = KeanggotaanFactory(unit=rk.unit, peran="sekretaris", user__username="sek").user
    k = KomponenFactory(area_rencana__rencana_kerja=rk, pic=budi)
    a = RencanaAksiFactory(indikator=IndikatorFactory(komponen=k), bulan=[3, 4])
    a1, a2 = BuktiDukungFactory(rencana_aksi=a), BuktiDukungFactory(rencana_aksi=a)
    b = RencanaAksiFactory(indikator=IndikatorFactory(komponen=k), bulan=[6])
    b1 = BuktiDukungFactory(rencana_aksi=b)
    c = RencanaAksiFactory(indikator=IndikatorFactory(komponen=k), bulan=[], per_kejadian=True,
                           target_waktu="Setiap ada undangan")
    c1 = BuktiDukungFactory(rencana_aksi=c)
    return {"rk": rk, "budi": budi, "sek": sek, "a1": a1, "a2": a2, "b1": b1, "c1": c1}


def _up(p, bd, bulan=None, **kw):
    return services.unggah_bukti(bukti_dukung=bd, user=p["budi"], bulan=bulan,
                                 files=[berkas("x.pdf", pdf_bytes(f"{bd.pk}{bulan}{kw}"))],
                                 **kw).pengajuan


def _ok(p, pj):
    return services.setujui(pengajuan=pj, versi=pj.versi, user=p["sek"])


def test_every_state(plan):
    p = plan
    mei = progres_total(p["rk"], hari=date(2024, 5, 15))  # March and April over, June not
    assert (mei.total, mei.disetujui, mei.kosong, mei.terlambat) == (6, 0, 6, 4)  # 2x2 + 1 + 1
    hari = None  # today: every 2024 month is over
    _ok(p, _up(p, p["a1"], date(2024, 3, 1)))
    _up(p, p["a2"], date(2024, 3, 1))  # waiting
    pj = _up(p, p["a1"], date(2024, 4, 1))
    services.minta_perbaikan(pengajuan=pj, versi=pj.versi, user=p["sek"], komentar="x")
    h = progres_total(p["rk"], hari=hari)
    assert (h.total, h.disetujui, h.menunggu, h.perbaikan, h.kosong) == (6, 1, 1, 1, 3)
    assert h.terlambat == 5 - 1 and h.persen == 16.7
    # revision then approval
    pj = _up(p, p["a1"], date(2024, 4, 1))
    _ok(p, pj)
    h = progres_total(p["rk"], hari=hari)
    assert (h.disetujui, h.perbaikan, h.terlambat) == (2, 0, 3)


def test_event_driven_counts_once_approved(plan):
    p = plan
    occ = _up(p, p["c1"], tanggal_kejadian=date(2024, 5, 2), uraian_kejadian="Bimtek")
    assert progres_total(p["rk"]).menunggu == 1
    _ok(p, occ)
    _up(p, p["c1"], tanggal_kejadian=date(2024, 6, 2), uraian_kejadian="Bimtek 2")
    h = progres_total(p["rk"])
    assert h.disetujui == 1 and h.menunggu == 0  # counted once, approved wins


def test_per_month_and_cumulative(plan):
    p = plan
    _ok(p, _up(p, p["a1"], date(2024, 3, 1)))
    per = hitung_progres(p["rk"], per="bulan")
    assert {k: (v.total, v.disetujui) for k, v in per.items()} == {
        date(2024, 3, 1): (2, 1), date(2024, 4, 1): (2, 0), date(2024, 6, 1): (1, 0),
        None: (1, 0)}  # the event-driven requirement, for the year
    sampai = progres_total(p["rk"], sampai=date(2024, 4, 1))
    assert (sampai.total, sampai.disetujui) == (4 + 1, 1)  # event-driven is for the year


def test_month_boundary_in_jakarta(plan):
    """31 March 23:30 in Jakarta is still March: not overdue yet; 1 April 00:10 it is."""
    p = plan
    jkt = timezone.get_fixed_timezone(7 * 60)
    before = datetime(2024, 3, 31, 23, 30, tzinfo=jkt)
    after = before + timedelta(minutes=40)
    assert progres_total(p["rk"], hari=timezone.localdate(before)).terlambat == 0
    assert progres_total(p["rk"], hari=timezone.localdate(after)).terlambat == 2


def test_approval_after_the_as_of_date_does_not_count(plan):
    p = plan
    _ok(p, _up(p, p["a1"], date(2024, 3, 1)))
    assert progres_total(p["rk"], hari=timezone.localdate() - timedelta(days=1)).disetujui == 0
    assert progres_total(p["rk"]).disetujui == 1


def test_groups_and_pic(plan):
    p = plan
    _ok(p, _up(p, p["b1"], date(2024, 6, 1)))
    per_ra = hitung_progres(p["rk"], per="rencana_aksi")
    assert per_ra[p["b1"].rencana_aksi_id].persen == 100.0
    per_pic = hitung_progres(p["rk"], per="pic")
    assert per_pic[p["budi"].pk].total == 6 and per_pic[p["budi"].pk].disetujui == 1
    total = sum((v for v in hitung_progres(p["rk"], per="area").values()), start=type(
        per_pic[p["budi"].pk])())
    assert total.total == 6


def test_seed_plan_totals(rk_dinsos, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        h = progres_total(rk_dinsos, hari=date(2024, 12, 31))
    per_area = hitung_progres(rk_dinsos, per="area", hari=date(2024, 12, 31))
    assert h.total == sum(v.total for v in per_area.values()) > 300
    assert h.disetujui == 0 and h.persen == 0.0


def test_waiting_and_returned_are_as_of_the_date_too(plan):
    """Submitted 10 March, approved 3 July: waiting on 30 June, approved on 31 July; a
    return on 2 May counts from then; a submission after the date does not count."""
    from bukti_dukung.kebutuhan import daftar_kebutuhan
    from bukti_dukung.models import Pengajuan

    p = plan
    jkt = timezone.get_fixed_timezone(7 * 60)

    def at(pj, diajukan, ditinjau=None):
        Pengajuan.objects.filter(pk=pj.pk).update(
            diajukan_pada=datetime(*diajukan, 9, tzinfo=jkt),
            ditinjau_pada=datetime(*ditinjau, 9, tzinfo=jkt) if ditinjau else None)

    at(_ok(p, _up(p, p["a1"], date(2024, 3, 1))), (2024, 3, 10), (2024, 7, 3))
    pj = _up(p, p["a2"], date(2024, 3, 1))
    services.minta_perbaikan(pengajuan=pj, versi=pj.versi, user=p["sek"], komentar="x")
    at(pj, (2024, 4, 20), (2024, 5, 2))
    at(_up(p, p["a1"], date(2024, 4, 1)), (2024, 8, 1))  # waiting, but only since August

    juni = progres_total(p["rk"], hari=date(2024, 6, 30))
    assert (juni.disetujui, juni.menunggu, juni.perbaikan) == (0, 1, 1)
    april = progres_total(p["rk"], hari=date(2024, 4, 30))
    assert (april.disetujui, april.menunggu, april.perbaikan) == (0, 2, 0)
    juli = progres_total(p["rk"], hari=date(2024, 7, 31))
    assert (juli.disetujui, juli.menunggu, juli.perbaikan) == (1, 0, 1)
    agustus = progres_total(p["rk"], hari=date(2024, 8, 31))
    assert (agustus.disetujui, agustus.menunggu, agustus.perbaikan) == (1, 1, 1)
    # the row form (item lists, reports) agrees with the aggregate
    rows = daftar_kebutuhan(p["rk"], hari=date(2024, 6, 30))
    assert sorted(r["status"] for r in rows if r["status"] != "kosong") == ["menunggu", "perbaikan"]
