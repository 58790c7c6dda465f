"""The regency overview: every unit the user evaluates, figures from the one rule."""

from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.db import connection
from django.template.defaultfilters import date as tanggal
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from bukti_dukung import services as bukti
from bukti_dukung.kebutuhan import hitung_progres, progres_total
from bukti_dukung.models import Berkas
from organisasi.models import UnitKerja
from rencana_aksi import services as rencana
from rencana_aksi.models import BuktiDukung, RencanaKerja
from tests.bukti_dukung.conftest import berkas

from .test_dasbor import _approve_some

URL = reverse("progres:wilayah", args=[2024])


def _c(users, name):
    c = Client()
    c.force_login(users[name])
    return c


def test_units_and_figures(rk_dinsos, users):
    _approve_some(rk_dinsos, users, 4)
    body = _c(users, "tpi").get(URL).content.decode()
    assert body.count('data-testid="unit"') == 2
    h = progres_total(rk_dinsos)
    assert f"{h.persen:.1f}".replace(".", ",") in body
    assert reverse("progres:dasbor", args=["dinsos-mojokerto", 2024]) in body
    # per canonical area, Pemenuhan and Reform together
    per = hitung_progres(per=("unit", "area_baku"), lingkup={"__tahun": 2024,
                                                             "__unit__in": [rk_dinsos.unit_id]})
    assert sum(v.total for v in per.values()) == h.total


def test_access(users):
    assert _c(users, "admin").get(URL).status_code == 200
    assert _c(users, "sekretaris").get(URL).status_code == 403
    assert _c(users, "kepaladinas").get(URL).status_code == 403


def test_query_count_constant_in_units(rk_dinsos, users):
    from django.core.cache import cache

    c = _c(users, "admin")
    c.get(URL)
    cache.clear()  # figures computed for every plan, none from the cache
    with CaptureQueriesContext(connection) as two:
        c.get(URL)
    for i in range(3):
        unit = UnitKerja.objects.create(kode=f"unit-{i}", nama=f"Unit {i}")
        rencana.salin_rencana_kerja(sumber=rk_dinsos, unit=unit, tahun=2024)
    cache.clear()
    with CaptureQueriesContext(connection) as five:
        body = c.get(URL).content.decode()
    assert body.count('data-testid="unit"') == 5
    assert len(five.captured_queries) == len(two.captured_queries)


def test_sortable(rk_dinsos, users):
    _approve_some(rk_dinsos, users, 2)
    body = _c(users, "admin").get(URL, {"urut": "persen"}).content.decode()
    assert body.index("Dinas Sosial") < body.index("Dinas Kesehatan")
    body = _c(users, "admin").get(URL, {"urut": "nama"}).content.decode()
    assert body.index("Dinas Kesehatan") < body.index("Dinas Sosial")


def test_paged_and_searchable(rk_dinsos, users, monkeypatch):
    from progres import views

    monkeypatch.setattr(views, "PER_HALAMAN_WILAYAH", 1)
    c = _c(users, "admin")
    first = c.get(URL, {"urut": "nama"}).content.decode()
    assert first.count('data-testid="unit"') == 1 and "Dinas Kesehatan" in first
    second = c.get(URL, {"urut": "nama", "halaman": 2}).content.decode()
    assert second.count('data-testid="unit"') == 1 and "Dinas Sosial" in second
    found = c.get(URL, {"q": "sosial"}).content.decode()
    assert found.count('data-testid="unit"') == 1 and "Dinas Sosial" in found


def test_last_activity_is_the_last_upload(rk_dinsos, users):
    """An upload sets its plan's last activity (with the version bump at its end); a refused
    one does not; the overview sorts by it; the backfill agrees with the files."""
    assert rk_dinsos.unggahan_terakhir is None
    bd = BuktiDukung.objects.filter(
        rencana_aksi__indikator__komponen__area_rencana__rencana_kerja=rk_dinsos,
        rencana_aksi__target_bulan__isnull=False).select_related("rencana_aksi").first()
    bulan = bd.rencana_aksi.bulan_list()[0]
    versi = rk_dinsos.data_versi
    bukti.unggah_bukti(bukti_dukung=bd, user=users["anggota1"], bulan=bulan,
                       files=[berkas("kosong.pdf", b"")])  # refused: empty
    rk_dinsos.refresh_from_db()
    assert rk_dinsos.unggahan_terakhir is None and rk_dinsos.data_versi == versi
    sebelum = timezone.now()
    _approve_some(rk_dinsos, users, 1)
    rk_dinsos.refresh_from_db()
    assert rk_dinsos.unggahan_terakhir >= sebelum
    body = _c(users, "admin").get(URL, {"urut": "aktif"}).content.decode()
    assert body.index("Dinas Sosial") < body.index("Dinas Kesehatan")  # the other: none yet
    dulu = timezone.now() - timedelta(days=40)
    Berkas.objects.update(diunggah_pada=dulu)  # as the demo back-dates its uploads
    bukti.hitung_ulang_unggahan_terakhir()
    rk_dinsos.refresh_from_db()
    assert rk_dinsos.unggahan_terakhir == dulu
    with translation.override("id"):
        tampil = tanggal(timezone.localtime(dulu), "j M Y H:i")
    assert tampil in _c(users, "admin").get(URL).content.decode()


def test_migration_fills_last_activity(rk_dinsos, users):
    """The migration that added the field fills it from the files already there."""
    isi = import_module("bukti_dukung.migrations.0004_isi_unggahan_terakhir").isi
    _approve_some(rk_dinsos, users, 2)
    terakhir = Berkas.objects.latest("diunggah_pada").diunggah_pada
    RencanaKerja.objects.update(unggahan_terakhir=None)  # as before the migration
    isi(apps, None)
    assert dict(RencanaKerja.objects.values_list("unit__kode", "unggahan_terakhir")) == {
        "dinsos-mojokerto": terakhir, "dinkes-mojokerto": None}
