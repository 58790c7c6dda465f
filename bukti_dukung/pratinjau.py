"""A PNG preview of evidence (first page of a PDF, or the image itself, re-encoded), so
reviewers see it in the page without downloading. Previews are cached in the evidence
storage by the file's SHA-256."""

import io

import pypdfium2 as pdfium
from django.core.files.base import ContentFile
from PIL import Image

LEBAR_MAKS = 1000
MAKS_PIKSEL = 40_000_000  # larger images are not decoded (decompression bombs)


def _png(img):
    img.thumbnail((LEBAR_MAKS, LEBAR_MAKS * 2))
    if img.mode not in ("RGB", "L"):
        img = img.convert("RGB")
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()


def buat_pratinjau(berkas):
    """PNG bytes, or None when the file cannot be previewed (or is broken)."""
    storage = berkas.berkas.storage
    cache = f"pratinjau/{berkas.sha256}.png"
    if storage.exists(cache):
        with storage.open(cache, "rb") as f:
            return f.read()
    try:
        with berkas.berkas.open("rb") as f:
            data = f.read()
        if berkas.mime == "application/pdf":
            pdf = pdfium.PdfDocument(data)
            try:
                page = pdf[0]
                # scale on the longer side: a thin, very tall page stays small too
                scale = min(2.0, LEBAR_MAKS * 2 / max(page.get_width(), page.get_height(), 1))
                png = _png(page.render(scale=scale).to_pil())
            finally:
                pdf.close()
        elif berkas.mime in ("image/jpeg", "image/png"):
            img = Image.open(io.BytesIO(data))
            if img.size[0] * img.size[1] > MAKS_PIKSEL:
                return None
            png = _png(img)
        else:
            return None
    except Exception:  # a damaged file has no preview; the download still works
        return None
    storage.save(cache, ContentFile(png))
    return png
