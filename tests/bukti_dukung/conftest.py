import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from rencana_aksi.models import RencanaAksi


def pdf_bytes(text="Bukti"):
    body = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%" + text.encode() + b"\n%%EOF\n")
    return body


def png_bytes(color=(200, 30, 30)):
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(buf, "PNG")
    return buf.getvalue()


def docx_bytes():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def zip_bytes(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def berkas(name, data):
    return SimpleUploadedFile(name, data)


class Penyimpanan:
    """The evidence storage of this test run, read through the storage API: the same tests
    run on local disk and on S3-compatible object storage."""

    def __init__(self):
        from umum.penyimpanan import storage_bukti

        self.st = storage_bukti()

    def baca(self, nama):
        with self.st.open(nama, "rb") as f:
            return f.read()

    def ada(self, nama):
        return self.st.exists(nama)

    def semua(self, folder=""):
        """Every file name, walked with listdir."""
        try:
            dirs, files = self.st.listdir(folder)
        except FileNotFoundError:
            return set()
        out = {f"{folder}/{f}".lstrip("/") for f in files}
        for d in dirs:
            out |= self.semua(f"{folder}/{d}".lstrip("/"))
        return out


@pytest.fixture
def media(db):
    """Where evidence files are stored in this test run."""
    return Penyimpanan()


@pytest.fixture
def ra_feb(rk_dinsos):
    """'Pembentukan Tim Kerja ZI': one bukti dukung (SK Tim Kerja ZI), target Februari 2024."""
    return RencanaAksi.objects.milik_unit(rk_dinsos.unit).get(
        teks="Pembentukan Tim Kerja ZI dalam unit kerja")


@pytest.fixture
def sk(ra_feb):
    return ra_feb.bukti_dukung.get()
