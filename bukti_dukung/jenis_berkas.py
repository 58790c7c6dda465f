"""What an uploaded file really is, by its content (filetype's magic numbers), and
whether evidence may be of that kind. The extension must agree with the content, so a
renamed .exe (or a .pdf that is really a ZIP) is refused."""

import zipfile
from dataclasses import dataclass

import filetype
from django.utils.translation import gettext as _

# kind -> (extensions the user's file may carry, MIME type we store and serve)
JENIS_DITERIMA = {
    "pdf": ({"pdf"}, "application/pdf"),
    "jpg": ({"jpg", "jpeg"}, "image/jpeg"),
    "png": ({"png"}, "image/png"),
    "docx": ({"docx"}, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ({"xlsx"}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ({"pptx"}, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "doc": ({"doc"}, "application/msword"),
    "xls": ({"xls"}, "application/vnd.ms-excel"),
    "ppt": ({"ppt"}, "application/vnd.ms-powerpoint"),
    "zip": ({"zip"}, "application/zip"),
}
# The legacy Office formats share one container (OLE2): the extension tells them apart.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FOTO = {"jpg", "png"}
DAFTAR_JENIS = "PDF, JPG/PNG, DOCX/XLSX/PPTX, DOC/XLS/PPT, ZIP berisi foto"


@dataclass
class JenisBerkas:
    kind: str
    mime: str

    @property
    def bisa_pratinjau(self):
        return self.kind in ("pdf", "jpg", "png")


class BerkasDitolak(ValueError):
    """The file is not acceptable evidence; the message says why, in Indonesian."""


def periksa_jenis(f, nama):
    """Sniff `f` (a file object, read from the start) and check it against its name.
    Returns JenisBerkas or raises BerkasDitolak."""
    ext = nama.rsplit(".", 1)[-1].lower() if "." in nama else ""
    f.seek(0)
    head = f.read(8192)
    f.seek(0)
    if not head:
        raise BerkasDitolak(_("berkas kosong"))
    if head.startswith(_OLE2):
        kind = ext if ext in ("doc", "xls", "ppt") else None
        if kind is None:
            raise BerkasDitolak(_("berkas Office lama hanya diterima sebagai .doc, .xls atau .ppt"))
    else:
        guess = filetype.guess(head)
        kind = guess.extension if guess else None
        if kind == "zip" and ext in ("docx", "xlsx", "pptx"):
            kind = _office_dalam_zip(f)
        if kind not in JENIS_DITERIMA or kind in ("doc", "xls", "ppt"):
            raise BerkasDitolak(
                _("isinya bukan jenis yang diterima (%(ditemukan)s); yang diterima: %(daftar)s")
                % {"ditemukan": kind.upper() if kind else _("tidak dikenal"), "daftar": DAFTAR_JENIS}
            )
    exts, mime = JENIS_DITERIMA[kind]
    if ext not in exts:
        raise BerkasDitolak(
            _("nama berkas berakhiran .%(ext)s tetapi isinya %(kind)s")
            % {"ext": ext or "(tanpa ekstensi)", "kind": kind.upper()}
        )
    if kind == "zip":
        _periksa_zip_foto(f)
    return JenisBerkas(kind=kind, mime=mime)


def _office_dalam_zip(f):
    """docx/xlsx/pptx by the folders inside the package."""
    try:
        with zipfile.ZipFile(f) as z:
            names = z.namelist()
    except zipfile.BadZipFile:
        return None
    finally:
        f.seek(0)
    for folder, kind in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
        if "[Content_Types].xml" in names and any(n.startswith(folder) for n in names):
            return kind
    return "zip"


MAKS_ANGGOTA_ZIP = 2000


def _periksa_zip_foto(f):
    """A ZIP is accepted only as a bundle of photos: every member a JPG/PNG by content
    (folders aside), at least one, no encrypted or unreadable member."""
    try:
        with zipfile.ZipFile(f) as z:
            members = [i for i in z.infolist() if not i.is_dir()]
            if not members:
                raise BerkasDitolak(_("ZIP kosong"))
            if len(members) > MAKS_ANGGOTA_ZIP:
                raise BerkasDitolak(_("ZIP berisi lebih dari %s berkas") % MAKS_ANGGOTA_ZIP)
            for info in members:
                if info.flag_bits & 0x1:
                    raise BerkasDitolak(_("ZIP berisi berkas terkunci sandi (“%s”)")
                                        % info.filename)
                with z.open(info) as m:
                    guess = filetype.guess(m.read(512))
                if not guess or guess.extension not in _FOTO:
                    raise BerkasDitolak(
                        _("ZIP hanya boleh berisi foto JPG/PNG; “%s” bukan foto") % info.filename
                    )
    except BerkasDitolak:
        raise
    except Exception as exc:  # BadZipFile, unsupported compression, corrupt data, ...
        raise BerkasDitolak(_("ZIP rusak atau tidak dapat dibaca")) from exc
    finally:
        f.seek(0)
