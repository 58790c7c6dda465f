"""The report workflow: the Sekretaris writes and submits the draft, the Kepala Dinas
returns it with a note or signs it. Signing freezes that version's PDF."""

import secrets

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from bukti_dukung.jenis_berkas import BerkasDitolak
from bukti_dukung.services import periksa_berkas
from organisasi.models import nama_pengguna
from rencana_aksi.services import KonflikVersi, simpan_dengan_versi

from . import tte
from .cetak import pdf_laporan
from .models import Laporan, LaporanTertanda, StatusLaporan
from .tanda import bekukan, periksa_penanda

BISA_DIUBAH = {StatusLaporan.DRAF, StatusLaporan.DIKEMBALIKAN, StatusLaporan.DITANDATANGANI}
MAKS_NASKAH = 10_000  # characters per narrative section
MAKS_CATATAN_ITEM = 2_000
ALFABET_KODE = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from paper


def _tersimpan(laporan):
    """The report's row, created on the first write."""
    if laporan.pk is None:
        row, _created = Laporan.objects.get_or_create(rencana_kerja=laporan.rencana_kerja,
                                                      semester=laporan.semester)
        row.rencana_kerja = laporan.rencana_kerja
        return row
    return laporan


def _status(laporan, allowed, pesan):
    if laporan.status not in allowed:
        raise KonflikVersi(pesan)


@transaction.atomic
def simpan_draf(*, laporan, versi, user, ringkasan, kendala, tindak_lanjut, tindak_lanjut_item):
    """Save the narrative. Editing a signed report starts a new draft: the signed PDF
    stays as it is and the new version needs a new sign-off."""
    for label, teks in ((_("Ringkasan"), ringkasan), (_("Kendala"), kendala),
                        (_("Tindak lanjut"), tindak_lanjut)):
        if len(teks) > MAKS_NASKAH:
            raise ValidationError(_("%(bagian)s terlalu panjang (%(n)s karakter; paling banyak "
                                    "%(maks)s).") % {"bagian": label, "n": len(teks),
                                                     "maks": MAKS_NASKAH})
    if any(len(v) > MAKS_CATATAN_ITEM for v in tindak_lanjut_item.values()):
        raise ValidationError(_("Catatan tindak lanjut per kebutuhan paling banyak %s karakter.")
                              % MAKS_CATATAN_ITEM)
    laporan = _tersimpan(laporan)
    _status(laporan, BISA_DIUBAH, _("Laporan sedang ditinjau Kepala Dinas dan tidak dapat "
                                    "diubah sampai dikembalikan."))
    item = {k: v.strip() for k, v in tindak_lanjut_item.items() if v.strip()}
    return simpan_dengan_versi(Laporan, laporan, versi, status=StatusLaporan.DRAF,
                               ringkasan=ringkasan.strip(), kendala=kendala.strip(),
                               tindak_lanjut=tindak_lanjut.strip(), tindak_lanjut_item=item,
                               diubah_oleh=user)


@transaction.atomic
def ajukan(*, laporan, versi, user):
    laporan = _tersimpan(laporan)
    _status(laporan, {StatusLaporan.DRAF, StatusLaporan.DIKEMBALIKAN},
            _("Hanya draf yang dapat diajukan ke Kepala Dinas."))
    return simpan_dengan_versi(Laporan, laporan, versi, status=StatusLaporan.DIAJUKAN,
                               diubah_oleh=user)


@transaction.atomic
def kembalikan(*, laporan, versi, user, catatan):
    if not catatan.strip():
        raise ValidationError(_("Tuliskan catatan untuk Sekretaris: apa yang perlu diperbaiki."))
    _status(laporan, {StatusLaporan.DIAJUKAN},
            _("Hanya laporan yang sedang diajukan yang dapat dikembalikan."))
    return simpan_dengan_versi(Laporan, laporan, versi, status=StatusLaporan.DIKEMBALIKAN,
                               catatan_kepala=catatan.strip(), diubah_oleh=user)


