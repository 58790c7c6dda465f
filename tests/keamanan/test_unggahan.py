"""Upload hardening end to end: a request over the total limit is refused before its body
is read; a file over the per-file limit stops being stored while it streams in, the others
of the batch are kept; downloads are attachments with nosniff and a sandbox policy; HTML and
SVG never get in."""

import io

import pytest
from django.core.files.uploadhandler import SkipFile
from django.test import Client

from bukti_dukung.models import Berkas
from bukti_dukung.unggahan import BatasBerkasHandler
from rencana_aksi.models import RencanaAksi
from tests.bukti_dukung.conftest import berkas, pdf_bytes


@pytest.fixture
def ra(rk_dinsos):
    return RencanaAksi.objects.milik_unit(rk_dinsos.unit).get(
        teks="Pembentukan Tim Kerja ZI dalam unit kerja")


def _unggah(client, ra, files, **extra):
    bd = ra.bukti_dukung.first()
    return client.post(f"/bukti-dukung/{bd.pk}/unggah/",
                       {"berkas": files, "bulan": ra.bulan_list()[0].strftime("%Y-%m")}, **extra)


class Badan(io.RawIOBase):
    """A request body that counts how much of it is read."""

    def __init__(self, n):
        self.n, self.dibaca = n, 0

    def readable(self):
        return True

    def readinto(self, b):
        k = min(len(b), self.n - self.dibaca)
        b[:k] = b"x" * k
        self.dibaca += k
        return k


def test_permintaan_terlalu_besar_ditolak_sebelum_dibaca(ra, users, settings):
    from django.test import RequestFactory

    from zona_integritas.middleware import BatasPermintaanMiddleware

    settings.ZI_MAKS_PERMINTAAN = 1024 * 1024
    badan = Badan(5 * 1024 * 1024)
    req = RequestFactory().post("/bukti-dukung/1/unggah/", data=b"",
                                content_type="multipart/form-data; boundary=x")
    req.META["CONTENT_LENGTH"] = str(badan.n)
    req.META["wsgi.input"] = badan
    req.user = users["anggota1"]
    resp = BatasPermintaanMiddleware(lambda r: pytest.fail("the view must not run"))(req)
    assert resp.status_code == 413 and "Unggahan terlalu besar" in resp.content.decode()
    assert badan.dibaca == 0
    # through the whole stack, with a logged-in user
    c = Client()
    c.force_login(users["anggota1"])
    bd = ra.bukti_dukung.first()
    r = c.generic("POST", f"/bukti-dukung/{bd.pk}/unggah/", b"x" * (1024 * 1024 + 10),
                  content_type="multipart/form-data; boundary=zz")
    assert r.status_code == 413 and Berkas.objects.count() == 0


def test_berkas_terlalu_besar_berhenti_disimpan_saat_mengalir(ra, users, settings, client_as):
    settings.ZI_MAKS_UKURAN_MB = 1
    h = BatasBerkasHandler()
    h.request = type("R", (), {})()
    h.new_file("berkas", "besar.pdf", "application/pdf", 3 * 1024 * 1024)
    assert h.receive_data_chunk(b"x" * (512 * 1024), 0)
    with pytest.raises(SkipFile):
        h.receive_data_chunk(b"x" * (600 * 1024), 512 * 1024)
    assert h.request.zi_terlalu_besar == ["besar.pdf"]
    # end to end: the big file is skipped with a message, the small one is kept
    c = client_as("anggota1")
    big = pdf_bytes() + b"0" * (1024 * 1024 + 100)
    r = _unggah(c, ra, [berkas("besar.pdf", big), berkas("kecil.pdf", pdf_bytes("kecil"))],
                follow=True)
    html = r.content.decode()
    assert "“besar.pdf” ditolak: melebihi batas 1 MB." in html
    assert list(Berkas.objects.values_list("nama_asli", flat=True)) == ["kecil.pdf"]


@pytest.mark.parametrize("nama,isi", [
    ("halaman.html", b"<html><script>alert(1)</script></html>"),
    ("gambar.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("menyamar.pdf", b"<html><body onload=alert(1)></body></html>"),
])
def test_html_dan_svg_tidak_pernah_masuk(ra, client_as, nama, isi):
    r = _unggah(client_as("anggota1"), ra, [berkas(nama, isi)], follow=True)
    assert "ditolak" in r.content.decode()
    assert Berkas.objects.count() == 0


def test_unduhan_sebagai_lampiran_dengan_nosniff(ra, client_as):
    c = client_as("anggota1")
    _unggah(c, ra, [berkas("sk <b>tim</b>.pdf", pdf_bytes("sk"))])
    b = Berkas.objects.get()
    r = c.get(f"/berkas/{b.pk}/unduh/")
    assert r["Content-Disposition"].startswith("attachment;")
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Security-Policy"] == "default-src 'none'; sandbox"
    # the stored name comes from the server, never from the user's file name
    assert "<b>" not in b.berkas.name and ".." not in b.berkas.name
