"""Every role at home: where sign-in lands, the navigation bar of each role with its
counts, and switching the current unit and year."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from bukti_dukung.models import Pengajuan, Status
from laporan.models import Laporan, StatusLaporan
from tests.conftest import PASSWORD

BERANDA = reverse("beranda")
NAV = reverse("navigasi")


def _masuk(username):
    c = Client()
    r = c.post(reverse("login"), {"username": username, "password": PASSWORD}, follow=True)
    return c, r


def _testids(body):
    return set(re.findall(r'data-testid="([^"]+)"', body))


def _posisi(body):
    tombol = re.search(r'data-testid="posisi"[^>]*>(.*?)</button>', body, re.S)[1]
    return re.sub(r"<[^>]+>", "", tombol).strip()


def _jumlah(nav, nama):
    m = re.search(rf'id="{nama}" hx-swap-oob="true"[^>]*data-jumlah="(\d+)"', nav)
    return int(m[1]) if m else None


@pytest.mark.django_db
def test_sign_in_lands_each_role_at_its_home(rk_dinsos):
    Laporan.objects.create(rencana_kerja=rk_dinsos, semester=1, status=StatusLaporan.DIAJUKAN)
    _c, r = _masuk("anggota1")
    assert r.redirect_chain[-1][0] == (reverse("bukti_dukung:tugas_saya")
                                       + "?unit=dinsos-mojokerto&tahun=2024")
    assert 'data-testid="tindakan"' in r.content.decode()
    _c, r = _masuk("admin")
    assert r.redirect_chain[-1][0] == reverse("progres:wilayah", args=[2024])
    # the Kepala Dinas: the reports awaiting signature first, then the dashboard
    _c, r = _masuk("kepaladinas")
    body = r.content.decode()
    assert r.request["PATH_INFO"] == BERANDA
    lap = reverse("laporan:laporan_semester", args=["dinsos-mojokerto", 2024, 1])
    assert f'href="{lap}" data-testid="laporan-menunggu"' in body
    assert body.index('data-testid="menunggu-tanda"') < body.index('data-testid="dasbor-beranda"')
    assert 'data-testid="menunggu-sekretaris"' not in body
    # the Sekretaris: what waits (queue, reports to prepare, LKE), then the dashboard
    _c, r = _masuk("sekretaris")
    ids = _testids(r.content.decode())
    assert {"menunggu-sekretaris", "kartu-antrean", "kartu-laporan", "kartu-lke",
            "dasbor-beranda"} <= ids and "menunggu-tanda" not in ids
    # the TPI: its units with their progress and LKE
    _c, r = _masuk("tpi")
    body = r.content.decode()
    assert body.count('data-testid="baris-unit-tpi"') == 2
    assert reverse("lke:lke", args=["dinkes-mojokerto", 2024]) in body


@pytest.mark.django_db
def test_a_user_without_roles_is_told_what_to_do():
    get_user_model().objects.create_user("baru", password=PASSWORD)
    _c, r = _masuk("baru")
    assert 'data-testid="tanpa-peran"' in r.content.decode()


@pytest.mark.django_db
def test_the_navigation_bar_follows_the_roles(rk_dinsos):
    harap = {
        "anggota1": ({"nav-tugas", "nav-rencana", "nav-lke"},
                     {"nav-dasbor", "nav-laporan", "nav-antrean", "nav-wilayah"}),
        "sekretaris": ({"nav-tugas", "nav-antrean", "nav-rencana", "nav-dasbor", "nav-laporan",
                        "nav-lke"}, {"nav-wilayah"}),
        "kepaladinas": ({"nav-rencana", "nav-dasbor", "nav-laporan", "nav-lke"},
                        {"nav-tugas", "nav-antrean", "nav-wilayah"}),
        "tpi": ({"nav-rencana", "nav-dasbor", "nav-lke", "nav-wilayah"},
                {"nav-tugas", "nav-antrean"}),
    }
    for username, (ada, tidak) in harap.items():
        c, _r = _masuk(username)
        ids = _testids(c.get(reverse("organisasi:profil")).content.decode())
        assert ada <= ids, (username, ada - ids)
        assert not ids & tidak, (username, ids & tidak)
        assert "posisi" in ids


@pytest.mark.django_db
def test_navigation_counts_are_the_pages_counts(rk_dinsos, users, django_assert_max_num_queries):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bukti_dukung.services import unggah_bukti
    from rencana_aksi.models import BuktiDukung

    from .bukti_dukung.conftest import pdf_bytes

    for bd in BuktiDukung.objects.filter(
            rencana_aksi__indikator__komponen__area_rencana__rencana_kerja=rk_dinsos,
            rencana_aksi__target_bulan__isnull=False).distinct()[:3]:
        unggah_bukti(bukti_dukung=bd, user=users["anggota1"],
                     bulan=bd.rencana_aksi.target_bulan.first().bulan,
                     files=[SimpleUploadedFile(f"{bd.pk}.pdf", pdf_bytes(str(bd.pk)))])
    sek, _r = _masuk("sekretaris")
    with django_assert_max_num_queries(12):
        nav = sek.get(NAV).content.decode()
    antrean = Pengajuan.objects.filter(status=Status.DIAJUKAN,
                                       bukti_dukung__rencana_aksi__indikator__komponen__area_rencana__rencana_kerja=rk_dinsos).count()
    assert antrean == 3
    # the badge, the home page card and the queue page count the same
    assert _jumlah(nav, "nav-antrean") == antrean
    body = sek.get(BERANDA).content.decode()
    assert f'data-testid="jumlah-antrean">{antrean}<' in body
    halaman = sek.get(reverse("bukti_dukung:antrean", args=["dinsos-mojokerto"])).content.decode()
    assert halaman.count('data-testid="antrean"') == antrean
    # a report submitted: the Kepala Dinas's count, on the bar and the home page
    Laporan.objects.create(rencana_kerja=rk_dinsos, semester=2, status=StatusLaporan.DIAJUKAN)
    kep, r = _masuk("kepaladinas")
    assert _jumlah(kep.get(NAV).content.decode(), "nav-laporan") == 1
    assert r.content.decode().count('data-testid="laporan-menunggu"') == 1
    assert _jumlah(kep.get(NAV).content.decode(), "nav-total") == 1


@pytest.mark.django_db
def test_the_unit_and_year_can_be_switched_and_are_remembered(rk_dinsos, rk_dinkes):
    tpi, _r = _masuk("tpi")
    body = tpi.get(reverse("organisasi:profil")).content.decode()
    assert _posisi(body).startswith("Dinas Kesehatan")  # the first unit by name
    r = tpi.get(BERANDA, {"unit": "dinsos-mojokerto"})
    assert r.status_code == 302 and r["Location"] == BERANDA
    body = tpi.get(reverse("organisasi:profil")).content.decode()
    assert _posisi(body) == "Dinas Sosial Kabupaten Mojokerto · 2024"
    assert reverse("progres:dasbor", args=["dinsos-mojokerto", 2024]) in body
    # a unit page visited becomes the current unit
    tpi.get(reverse("progres:dasbor", args=["dinkes-mojokerto", 2024]))
    body = tpi.get(reverse("organisasi:profil")).content.decode()
    assert _posisi(body).startswith("Dinas Kesehatan")
    nav = tpi.get(NAV).content.decode()
    assert nav.count('data-testid="pilih-unit"') == 2 and 'data-testid="pilih-tahun"' in nav
    # a year without a plan: said plainly, with the years that have one
    tpi.get(BERANDA, {"tahun": 2031})
    body = tpi.get(BERANDA).content.decode()
    assert 'data-testid="tanpa-rencana"' in body and "?tahun=2024" in body
    # another unit's code: not found; nonsense: ignored, no error
    assert tpi.get(BERANDA, {"unit": "bappeda"}).status_code == 404
    sek, _r = _masuk("sekretaris")
    assert sek.get(BERANDA, {"unit": "dinkes-mojokerto"}).status_code == 404
    for v in ("abc", "1e999", "２０２４", "\x00", "<script>", "../../etc"):
        assert sek.get(BERANDA, {"tahun": v, "unit": v}).status_code in (200, 302), v


@pytest.mark.parametrize("url,terakhir", [
    ("/rencana/dinsos-mojokerto/2024/", "Rencana kerja"),
    ("/lke/dinsos-mojokerto/2024/", "LKE"),
    ("/lke/dinsos-mojokerto/2024/tautan/", "Tautan soal–indikator"),
    ("/dasbor/dinsos-mojokerto/2024/", "Dasbor"),
    ("/rencana/", "Semua rencana kerja"),  # the Admin: more than one plan
    ("/tugas-saya/", "Tugas saya"),
])
def test_remah_roti_di_setiap_halaman(client_as, url, terakhir):
    html = client_as("admin" if url == "/rencana/" else "sekretaris").get(url).content.decode()
    remah = re.search(r'<nav [^>]*data-testid="remah".*?</nav>', html, re.S)
    assert remah, url
    remah = remah.group(0)
    assert 'href="/"' in remah and f'aria-current="page">{terakhir}</li>' in remah


@pytest.mark.django_db
def test_tpi_starts_at_the_unit_with_the_latest_plan(rk_dinsos):
    from rencana_aksi.models import RencanaKerja

    RencanaKerja.objects.create(unit=rk_dinsos.unit, tahun=2025)
    _c, r = _masuk("tpi")
    assert _posisi(r.content.decode()) == "Dinas Sosial Kabupaten Mojokerto · 2025"
