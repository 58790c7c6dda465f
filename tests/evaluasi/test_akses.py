"""Who sees which unit of a round, and query counts that do not grow with units."""

from datetime import timedelta

import pytest

from evaluasi import services
from evaluasi.models import PenugasanTPI, PesertaEvaluasi
from organisasi.models import Keanggotaan, Peran, UnitKerja
from tests.factories import UserFactory

DINSOS = "/evaluasi/2024/unit/dinsos-mojokerto/"
DINKES = "/evaluasi/2024/unit/dinkes-mojokerto/"


@pytest.mark.parametrize(("username", "s_dinsos", "s_dinkes"), [
    ("admin", 200, 200),
    ("tpi", 200, 404),          # assigned to Dinas Sosial only (it holds a role in both)
    ("sekretaris", 200, 404),
    ("anggota1", 200, 404),
    ("kepaladinas", 200, 404),
    ("sekretaris2", 404, 200),
    ("anggota3", 404, 200),
])
def test_siapa_melihat_peserta(client_as, putaran, username, s_dinsos, s_dinkes):
    c = client_as(username)
    for url, status in [(DINSOS, s_dinsos), (DINKES, s_dinkes)]:
        assert c.get(url).status_code == status, url
        assert c.get(url + "salinan/").status_code == status, url


@pytest.mark.parametrize("username", ["sekretaris", "tpi", "kepaladinas", "sekretaris2"])
def test_halaman_admin_bukan_untuk_peran_lain(client_as, putaran, username):
    c = client_as(username)
    for url in ["/evaluasi/putaran/", "/evaluasi/putaran/baru/", "/evaluasi/2024/",
                "/evaluasi/2024/ubah/"]:
        assert c.get(url).status_code == 403, url
    assert c.post("/evaluasi/putaran/salin/", {"tahun": "2025"}).status_code == 403
    # a unit's own page seen by its roles: 403; another unit's: 404
    for url in [DINSOS + "tpi/", DINSOS + "perpanjang/"]:
        assert c.get(url).status_code == (404 if username == "sekretaris2" else 403), url


def test_orang_asing_dialihkan_ke_masuk(client, putaran):
    for url in ["/evaluasi/", "/evaluasi/saya/", "/evaluasi/2024/", DINSOS, DINSOS + "ajukan/"]:
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/masuk/")


def test_evaluasi_saya_hanya_unit_yang_ditugaskan(client_as, putaran, dinkes, users):
    r = client_as("tpi").get("/evaluasi/saya/")
    html = r.content.decode()
    assert r.status_code == 200
    assert 'data-testid="unit-dinsos-mojokerto"' in html
    assert 'data-testid="unit-dinkes-mojokerto"' not in html
    assert "belum diajukan" in html
    assert client_as("sekretaris").get("/evaluasi/saya/").status_code == 403
    assert client_as("admin").get("/evaluasi/saya/").status_code == 403


def test_beranda_per_peran(client_as, putaran):
    assert client_as("admin").get("/evaluasi/")["Location"] == "/evaluasi/putaran/"
    assert client_as("tpi").get("/evaluasi/")["Location"] == "/evaluasi/saya/"
    r = client_as("sekretaris2").get("/evaluasi/")
    assert r.status_code == 200
    assert DINKES in r.content.decode() and DINSOS not in r.content.decode()


def _tambah_unit(putaran, tpi, n):
    for i in range(n):
        u = UnitKerja.objects.create(kode=f"uji-{putaran.peserta.count()}-{i}", nama=f"Uji {i}")
        Keanggotaan.objects.create(user=tpi, unit=u, peran=Peran.TPI)
        p = PesertaEvaluasi.objects.create(putaran=putaran, unit=u)
        PenugasanTPI.objects.create(peserta=p, user=tpi, ketua=True)
        PenugasanTPI.objects.create(peserta=p, user=UserFactory())
        services.perpanjang(peserta=p, langkah="mandiri", alasan="x", oleh=None,
                            selesai=putaran.mandiri_selesai + timedelta(days=30))


@pytest.mark.parametrize("url", ["/evaluasi/2024/", "/evaluasi/saya/", "/evaluasi/putaran/"])
def test_jumlah_query_tidak_tumbuh(client_as, putaran, users, url, django_assert_max_num_queries):
    username = "tpi" if url == "/evaluasi/saya/" else "admin"
    _tambah_unit(putaran, users["tpi"], 2)
    c = client_as(username)
    c.get(url)  # the session's first write
    with django_assert_max_num_queries(12) as sedikit:
        assert c.get(url).status_code == 200
    _tambah_unit(putaran, users["tpi"], 6)
    with django_assert_max_num_queries(len(sedikit.captured_queries)):
        r = c.get(url)
    if url != "/evaluasi/putaran/":
        assert r.content.decode().count('data-testid="unit-uji-') == 8
