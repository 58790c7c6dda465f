"""Organisations and people: units, roles per unit, a person's own settings."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from umum.penyimpanan import storage_bukti


def nama_pengguna(user):
    """How a person is named everywhere in the UI: full name, else username."""
    if user is None:
        return ""
    return user.get_full_name() or user.username


def path_logo(instance, filename):
    """Nothing from the user on disk: the unit, a random name, the sniffed type."""
    return f"logo/{instance.pk}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class UnitKerja(models.Model):
    kode = models.SlugField(_("kode"), max_length=60, unique=True)
    nama = models.CharField(_("nama"), max_length=200)
    is_active = models.BooleanField(_("aktif"), default=True)
    halaman_publik = models.BooleanField(
        _("halaman kemajuan publik"), default=False,
        help_text=_("Bila aktif, persentase kemajuan per area dan informasi pencanangan dapat "
                    "dilihat tanpa login (tanpa nama orang, berkas atau dokumen)."))
    tanggal_pencanangan = models.DateField(_("tanggal pencanangan"), null=True, blank=True)
    keterangan_pencanangan = models.TextField(_("keterangan pencanangan"), blank=True)
    logo = models.FileField(_("logo"), storage=storage_bukti, upload_to=path_logo, max_length=200,
                            blank=True, help_text=_("PNG atau JPG untuk sampul laporan."))
    unggah_hanya_pic = models.BooleanField(
        _("anggota hanya mengunggah untuk tugasnya"), default=False,
        help_text=_("Bila aktif, Anggota Tim ZI hanya dapat mengunggah bukti untuk rencana aksi "
                    "yang menjadi tanggung jawabnya."))

    class Meta:
        db_table = "rencana_aksi_unitkerja"  # the table of the previous version, kept
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        ordering = ["nama"]

    def __str__(self):
        return self.nama


class Peran(models.TextChoices):
    ANGGOTA = "anggota", _("Anggota Tim ZI")
    SEKRETARIS = "sekretaris", _("Sekretaris Tim ZI")
    KEPALA_DINAS = "kepala_dinas", _("Kepala Dinas")
    TPI = "tpi", _("Tim Penilai Internal (TPI)")
    ADMIN = "admin", _("Admin")


class KeanggotaanQuerySet(models.QuerySet):
    def untuk_unit(self, unit):
        return self.filter(unit=unit)


class Keanggotaan(models.Model):
    """A user's role in one unit. Admin rows have no unit: they cover every unit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="keanggotaan"
    )
    unit = models.ForeignKey(
        UnitKerja, on_delete=models.CASCADE, null=True, blank=True, related_name="keanggotaan"
    )
    peran = models.CharField(_("peran"), max_length=20, choices=Peran.choices)

    objects = KeanggotaanQuerySet.as_manager()
    history = HistoricalRecords()  # who gave or took which role, and when

    class Meta:
        db_table = "rencana_aksi_keanggotaan"
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "peran"], name="keanggotaan_unik"),
            models.CheckConstraint(
                condition=Q(peran="admin") | Q(unit__isnull=False),
                name="keanggotaan_unit_wajib_kecuali_admin",
            ),
        ]

    def __str__(self):
        return f"{self.user} - {self.get_peran_display()} - {self.unit or _('semua unit')}"


class PreferensiPengguna(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="preferensi")
    terima_pengingat = models.BooleanField(_("terima pengingat lewat e-mail"), default=True)
    nip = models.CharField(_("NIP"), max_length=30, blank=True,
                           help_text=_("Nomor Induk Pegawai, dicetak pada blok tanda tangan laporan."))

    class Meta:
        db_table = "laporan_preferensipengguna"
        verbose_name = _("preferensi pengguna")
        verbose_name_plural = _("preferensi pengguna")

    def __str__(self):
        return str(self.user)
