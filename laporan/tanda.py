"""The sign-off rule every signed document shares (the semester report, evaluasi's LHE):
the NIP and the certificate checked, the password asked again with a rate limit, the
signed bytes frozen with their SHA-256, and the one lookup of the verification page."""

import hashlib

import pypdfium2
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from organisasi.forms import periksa_nip

from . import tte
from .models import DokumenTertanda

BATAS_SANDI_TANDA = "5/15m"  # wrong passwords at a sign-off, per user, whatever is signed


def periksa_penanda(nip):
    """The NIP as it will be printed (required and checked) once a certificate is there;
    ValidationError otherwise."""
    nip = periksa_nip(nip, wajib=True)
    try:
        tte.penanda()
    except tte.SertifikatTidakAda as exc:
        raise ValidationError(str(exc)) from exc
    return nip


def periksa_konfirmasi(request, *, setuju, kata_sandi):
    """The confirmation step: the box ticked and the signer's own password (at most
    BATAS_SANDI_TANDA wrong ones). An error message, or None."""
    if not setuju:
        return _("Centang pernyataan persetujuan untuk menandatangani.")

    def salah(increment):
        u = get_usage(request, group="laporan:tanda-sandi", key="user", rate=BATAS_SANDI_TANDA,
                      increment=increment)
        return u["count"] >= u["limit"]

    if salah(increment=False):
        return _("Terlalu banyak kata sandi salah. Coba lagi dalam 15 menit.")
    if not request.user.check_password(kata_sandi or ""):
        salah(increment=True)
        return _("Kata sandi salah. Masukkan kata sandi akun Anda untuk menandatangani.")
    return None


def jumlah_halaman(pdf):
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def bekukan(dok, pdf, *, user, nama, nip, saat, kode, sertifikat, nama_berkas):
    """Fill the DokumenTertanda `dok` with the signed bytes `pdf` and save it (inside the
    caller's transaction); the stored file is removed again if the row cannot be saved."""
    dok.sha256, dok.ukuran, dok.halaman = hashlib.sha256(pdf).hexdigest(), len(pdf), \
        jumlah_halaman(pdf)
    dok.kode_verifikasi, dok.ditandatangani_oleh, dok.nama_penandatangan = kode, user, nama
    dok.nip, dok.ditandatangani_pada = nip, saat
    dok.sertifikat_subjek, dok.sertifikat_seri, dok.sertifikat_lokal = (
        sertifikat.subjek, sertifikat.nomor_seri, sertifikat.lokal)
    dok.berkas.save(nama_berkas, ContentFile(pdf), save=False)
    try:
        dok.save()
    except BaseException:
        dok.berkas.storage.delete(dok.berkas.name)
        raise
    return dok


def model_tertanda():
    """Every concrete kind of signed document, whichever app defines it."""
    return [m for m in apps.get_models() if issubclass(m, DokumenTertanda)]


def cari_tertanda(*, kode=None, sha256=None):
    """The signed document (of any kind) matching a verification code or a PDF's
    SHA-256, or None."""
    if sha256 is not None:
        syarat = {"sha256": sha256}
    else:
        kode = (kode or "").strip().upper()
        if not kode or len(kode) > 20 or "\x00" in kode:  # never a code: no query
            return None
        polos = "".join(c for c in kode if c.isascii() and c.isalnum())
        if len(polos) == 10 and polos.startswith("ZI"):  # typed without its dashes
            kode = f"ZI-{polos[2:6]}-{polos[6:]}"
        syarat = {"kode_verifikasi": kode}
    for model in model_tertanda():
        hasil = (model.objects.select_related(*model.related_verifikasi)
                 .filter(**syarat).first())
        if hasil is not None:
            return hasil
    return None
