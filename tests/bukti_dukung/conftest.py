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


@pytest.fixture
def media(settings):
    """Where evidence files are stored in this test run."""
    from pathlib import Path

    return Path(settings.STORAGES["bukti"]["OPTIONS"]["location"])


@pytest.fixture
def ra_feb(rk_dinsos):
    """'Pembentukan Tim Kerja ZI': one bukti dukung (SK Tim Kerja ZI), target Februari 2024."""
    return RencanaAksi.objects.milik_unit(rk_dinsos.unit).get(
        teks="Pembentukan Tim Kerja ZI dalam unit kerja")


@pytest.fixture
def sk(ra_feb):
    return ra_feb.bukti_dukung.get()
