"""The unit's logo on the report cover: PNG/JPG by content only, 2 MB at most."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from laporan.cetak import html_laporan
from organisasi.models import UnitKerja
from tests.bukti_dukung.conftest import pdf_bytes

URL = reverse("laporan:atur_logo", args=["dinkes-mojokerto", 2024])


def _png():
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (25, 135, 84)).save(out, "PNG")
    return out.getvalue()


def _c(users, name):
    c = Client()
    c.force_login(users[name])
    return c


def test_logo_goes_on_the_cover(rk_dinkes, users):
    c = _c(users, "sekretaris2")
    r = c.post(URL, {"logo": SimpleUploadedFile("logo.png", _png())}, follow=True)
    assert "Logo disimpan" in r.content.decode()
    unit = UnitKerja.objects.get(kode="dinkes-mojokerto")
    assert unit.logo.name.endswith(".png") and "logo.png" not in unit.logo.name
    rk_dinkes.unit.refresh_from_db()
    assert 'class="logo" src="data:image/png;base64,' in html_laporan(rk_dinkes, 1)
    assert c.get(reverse("laporan:logo", args=["dinkes-mojokerto", 2024])).status_code == 200
    c.post(URL, {"hapus": "1"})
    unit.refresh_from_db()
    rk_dinkes.unit.refresh_from_db()
    assert not unit.logo and 'class="logo"' not in html_laporan(rk_dinkes, 1)


def test_bad_logos_are_refused_in_indonesian(rk_dinkes, users):
    c = _c(users, "sekretaris2")
    r = c.post(URL, {"logo": SimpleUploadedFile("logo.png", pdf_bytes("x"))}, follow=True)
    assert "Logo harus berupa gambar PNG atau JPG." in r.content.decode()  # a PDF named .png
    r = c.post(URL, {"logo": SimpleUploadedFile("logo.pdf", pdf_bytes("x"))}, follow=True)
    assert "Logo harus berupa gambar PNG atau JPG." in r.content.decode()
    big = SimpleUploadedFile("logo.png", _png() + b"\0" * (2 * 1024 * 1024))
    r = c.post(URL, {"logo": big}, follow=True)
    assert "Logo terlalu besar" in r.content.decode()
    assert not UnitKerja.objects.get(kode="dinkes-mojokerto").logo
    assert _c(users, "anggota3").post(URL, {"logo": SimpleUploadedFile("l.png", _png())}
                                      ).status_code == 403
    assert _c(users, "sekretaris").post(URL).status_code == 404  # another unit


def test_huge_images_are_refused(rk_dinkes, users):
    out = io.BytesIO()
    Image.new("1", (6000, 50)).save(out, "PNG")  # tiny file, too many pixels
    r = _c(users, "sekretaris2").post(URL, {"logo": SimpleUploadedFile("l.png", out.getvalue())},
                                      follow=True)
    assert "Logo terlalu besar: 6000×50 piksel" in r.content.decode()
    assert not UnitKerja.objects.get(kode="dinkes-mojokerto").logo
