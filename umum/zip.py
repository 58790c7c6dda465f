"""ZIP bundles streamed to the browser piece by piece, and safe names inside them."""

import io
import re
import zipfile

from django.utils import timezone

_TAK_BOLEH = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def nama_aman(text, maks=60):
    """A folder or file name from user text: no separators or control characters, short."""
    text = " ".join(_TAK_BOLEH.sub(" ", str(text)).split()).strip(" .")
    return (text[:maks].rstrip(" .") or "_")


def jalur_unik(folder, nama_asli, ekstensi, awalan, dipakai, maks=32):
    """`folder/awalan name.ext` from a file's original name, unique in `dipakai` (a set of
    lower-cased paths, updated): a second "a.pdf" becomes "a (2).pdf"."""
    base, dot, ext = nama_aman(nama_asli, maks).rpartition(".")
    stem = (base if dot else ext).strip(" .") or "berkas"
    path, n = f"{folder}/{awalan} {stem}.{ekstensi}", 2
    while path.lower() in dipakai:
        path, n = f"{folder}/{awalan} {stem} ({n}).{ekstensi}", n + 1
    dipakai.add(path.lower())
    return path


class _Penampung(io.RawIOBase):
    """A write-only stream that hands its bytes to the response as they come."""

    def __init__(self):
        self.potongan = []

    def writable(self):
        return True

    def write(self, b):
        self.potongan.append(bytes(b))
        return len(b)

    def ambil(self):
        out = b"".join(self.potongan)
        self.potongan.clear()
        return out


def zip_alir(tambahan, berkas, potongan=1024 * 1024):
    """Yield a ZIP in pieces: `tambahan` [(path, bytes)] first (indexes), then `berkas`
    [(path, file)], each file (with `.berkas`, a FileField, and `.diunggah_pada`) copied
    from storage in 1 MB chunks, never loaded whole. Stored, not compressed (PDF and
    photos already are)."""
    out = _Penampung()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        for path, data in tambahan:
            zf.writestr(path, data)
        yield out.ambil()
        for path, b in berkas:
            waktu = timezone.localtime(b.diunggah_pada).timetuple()[:6]
            info = zipfile.ZipInfo(path, date_time=waktu)
            with b.berkas.open("rb") as src, zf.open(info, "w", force_zip64=True) as dst:
                while chunk := src.read(potongan):
                    dst.write(chunk)
                    yield out.ambil()
            yield out.ambil()
    yield out.ambil()
