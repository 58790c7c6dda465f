"""The semester ZI reports, their signed versions and background tasks."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from umum.penyimpanan import storage_bukti


class Semester(models.IntegerChoices):
    SATU = 1, _("Semester I (Juli)")
    DUA = 2, _("Semester II (Desember)")


class StatusLaporan(models.TextChoices):
    DRAF = "draf", _("Draf")
    DIAJUKAN = "diajukan", _("Diajukan ke Kepala Dinas")
    DIKEMBALIKAN = "dikembalikan", _("Dikembalikan")
    DITANDATANGANI = "ditandatangani", _("Ditandatangani")


class Laporan(models.Model):
    """The ZI report of a plan for one semester: the Sekretaris writes the narrative
    of the draft; figures and lists always come from the plan and its evidence as of
    the semester's last day (laporan.selectors.isi_laporan)."""

    rencana_kerja = models.ForeignKey("rencana_aksi.RencanaKerja", on_delete=models.PROTECT,
                                      related_name="laporan")
    semester = models.PositiveSmallIntegerField(_("semester"), choices=Semester.choices)
    status = models.CharField(_("status"), max_length=20, choices=StatusLaporan.choices,
                              default=StatusLaporan.DRAF)
    ringkasan = models.TextField(_("ringkasan"), blank=True)
    kendala = models.TextField(_("kendala"), blank=True)
    tindak_lanjut = models.TextField(_("tindak lanjut"), blank=True)
    # follow-up note per overdue requirement: {"<bukti dukung id>:<YYYY-MM>": text}
    tindak_lanjut_item = models.JSONField(_("tindak lanjut per kebutuhan"), default=dict,
                                          blank=True)
    catatan_kepala = models.TextField(_("catatan Kepala Dinas"), blank=True)
    versi = models.PositiveIntegerField(default=1, editable=False)
    diubah_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    diubah_pada = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("laporan ZI")
        verbose_name_plural = _("laporan ZI")
        constraints = [models.UniqueConstraint(fields=["rencana_kerja", "semester"],
                                               name="laporan_satu_per_semester")]

    def __str__(self):
        return f"{self.rencana_kerja} {self.get_semester_display()}"


def path_laporan(instance, filename):
    rk = instance.laporan.rencana_kerja
    return f"laporan/{rk.unit_id}/{rk.tahun}/{uuid.uuid4().hex}.pdf"


class DokumenTertanda(models.Model):
    """What every signed document keeps (the semester report, evaluasi's LHE): the PDF as
    signed, frozen (never re-rendered), its SHA-256, the code printed on it, the signer and
    the certificate. The verification page looks a code or a file up in every concrete
    subclass (laporan.tanda.cari_tertanda). A subclass adds `berkas` and `nomor`, and
    `judul_verifikasi`, what the verification page says it is."""

    sha256 = models.CharField(max_length=64, unique=True)
    ukuran = models.BigIntegerField(_("ukuran (bita)"))
    halaman = models.PositiveIntegerField(_("jumlah halaman"), default=0)
    kode_verifikasi = models.CharField(_("kode verifikasi"), max_length=20, unique=True)
    ditandatangani_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                            related_name="+")
    nama_penandatangan = models.CharField(_("nama penandatangan"), max_length=200)
    nip = models.CharField(_("NIP"), max_length=30, blank=True)
    ditandatangani_pada = models.DateTimeField(_("ditandatangani pada"))
    # the certificate of the PDF's digital signature (laporan.tte); empty before PAdES
    sertifikat_subjek = models.CharField(_("sertifikat"), max_length=500, blank=True)
    sertifikat_seri = models.CharField(_("nomor seri sertifikat"), max_length=100, blank=True)
    sertifikat_lokal = models.BooleanField(
        _("sertifikat uji lokal"), default=False,
        help_text=_("Ditandatangani dengan sertifikat uji lokal, bukan sertifikat elektronik "
                    "tersertifikasi."))

    # the query the verification page looks codes and hashes up in
    related_verifikasi = ()

    class Meta:
        abstract = True


class LaporanTertanda(DokumenTertanda):
    """A signed version of a report."""

    laporan = models.ForeignKey(Laporan, on_delete=models.PROTECT, related_name="tertanda")
    nomor = models.PositiveIntegerField(_("versi"))
    berkas = models.FileField(storage=storage_bukti, upload_to=path_laporan, max_length=200)

    related_verifikasi = ("laporan__rencana_kerja__unit",)

    class Meta:
        verbose_name = _("laporan ZI bertanda tangan")
        verbose_name_plural = _("laporan ZI bertanda tangan")
        ordering = ["laporan", "-nomor"]
        constraints = [models.UniqueConstraint(fields=["laporan", "nomor"],
                                               name="laporan_tertanda_versi_unik")]

    def __str__(self):
        return f"{self.laporan} v{self.nomor}"

    @property
    def judul_verifikasi(self):
        lap = self.laporan
        return _("%(u)s · %(s)s %(t)s · versi %(n)s") % {
            "s": lap.get_semester_display(), "t": lap.rencana_kerja.tahun,
            "u": lap.rencana_kerja.unit.nama, "n": self.nomor}


class JenisProses(models.TextChoices):
    PDF_DRAF = "pdf_draf", _("PDF draf laporan")
    TANDATANGANI = "tandatangani", _("Penandatanganan laporan")
    BUNDEL_BUKTI = "bundel_bukti", _("ZIP semua bukti disetujui")


class StatusProses(models.TextChoices):
    ANTRE = "antre", _("Dalam antrean")
    BERJALAN = "berjalan", _("Sedang diproses")
    SELESAI = "selesai", _("Selesai")
    GAGAL = "gagal", _("Gagal")


def path_proses(instance, filename):
    ext = filename.rpartition(".")[2]
    return f"proses/{instance.rencana_kerja.unit_id}/{instance.pk.hex}.{ext}"


class Proses(models.Model):
    """Long work run by the background worker (laporan.proses): what was asked, by whom,
    its state as the user watches it, and the file it produced."""

    AKTIF = (StatusProses.ANTRE, StatusProses.BERJALAN)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    jenis = models.CharField(_("jenis"), max_length=20, choices=JenisProses.choices)
    status = models.CharField(_("status"), max_length=10, choices=StatusProses.choices,
                              default=StatusProses.ANTRE)
    rencana_kerja = models.ForeignKey("rencana_aksi.RencanaKerja", on_delete=models.CASCADE,
                                      related_name="+")
    semester = models.PositiveSmallIntegerField(_("semester"), choices=Semester.choices,
                                                null=True, blank=True)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    parameter = models.JSONField(default=dict, blank=True)
    hasil = models.JSONField(default=dict, blank=True)
    pesan = models.TextField(_("pesan"), blank=True)
    berkas = models.FileField(storage=storage_bukti, upload_to=path_proses, max_length=200,
                              blank=True)
    nama_berkas = models.CharField(max_length=200, blank=True)
    ukuran = models.BigIntegerField(_("ukuran (bita)"), null=True, blank=True)
    id_antrean = models.CharField(max_length=64, blank=True, editable=False)
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True, db_index=True)
    mulai_pada = models.DateTimeField(_("mulai"), null=True, blank=True)
    selesai_pada = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("proses latar")
        verbose_name_plural = _("proses latar")
        ordering = ["-dibuat_pada"]
        indexes = [models.Index(fields=["rencana_kerja", "jenis", "status"],
                                name="proses_rk_jenis_status")]

    def __str__(self):
        return f"{self.get_jenis_display()} {self.rencana_kerja} ({self.get_status_display()})"

    @property
    def aktif(self):
        return self.status in self.AKTIF
