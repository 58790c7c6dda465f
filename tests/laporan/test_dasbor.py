"""The dashboard: figures from the progress rule, access, fixed query count."""

from datetime import date

from django.test import Client
from django.urls import reverse

from bukti_dukung import services
from bukti_dukung.kebutuhan import progres_total
from rencana_aksi.models import BuktiDukung
from tests.bukti_dukung.conftest import berkas, pdf_bytes

URL = reverse("progres:dasbor", args=["dinsos-mojokerto", 2024])
FEB = date(2024, 2, 1)


def _c(users, name):
    c = Client()
    c.force_login(users[name])
    return c


def _approve_some(rk, users, n, mulai=0):
    bds = BuktiDukung.objects.filter(
        rencana_aksi__indikator__komponen__area_rencana__rencana_kerja=rk,
        rencana_aksi__target_bulan__bulan=FEB).distinct().order_by("pk")[mulai:mulai + n]
    for i, bd in enumerate(bds):
        p = services.unggah_bukti(bukti_dukung=bd, user=users["anggota1"], bulan=FEB,
                                  files=[berkas(f"{i}.pdf", pdf_bytes(str(i)))]).pengajuan
        services.setujui(pengajuan=p, versi=p.versi, user=users["sekretaris"])


def test_figures_match_the_rule(rk_dinsos, users):
    _approve_some(rk_dinsos, users, 3)
    h = progres_total(rk_dinsos)
    body = _c(users, "kepaladinas").get(URL).content.decode()
    persen = f"{h.persen:.1f}".replace(".", ",")  # Indonesian decimals
    assert f'data-testid="persen-total">{persen} %' in body.replace("\n", "")
    assert f'data-testid="terlambat">{h.terlambat}<' in body
    assert "3 dari" in body


def test_access(users):
    assert _c(users, "tpi").get(URL).status_code == 200
    assert _c(users, "anggota1").get(URL).status_code == 403
    assert _c(users, "sekretaris2").get(URL).status_code == 404


def test_query_count_does_not_grow(rk_dinsos, users):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = _c(users, "sekretaris")
    c.get(URL)
    cache.clear()  # the figures are computed, not taken from the cache
    with CaptureQueriesContext(connection) as before:
        c.get(URL)
    _approve_some(rk_dinsos, users, 6)
    cache.clear()
    with CaptureQueriesContext(connection) as after:
        c.get(URL)
    assert len(after.captured_queries) == len(before.captured_queries) <= 25
    with CaptureQueriesContext(connection) as cached:
        c.get(URL)
    assert len(cached.captured_queries) < len(after.captured_queries)


def test_every_figure_lists_the_items_behind_it(rk_dinsos, users):
    from bukti_dukung.kebutuhan import daftar_kebutuhan, hitung_progres

    _approve_some(rk_dinsos, users, 3)
    h = progres_total(rk_dinsos)
    for status, n in (("disetujui", h.disetujui), ("terlambat", h.terlambat),
                      ("kosong", h.kosong)):  # the 3 event-driven requirements too
        assert len(daftar_kebutuhan(rk_dinsos, status=status)) == n
    per_area = hitung_progres(rk_dinsos, per="area")
    listed = sum(len(daftar_kebutuhan(rk_dinsos, area=a)) for a in per_area)
    assert listed == h.total  # every requirement, in exactly one area
    c = _c(users, "kepaladinas")
    body = c.get(reverse("progres:kebutuhan", args=["dinsos-mojokerto", 2024]),
                 {"status": "disetujui"}).content.decode()
    assert body.count('data-testid="kebutuhan"') == 3
    assert _c(users, "anggota3").get(reverse("progres:kebutuhan", args=[
        "dinsos-mojokerto", 2024])).status_code == 404


def test_timeline_cells_and_queries(rk_dinsos, users):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bukti_dukung.kebutuhan import linimasa

    months, rows = linimasa(rk_dinsos)
    assert len(months) == 12 and len(rows) == 110
    by_teks = {ra.teks: cells for ra, cells in rows}
    assert by_teks["Pembentukan Tim Kerja ZI dalam unit kerja"][1] == "terlambat"  # Feb, past
    assert by_teks["Pembentukan Tim Kerja ZI dalam unit kerja"][0] is None  # no target in Jan
    _approve_some(rk_dinsos, users, 3)
    c = _c(users, "kepaladinas")
    url = reverse("progres:linimasa", args=["dinsos-mojokerto", 2024])
    c.get(url)
    cache.clear()  # measure the computed page, not the cached body
    with CaptureQueriesContext(connection) as q:
        body = c.get(url).content.decode()
    assert body.count('class="lm lm-disetujui"') >= 1
    _approve_some(rk_dinsos, users, 5, mulai=3)  # bumps the plan version: computed again
    with CaptureQueriesContext(connection) as q2:
        c.get(url)
    assert len(q2.captured_queries) == len(q.captured_queries)
