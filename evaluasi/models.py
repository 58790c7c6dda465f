"""The TPI's evaluation round of a year: its four windows, the units taking part, the TPI
assigned to each, per-unit window extensions, and the frozen copy of each unit's
self-assessment. When a window is open is decided only in `evaluasi/jendela.py`."""

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from laporan.models import DokumenTertanda
from lke.models import SoalLke
from organisasi.models import UnitKerja
from rencana_aksi.models import Area
from umum.penyimpanan import storage_bukti


class Langkah(models.TextChoices):
    """The steps of a round, in order; each has a window (inclusive days)."""

    MANDIRI = "mandiri", _("Penilaian mandiri unit")
    EVALUASI = "evaluasi", _("Evaluasi TPI")
    PERBAIKAN = "perbaikan", _("Perbaikan unit")
    PEMERIKSAAN = "pemeriksaan", _("Pemeriksaan akhir TPI")


class PutaranEvaluasi(models.Model):
    tahun = models.PositiveSmallIntegerField(
        _("tahun"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    nama = models.CharField(_("nama"), max_length=200)
    mandiri_mulai = models.DateField(_("penilaian mandiri mulai"))
    mandiri_selesai = models.DateField(_("penilaian mandiri selesai"))
    evaluasi_mulai = models.DateField(_("evaluasi TPI mulai"))
    evaluasi_selesai = models.DateField(_("evaluasi TPI selesai"))
    perbaikan_mulai = models.DateField(_("perbaikan unit mulai"))
    perbaikan_selesai = models.DateField(_("perbaikan unit selesai"))
    pemeriksaan_mulai = models.DateField(_("pemeriksaan akhir TPI mulai"))
    pemeriksaan_selesai = models.DateField(_("pemeriksaan akhir TPI selesai"))
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("putaran evaluasi")
        verbose_name_plural = _("putaran evaluasi")
        ordering = ["-tahun"]

    def __str__(self):
        return f"{self.nama} ({self.tahun})"

    def jendela(self, langkah):
        """(mulai, selesai) of a step for the whole round, without extensions."""
        return getattr(self, f"{langkah}_mulai"), getattr(self, f"{langkah}_selesai")

    def batas_tanggal(self):
        """The days a window (or an extension) may fall on: from the year before the
        round's to three years after (a late evaluation), nothing absurd."""
        return date(self.tahun - 1, 1, 1), date(self.tahun + 3, 12, 31)

    def pesan_batas(self):
        awal, akhir = self.batas_tanggal()
        return _("Tanggal harus antara %(a)s dan %(b)s.") % {"a": awal.strftime("%d-%m-%Y"),
                                                "b": akhir.strftime("%d-%m-%Y")}

    def clean(self):
        errors = {}
        sebelum = None
        tahun_sah = isinstance(self.tahun, int) and 2000 <= self.tahun <= 2100
        for langkah in Langkah:
            mulai, selesai = self.jendela(langkah)
            if mulai is None or selesai is None:
                continue
            if tahun_sah:
                awal, akhir = self.batas_tanggal()
                luar = [f for f, d in ((f"{langkah}_mulai", mulai), (f"{langkah}_selesai", selesai))
                        if not awal <= d <= akhir]
                if luar:
                    errors.update({f: self.pesan_batas() for f in luar})
                    continue
            if selesai < mulai:
                errors[f"{langkah}_selesai"] = _("Tanggal selesai %(l)s sebelum tanggal "
                                                 "mulainya.") % {"l": langkah.label}
            elif sebelum and mulai < sebelum[1]:
                errors[f"{langkah}_mulai"] = _("%(l)s tidak boleh mulai sebelum %(s)s "
                                               "mulai.") % {"l": langkah.label, "s": sebelum[0]}
            sebelum = (langkah.label, mulai)
        if errors:
            raise ValidationError(errors)


class PesertaEvaluasi(models.Model):
    """A unit in a round. `diajukan_pada` is when its Sekretaris submitted the
    self-assessment (and the frozen copy was made)."""

    putaran = models.ForeignKey(PutaranEvaluasi, on_delete=models.CASCADE,
                                related_name="peserta")
    unit = models.ForeignKey(UnitKerja, on_delete=models.PROTECT, related_name="evaluasi")
    diajukan_pada = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    diajukan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("peserta evaluasi")
        verbose_name_plural = _("peserta evaluasi")
        ordering = ["putaran", "unit__nama"]
        constraints = [models.UniqueConstraint(fields=["putaran", "unit"],
                                               name="peserta_evaluasi_unik")]

    def __str__(self):
        return f"{self.unit} {self.putaran.tahun}"

    @property
    def diajukan(self):
        return self.diajukan_pada is not None


class PenugasanTPI(models.Model):
    """A TPI evaluator assigned to a unit of a round; one of them leads (ketua)."""

    peserta = models.ForeignKey(PesertaEvaluasi, on_delete=models.CASCADE,
                                related_name="penugasan")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="penugasan_tpi", verbose_name=_("TPI"))
    ketua = models.BooleanField(_("ketua"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("penugasan TPI")
        verbose_name_plural = _("penugasan TPI")
        ordering = ["-ketua", "user__first_name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["peserta", "user"], name="penugasan_tpi_unik"),
            models.UniqueConstraint(fields=["peserta"], condition=Q(ketua=True),
                                    name="penugasan_tpi_satu_ketua"),
        ]

    def __str__(self):
        return f"{self.user} → {self.peserta}"


class PeranDariPenugasan(models.Model):
    """A TPI role in a unit that an assignment granted (not the Admin): it goes again when
    the user is no longer assigned to the unit in any round (services._cabut_peran_tpi)."""

    keanggotaan = models.OneToOneField("organisasi.Keanggotaan", on_delete=models.CASCADE,
                                       related_name="+")
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("peran TPI dari penugasan")
        verbose_name_plural = _("peran TPI dari penugasan")

    def __str__(self):
        return str(self.keanggotaan_id)


class PerpanjanganJendela(models.Model):
    """The Admin moves the end of one step's window for one unit (history logs each
    change)."""

    peserta = models.ForeignKey(PesertaEvaluasi, on_delete=models.CASCADE,
                                related_name="perpanjangan")
    langkah = models.CharField(_("langkah"), max_length=12, choices=Langkah.choices)
    selesai = models.DateField(_("selesai baru"))
    alasan = models.TextField(_("alasan"))
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    dibuat_pada = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("perpanjangan jendela")
        verbose_name_plural = _("perpanjangan jendela")
        constraints = [models.UniqueConstraint(fields=["peserta", "langkah"],
                                               name="perpanjangan_jendela_unik")]

    def __str__(self):
        return f"{self.peserta} {self.langkah} → {self.selesai}"


class SalinanJawaban(models.Model):
    """The unit's answer to one question as it stood when the self-assessment was
    submitted: what the TPI reads. Refreshed only for a sent-back question, when the unit
    marks it fixed (services.tandai_diperbaiki)."""

    peserta = models.ForeignKey(PesertaEvaluasi, on_delete=models.CASCADE,
                                related_name="salinan")
    soal = models.ForeignKey(SoalLke, on_delete=models.PROTECT, related_name="+")
    jawaban = models.CharField(_("jawaban unit"), max_length=20, blank=True)
    catatan = models.TextField(_("catatan unit"), blank=True)
    diisi_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    diisi_pada = models.DateTimeField(null=True, blank=True)
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("salinan jawaban")
        verbose_name_plural = _("salinan jawaban")
        constraints = [models.UniqueConstraint(fields=["peserta", "soal"],
                                               name="salinan_jawaban_unik")]

    def __str__(self):
        return f"{self.peserta} {self.soal_id}"


class StatusPengembalian(models.TextChoices):
    DIKEMBALIKAN = "dikembalikan", _("dikembalikan ke unit")
    DIPERBAIKI = "diperbaiki", _("sudah diperbaiki unit")
    DITUTUP = "ditutup", _("ditutup TPI")
    DIKEMBALIKAN_LAGI = "dikembalikan_lagi", _("dikembalikan lagi")


TERBUKA = [StatusPengembalian.DIKEMBALIKAN, StatusPengembalian.DIPERBAIKI]


class PengembalianQuerySet(models.QuerySet):
    def terbuka(self):
        """Not closed: waiting for the unit's fix or for the TPI's check."""
        return self.filter(status__in=TERBUKA)


class Pengembalian(models.Model):
    """One round (`ke`) of a question the TPI sent back to the unit: sent back with a
    reason, marked fixed by the unit with a note, then closed or sent back again by the
    TPI. Sending it back again ends this row (DIKEMBALIKAN_LAGI) and opens row `ke` + 1;
    a question has at most one open row."""

    peserta = models.ForeignKey(PesertaEvaluasi, on_delete=models.CASCADE,
                                related_name="pengembalian")
    soal = models.ForeignKey(SoalLke, on_delete=models.PROTECT, related_name="+")
    ke = models.PositiveSmallIntegerField(_("putaran ke"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=StatusPengembalian.choices,
                              default=StatusPengembalian.DIKEMBALIKAN)
    alasan = models.TextField(_("alasan"))
    dikembalikan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                          null=True, blank=True, related_name="+")
    dikembalikan_pada = models.DateTimeField(_("dikembalikan pada"))
    catatan_perbaikan = models.TextField(_("catatan perbaikan"), blank=True)
    diperbaiki_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                        null=True, blank=True, related_name="+")
    diperbaiki_pada = models.DateTimeField(_("diperbaiki pada"), null=True, blank=True)
    # the TPI's final check: closed, or sent back again
    diperiksa_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                       null=True, blank=True, related_name="+")
    diperiksa_pada = models.DateTimeField(_("diperiksa pada"), null=True, blank=True)
    history = HistoricalRecords()

    objects = PengembalianQuerySet.as_manager()

    class Meta:
        verbose_name = _("soal dikembalikan")
        verbose_name_plural = _("soal dikembalikan")
        ordering = ["peserta", "soal__komponen__area__urutan", "soal__komponen__nomor",
                    "soal__urutan", "ke"]
        constraints = [
            models.UniqueConstraint(fields=["peserta", "soal", "ke"],
                                    name="pengembalian_unik"),
            models.UniqueConstraint(fields=["peserta", "soal"],
                                    condition=Q(status__in=TERBUKA),
                                    name="pengembalian_satu_terbuka"),
        ]

    def __str__(self):
        return f"{self.peserta} {self.soal_id} #{self.ke}"

    @property
    def terbuka(self):
        return self.status in TERBUKA


MAKS_CATATAN_LHE = 5_000  # characters per note or recommendation


class CatatanArea(models.Model):
    """The ketua TPI's note and recommendation on one area of change of a unit in the
    round: the LHE prints them under the area's score."""

    peserta = models.ForeignKey(PesertaEvaluasi, on_delete=models.CASCADE,
                                related_name="catatan_area")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    catatan = models.TextField(_("catatan TPI"), blank=True)
    rekomendasi = models.TextField(_("rekomendasi"), blank=True)
    diubah_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    diubah_pada = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("catatan area")
        verbose_name_plural = _("catatan area")
        constraints = [models.UniqueConstraint(fields=["peserta", "area"],
                                               name="catatan_area_unik")]

    def __str__(self):
        return f"{self.peserta} {self.area_id}"


class TemplatCatatanQuerySet(models.QuerySet):
    def untuk(self, user):
        """The user's own snippets and those shared with every TPI."""
        return self.filter(Q(pemilik=user) | Q(dibagikan=True))


class TemplatCatatan(models.Model):
    """A reusable text the TPI inserts into an LHE note: its owner's, or shared."""

    judul = models.CharField(_("judul"), max_length=100)
    teks = models.TextField(_("teks"))
    pemilik = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="templat_catatan")
    dibagikan = models.BooleanField(_("dibagikan ke semua TPI"), default=False)
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = TemplatCatatanQuerySet.as_manager()

    class Meta:
        verbose_name = _("templat catatan")
        verbose_name_plural = _("templat catatan")
        ordering = ["judul", "pk"]

    def __str__(self):
        return self.judul


