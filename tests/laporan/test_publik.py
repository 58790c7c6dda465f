"""The public progress page: opt-in, no login, percentages only."""

from datetime import date

from django.test import Client
from django.urls import reverse

from bukti_dukung.progres import progres_total
from rencana_aksi.models import UnitKerja

from .test_dasbor import _approve_some

URL = reverse("laporan:publik", args=["dinsos-mojokerto", 2024])


def test_off_by_default_then_opt_in_by_the_sekretaris(rk_dinsos, users):
    assert Client().get(URL).status_code == 404
    sek = Client()
    sek.force_login(users["sekretaris"])
    anggota = Client()
    anggota.force_login(users["anggota1"])
    form = {"halaman_publik": "1", "tanggal_pencanangan": "2024-02-12",
            "keterangan_pencanangan": "Penandatanganan Pakta Integritas"}
    assert anggota.post(reverse("laporan:atur_publik", args=["dinsos-mojokerto"]),
                        form).status_code == 403
    sek.post(reverse("laporan:atur_publik", args=["dinsos-mojokerto"]), form)
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
    assert Client().get(reverse("laporan:publik", args=["dinkes-mojokerto", 2024])).status_code == 404
