"""The public progress page: opt-in, no login, percentages only."""

from datetime import date

from django.test import Client
from django.urls import reverse

from bukti_dukung.kebutuhan import progres_total
from organisasi.models import UnitKerja

from .test_dasbor import _approve_some

URL = reverse("progres:publik", args=["dinsos-mojokerto", 2024])


def test_off_by_default_then_opt_in_by_the_sekretaris(rk_dinsos, users):
    assert Client().get(URL).status_code == 404
    sek = Client()
    sek.force_login(users["sekretaris"])
    anggota = Client()
    anggota.force_login(users["anggota1"])
    form = {"halaman_publik": "1", "tanggal_pencanangan": "2024-02-12",
            "keterangan_pencanangan": "Penandatanganan Pakta Integritas"}
    assert anggota.post(reverse("progres:atur_publik", args=["dinsos-mojokerto"]),
                        form).status_code == 403
    sek.post(reverse("progres:atur_publik", args=["dinsos-mojokerto"]), form)
    unit = UnitKerja.objects.get(kode="dinsos-mojokerto")
    assert unit.halaman_publik and unit.tanggal_pencanangan == date(2024, 2, 12)


def test_shows_percentages_and_leaks_nothing(rk_dinsos, users, django_assert_max_num_queries):
    UnitKerja.objects.filter(kode="dinsos-mojokerto").update(
        halaman_publik=True, tanggal_pencanangan=date(2024, 2, 12))
    _approve_some(rk_dinsos, users, 3)
    with django_assert_max_num_queries(8):
        resp = Client().get(URL)
    body = resp.content.decode()
    h = progres_total(rk_dinsos)
    assert f"{h.persen:.1f}".replace(".", ",") in body and "12 Februari 2024" in body
    for secret in ("Anggota Tim ZI", "Sekretaris Tim", ".pdf", "/berkas/", "/unduh/",
                   "SK Tim Kerja ZI", "Keluar"):
        assert secret not in body
    # the other unit stays private
    assert Client().get(reverse("progres:publik", args=["dinkes-mojokerto", 2024])).status_code == 404


def test_query_count_constant_in_units_and_uploads(rk_dinsos, users):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bukti_dukung import services
    from organisasi.models import UnitKerja
    from rencana_aksi import services as rencana
    from rencana_aksi.models import BuktiDukung
    from tests.bukti_dukung.conftest import berkas, pdf_bytes

    UnitKerja.objects.filter(pk=rk_dinsos.unit_id).update(halaman_publik=True)
    url = reverse("progres:publik", args=["dinsos-mojokerto", 2024])
    with CaptureQueriesContext(connection) as one:
        Client().get(url)
    for i in range(3):
        unit = UnitKerja.objects.create(kode=f"unit-{i}", nama=f"Unit {i}", halaman_publik=True)
        rencana.salin_rencana_kerja(sumber=rk_dinsos, unit=unit, tahun=2024)
    for i, bd in enumerate(BuktiDukung.objects.filter(
            rencana_aksi__indikator__komponen__area_rencana__rencana_kerja=rk_dinsos,
            rencana_aksi__target_bulan__bulan="2024-02-01").distinct()[:4]):
        p = services.unggah_bukti(bukti_dukung=bd, user=users["anggota1"], bulan=date(2024, 2, 1),
                                  files=[berkas(f"{i}.pdf", pdf_bytes(str(i)))]).pengajuan
        services.setujui(pengajuan=p, versi=p.versi, user=users["sekretaris"])
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        body = Client().get(url).content.decode()
    assert len(many.captured_queries) == len(one.captured_queries)
    assert 'data-testid="persen-total">0,0' not in body.replace("\n", "")