def path_lhe(instance, filename):
    p = instance.peserta
    return f"lhe/{p.unit_id}/{p.putaran.tahun}/{uuid.uuid4().hex}.pdf"


class LheTertanda(DokumenTertanda):
    """A signed version of a unit's Laporan Hasil Evaluasi: the PDF as the ketua TPI
    signed it, frozen, verified on the same page as the semester report."""

    peserta = models.ForeignKey(PesertaEvaluasi, on_delete=models.PROTECT,
                                related_name="lhe_tertanda")
    nomor = models.PositiveIntegerField(_("versi"))
    berkas = models.FileField(storage=storage_bukti, upload_to=path_lhe, max_length=200)
    history = HistoricalRecords()

    related_verifikasi = ("peserta__unit", "peserta__putaran")

    class Meta:
        verbose_name = _("LHE bertanda tangan")
        verbose_name_plural = _("LHE bertanda tangan")
        ordering = ["peserta", "-nomor"]
        constraints = [models.UniqueConstraint(fields=["peserta", "nomor"],
                                               name="lhe_tertanda_versi_unik")]

    def __str__(self):
        return f"LHE {self.peserta} v{self.nomor}"

    @property
    def judul_verifikasi(self):
        return _("Laporan Hasil Evaluasi %(t)s · %(u)s · versi %(n)s") % {
            "t": self.peserta.putaran.tahun, "u": self.peserta.unit.nama, "n": self.nomor}