def kode_baru():
    raw = "".join(secrets.choice(ALFABET_KODE) for _ in range(8))
    return f"ZI-{raw[:4]}-{raw[4:]}"


def periksa_tandatangani(*, laporan, versi, nip):
    """Can this version be signed now? The NIP as it will be printed."""
    _status(laporan, {StatusLaporan.DIAJUKAN},
            _("Hanya laporan yang sedang diajukan yang dapat ditandatangani."))
    if laporan.versi != versi:
        raise KonflikVersi(_("Laporan sudah diubah sejak Anda membukanya. Periksa lagi sebelum "
                             "menandatangani."))
    return periksa_penanda(nip)


def tandatangani(*, laporan, versi, user, nip, url_verifikasi):
    """Render the submitted draft with the sign-off block (QR codes to the verification
    page), sign it (PAdES, laporan.tte), store those bytes with their SHA-256 and a
    verification code. `url_verifikasi(kode)`: the address printed on it."""

    nip = periksa_tandatangani(laporan=laporan, versi=versi, nip=nip)
    kode = kode_baru()
    now = timezone.now()
    nama = nama_pengguna(user)
    sertifikat = tte.sertifikat_aktif()
    rk = laporan.rencana_kerja
    # rendered and signed before the transaction: seconds of WeasyPrint must not hold locks
    pdf = pdf_laporan(rk, laporan.semester, laporan, penandatangan=nama,
                      nip=nip, ditandatangani_pada=now, kode_verifikasi=kode,
                      url_verifikasi=url_verifikasi(kode), sertifikat=sertifikat)
    pdf = tte.tandatangani_pdf(
        pdf, nama=nama, lokasi=rk.unit.nama,
        alasan=_("Laporan Zona Integritas %(semester)s %(tahun)s, kode verifikasi %(kode)s") % {
            "semester": laporan.get_semester_display(), "tahun": rk.tahun, "kode": kode})
    with transaction.atomic():
        laporan = simpan_dengan_versi(Laporan, laporan, versi,
                                      status=StatusLaporan.DITANDATANGANI, diubah_oleh=user)
        nomor = LaporanTertanda.objects.filter(laporan=laporan).count() + 1
        lt = bekukan(LaporanTertanda(laporan=laporan, nomor=nomor), pdf, user=user, nama=nama,
                     nip=nip, saat=now, kode=kode, sertifikat=sertifikat,
                     nama_berkas="laporan.pdf")
    return lt


MAKS_LOGO = 2 * 1024 * 1024
MAKS_PIKSEL_LOGO = 2000


def simpan_logo(*, unit, f):
    """The unit's logo for the report cover: a PNG or JPG by content, at most 2 MB."""

    if f.size > MAKS_LOGO:
        raise ValidationError(_("Logo terlalu besar (maks. 2 MB)."))
    try:
        jenis = periksa_berkas(f)
    except BerkasDitolak:
        jenis = None
    if jenis is None or jenis.kind not in ("png", "jpg"):
        raise ValidationError(_("Logo harus berupa gambar PNG atau JPG."))

    try:
        f.seek(0)
        with Image.open(f) as img:
            lebar, tinggi = img.size
    except Exception:  # noqa: BLE001 - any decoder error means: not a usable image
        raise ValidationError(_("Logo harus berupa gambar PNG atau JPG.")) from None
    if lebar > MAKS_PIKSEL_LOGO or tinggi > MAKS_PIKSEL_LOGO:
        raise ValidationError(_("Logo terlalu besar: %(w)s×%(h)s piksel (paling besar "
                                "%(m)s×%(m)s).") % {"w": lebar, "h": tinggi, "m": MAKS_PIKSEL_LOGO})
    lama = unit.logo.name

    f.seek(0)
    unit.logo.save(f"logo.{jenis.kind}", File(f), save=False)
    unit.save(update_fields=["logo"])
    if lama:
        unit.logo.storage.delete(lama)


def hapus_logo(*, unit):
    if unit.logo:
        lama = unit.logo.name
        unit.logo = ""
        unit.save(update_fields=["logo"])
        unit.logo.storage.delete(lama)
