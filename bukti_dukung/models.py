"""Evidence: a requirement instance (bukti dukung x target month, or one occurrence of an
event-driven target) goes through submitted -> approved / needs revision -> resubmitted;
its files are kept per round (putaran), old rounds stay visible."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rencana_aksi.models import BuktiDukung
from umum.penyimpanan import storage_bukti


def path_berkas(instance, filename):
    """Nothing from the user on disk: unit id, year, a random name, the sniffed type."""
    rk = instance.pengajuan.bukti_dukung.rencana_aksi.indikator.komponen.area_rencana.rencana_kerja
    return f"{rk.unit_id}/{rk.tahun}/{uuid.uuid4().hex}.{instance.ekstensi}"


class Status(models.TextChoices):
    DIAJUKAN = "diajukan", _("Menunggu tinjauan")
    PERLU_PERBAIKAN = "perlu_perbaikan", _("Perlu perbaikan")
    DISETUJUI = "disetujui", _("Disetujui")


class PengajuanQuerySet(models.QuerySet):
    def milik_unit(self, unit):
        return self.filter(
            bukti_dukung__rencana_aksi__indikator__komponen__area_rencana__rencana_kerja__unit=unit)


class Pengajuan(models.Model):
    bukti_dukung = models.ForeignKey(BuktiDukung, on_delete=models.PROTECT,
                                     related_name="pengajuan", verbose_name=_("bukti dukung"))
    bulan = models.DateField(_("bulan target"), null=True, blank=True)
    tanggal_kejadian = models.DateField(_("tanggal kejadian"), null=True, blank=True)
    uraian_kejadian = models.CharField(_("uraian kejadian"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.DIAJUKAN)
    putaran = models.PositiveIntegerField(_("versi unggahan"), default=1)
    komentar = models.TextField(_("komentar peninjau"), blank=True)
    ditinjau_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="+",
                                      verbose_name=_("ditinjau oleh"))
    ditinjau_pada = models.DateTimeField(_("ditinjau pada"), null=True, blank=True)
    diajukan_pada = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    versi = models.PositiveIntegerField(default=1, editable=False)
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    objects = PengajuanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pengajuan bukti dukung")
        verbose_name_plural = _("pengajuan bukti dukung")
        constraints = [
            models.UniqueConstraint(fields=["bukti_dukung", "bulan"], condition=Q(bulan__isnull=False),
                                    name="pengajuan_satu_per_bulan"),
            models.CheckConstraint(condition=Q(bulan__isnull=False) | Q(tanggal_kejadian__isnull=False),
                                   name="pengajuan_bulan_atau_kejadian"),
        ]
        indexes = [models.Index(fields=["status", "diajukan_pada"])]

    def __str__(self):
        return f"{self.bukti_dukung} ({self.bulan or self.tanggal_kejadian})"

    @property
    def waktu_label(self):
        """The month (2024-03) or the occurrence's date (2024-03-15), as in file names."""
        return f"{self.bulan:%Y-%m}" if self.bulan else f"{self.tanggal_kejadian:%Y-%m-%d}"

    def bisa_diunggah(self):
        return self.status != Status.DISETUJUI


class BerkasQuerySet(models.QuerySet):
    def aktif(self):
        return self.filter(dihapus_pada__isnull=True)


class Berkas(models.Model):
    pengajuan = models.ForeignKey(Pengajuan, on_delete=models.PROTECT, related_name="berkas")
    putaran = models.PositiveIntegerField(_("versi unggahan"))
    berkas = models.FileField(storage=storage_bukti, upload_to=path_berkas, max_length=200)
    nama_asli = models.CharField(_("nama berkas"), max_length=255)
    ekstensi = models.CharField(max_length=10)
    mime = models.CharField(max_length=120)
    ukuran = models.BigIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField(max_length=64, db_index=True)
    catatan = models.TextField(_("catatan"), blank=True)
    diunggah_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("diunggah oleh"))
    diunggah_pada = models.DateTimeField(_("diunggah pada"), auto_now_add=True)
    dihapus_pada = models.DateTimeField(null=True, blank=True)
    dihapus_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    alasan_hapus = models.TextField(blank=True)

    objects = BerkasQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("berkas bukti")
        verbose_name_plural = _("berkas bukti")
        ordering = ["-putaran", "diunggah_pada"]

    def __str__(self):
        return self.nama_asli

    @property
    def bisa_pratinjau(self):
        return self.mime in ("application/pdf", "image/jpeg", "image/png")


class BerkasDibuka(models.Model):
    """A TPI member opened (downloaded or previewed) an evidence file: what the evaluator
    looked at, shown beside its scores (evaluasi's side-by-side page)."""

    berkas = models.ForeignKey(Berkas, on_delete=models.CASCADE, related_name="dibuka")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    pertama_pada = models.DateTimeField(_("pertama dibuka"), auto_now_add=True)
    terakhir_pada = models.DateTimeField(_("terakhir dibuka"), auto_now=True)
    kali = models.PositiveIntegerField(_("berapa kali"), default=1)

    class Meta:
        verbose_name = _("berkas dibuka TPI")
        verbose_name_plural = _("berkas dibuka TPI")
        constraints = [models.UniqueConstraint(fields=["berkas", "user"],
                                               name="berkas_dibuka_sekali_per_pengguna")]

    def __str__(self):
        return f"{self.berkas} · {self.user}"


class NilaiIsian(models.Model):
    """The number filled in for a numeric sub-row of the plan (one per isian: the plan is
    already one unit and one year)."""

    isian = models.OneToOneField("rencana_aksi.Isian", on_delete=models.CASCADE,
                                 related_name="nilai")
    nilai = models.DecimalField(_("nilai"), max_digits=12, decimal_places=2, null=True,
                                blank=True)
    diisi_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    diisi_pada = models.DateTimeField(auto_now=True)
    versi = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nilai isian")
        verbose_name_plural = _("nilai isian")
        constraints = [models.CheckConstraint(condition=Q(nilai__gte=0) | Q(nilai__isnull=True),
                                              name="nilai_isian_tidak_negatif")]

    def __str__(self):
        return f"{self.isian}: {self.nilai}"
