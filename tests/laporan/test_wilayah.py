"""The regency overview: every unit the user evaluates, figures from the one rule."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bukti_dukung.kebutuhan import hitung_progres, progres_total
from organisasi.models import UnitKerja
from rencana_aksi import services as rencana

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
