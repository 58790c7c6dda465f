"""The LKE (Lembar Kerja Evaluasi) of a year as data: parts, areas, komponen with weights,
questions with their answer type, value maps and predicate thresholds; the units' and the
TPI's answers; PortalRB proposals and API tokens. Scoring lives in `lke/skor.py`."""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rencana_aksi.models import Area, Indikator, UnitKerja


class LembarKerja(models.Model):
    tahun = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    nama = models.CharField(_("nama"), max_length=200)
    catatan = models.TextField(_("catatan"), blank=True)
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("LKE")
        verbose_name_plural = _("LKE")
        ordering = ["-tahun"]

    def __str__(self):
        return f"{self.nama} {self.tahun}"


class Aturan(models.TextChoices):
    PILIHAN = "pilihan", _("Pilihan (nilai per jawaban)")
    JUMLAH = "jumlah", _("Jumlah: realisasi / target, paling tinggi 1")
    PERSENTASE = "persentase", _("Persentase: nilai / 100")
    SURVEI = "survei", _("Survei: indeks / skala")


class JenisJawaban(models.Model):
    """An answer type and its value map, e.g. A/B/C: {"A": "1", "B": "0.5", "C": "0"}."""

    lke = models.ForeignKey(LembarKerja, on_delete=models.CASCADE, related_name="jenis_jawaban")
    kode = models.SlugField(_("kode"), max_length=20)
    nama = models.CharField(_("nama"), max_length=60)
    aturan = models.CharField(_("aturan"), max_length=12, choices=Aturan.choices)
    nilai = models.JSONField(
        _("peta nilai"), default=dict, blank=True,
        help_text=_('Pilihan: {"Ya": "1", "Tidak": "0"}; survei: {"skala": "4"}.'))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jenis jawaban")
        verbose_name_plural = _("jenis jawaban")
        constraints = [models.UniqueConstraint(fields=["lke", "kode"], name="jenis_jawaban_unik")]

    def __str__(self):
        return f"{self.nama} ({self.lke.tahun})" if self.lke_id else self.nama

    def clean(self):
        from decimal import Decimal, InvalidOperation

        if not isinstance(self.nilai, dict):
            raise ValidationError({"nilai": _("Peta nilai harus berupa objek JSON.")})
        if self.aturan == Aturan.PILIHAN and not self.nilai:
            raise ValidationError({"nilai": _("Jenis pilihan perlu sedikitnya satu jawaban.")})
        for k, v in self.nilai.items():
            try:
                d = Decimal(str(v))
            except InvalidOperation:
                raise ValidationError({"nilai": _("Nilai “%(k)s” bukan angka.") % {"k": k}}) from None
            if self.aturan == Aturan.PILIHAN and not 0 <= d <= 1:
                raise ValidationError({"nilai": _("Nilai jawaban harus antara 0 dan 1.")})
            if self.aturan == Aturan.SURVEI and k == "skala" and d <= 0:
                raise ValidationError({"nilai": _("Skala survei harus lebih dari 0.")})


class BagianLke(models.TextChoices):
    PEMENUHAN = "pemenuhan", _("Pemenuhan")
    REFORM = "reform", _("Reform")
    HASIL = "hasil", _("Hasil")


class AreaLke(models.Model):
    """An area of a part, e.g. Pemenuhan / I Manajemen Perubahan (bobot 4), or Hasil /
    Birokrasi yang bersih dan akuntabel (22.5)."""

    lke = models.ForeignKey(LembarKerja, on_delete=models.CASCADE, related_name="areas")
    bagian = models.CharField(_("bagian"), max_length=10, choices=BagianLke.choices)
    kode = models.CharField(_("kode"), max_length=10)  # A.I, B.VI, C.1
    nama = models.CharField(_("nama"), max_length=200)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True,
                             verbose_name=_("area perubahan"),
                             help_text=_("Untuk Pemenuhan dan Reform: area perubahan (I-VI)."))
    bobot = models.DecimalField(_("bobot"), max_digits=6, decimal_places=2)
    urutan = models.PositiveSmallIntegerField(_("urutan"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("area LKE")
        verbose_name_plural = _("area LKE")
        ordering = ["lke", "urutan"]
        constraints = [models.UniqueConstraint(fields=["lke", "kode"], name="area_lke_unik")]

    def __str__(self):
        return f"{self.kode} {self.nama}"

    def clean(self):
        if self.bagian != BagianLke.HASIL and not self.area_id:
            raise ValidationError({"area": _("Area Pemenuhan/Reform perlu area perubahan.")})


class KomponenLke(models.Model):
    area = models.ForeignKey(AreaLke, on_delete=models.CASCADE, related_name="komponen")
    kode = models.CharField(_("kode"), max_length=14)  # A.I.1
    nomor = models.PositiveSmallIntegerField(_("nomor"))
    nama = models.CharField(_("nama"), max_length=300)
    bobot = models.DecimalField(_("bobot"), max_digits=6, decimal_places=2)
    bobot_perkiraan = models.BooleanField(
        _("bobot perkiraan"), default=False,
        help_text=_("Bobot belum dari sumber resmi: bobot area dibagi rata. Periksa dan ubah."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("komponen LKE")
        verbose_name_plural = _("komponen LKE")
        ordering = ["area__urutan", "nomor"]
        constraints = [models.UniqueConstraint(fields=["area", "nomor"], name="komponen_lke_unik")]

    def __str__(self):
        return f"{self.kode} {self.nama}"


class SoalLke(models.Model):
    """An LKE question. Its PortalRB master id (`soal_id`) is what PortalRB matches on."""

    komponen = models.ForeignKey(KomponenLke, on_delete=models.CASCADE, related_name="soal")
    kode = models.CharField(_("kode"), max_length=20)  # A.I.1.1
    urutan = models.PositiveSmallIntegerField(_("urutan"))
    teks = models.TextField(_("pertanyaan"))
    jenis = models.ForeignKey(JenisJawaban, on_delete=models.PROTECT, related_name="soal",
                              verbose_name=_("jenis jawaban"))
    petunjuk = models.TextField(_("petunjuk jawaban"), blank=True)
    soal_id = models.CharField(_("soal_id PortalRB"), max_length=40, blank=True, db_index=True)
    indikator = models.ManyToManyField(Indikator, through="TautanSoal", related_name="soal_lke",
                                       blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("soal LKE")
        verbose_name_plural = _("soal LKE")
        ordering = ["komponen__area__urutan", "komponen__nomor", "urutan"]
        constraints = [models.UniqueConstraint(fields=["komponen", "urutan"], name="soal_lke_unik")]

    def __str__(self):
        return f"{self.kode} {self.teks[:80]}"

    def clean(self):
        if self.jenis_id and self.komponen_id and self.jenis.lke_id != self.komponen.area.lke_id:
            raise ValidationError({"jenis": _("Jenis jawaban harus dari LKE tahun yang sama.")})
        sid = self.soal_id.strip()
        if sid and self.komponen_id and SoalLke.objects.filter(
                komponen__area__lke_id=self.komponen.area.lke_id, soal_id=sid).exclude(
                pk=self.pk).exists():
            raise ValidationError({"soal_id": _("soal_id ini sudah dipakai soal lain di LKE yang sama.")})


class TautanSoal(models.Model):
    """Which indikator of a unit's plan answers which LKE question (one question per
    indikator; a question may have several indikator)."""

    soal = models.ForeignKey(SoalLke, on_delete=models.CASCADE, related_name="tautan")
    indikator = models.OneToOneField(Indikator, on_delete=models.CASCADE, related_name="tautan_lke")
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tautan soal–indikator")
        verbose_name_plural = _("tautan soal–indikator")

    def __str__(self):
        return f"{self.soal.kode} ↔ {self.indikator_id}"


class Predikat(models.TextChoices):
    WBK = "WBK", _("Menuju WBK")
    WBBM = "WBBM", _("Menuju WBBM")


class JenisKriteria(models.TextChoices):
    TOTAL = "total", _("Nilai total")
    PENGUNGKIT = "pengungkit", _("Nilai pengungkit")
    AREA_PERSEN = "area_persen", _("Area perubahan (Pemenuhan + Reform), % dari bobot")
    AREA_LKE = "area_lke", _("Nilai satu area LKE (kode)")
    KOMPONEN = "komponen", _("Nilai satu komponen LKE (kode)")


class KriteriaPredikat(models.Model):
    lke = models.ForeignKey(LembarKerja, on_delete=models.CASCADE, related_name="kriteria")
    predikat = models.CharField(_("predikat"), max_length=4, choices=Predikat.choices)
    nama = models.CharField(_("nama"), max_length=200)
    jenis = models.CharField(_("jenis"), max_length=12, choices=JenisKriteria.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True,
                             verbose_name=_("area perubahan"))
    kode = models.CharField(_("kode area/komponen LKE"), max_length=14, blank=True)
    batas = models.DecimalField(_("batas minimum"), max_digits=6, decimal_places=2)
    urutan = models.PositiveSmallIntegerField(_("urutan"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kriteria predikat")
        verbose_name_plural = _("kriteria predikat")
        ordering = ["lke", "predikat", "urutan"]

    def __str__(self):
        return f"{self.predikat}: {self.nama} ≥ {self.batas}"

    def clean(self):
        if self.jenis == JenisKriteria.AREA_PERSEN and not self.area_id:
            raise ValidationError({"area": _("Pilih area perubahan.")})
        if self.jenis in (JenisKriteria.AREA_LKE, JenisKriteria.KOMPONEN):
            model = AreaLke if self.jenis == JenisKriteria.AREA_LKE else KomponenLke
            lookup = {"lke_id": self.lke_id} if model is AreaLke else {"area__lke_id": self.lke_id}
            if not self.kode or not model.objects.filter(kode=self.kode, **lookup).exists():
                raise ValidationError({"kode": _("Kode area atau komponen LKE tidak ditemukan.")})


class JawabanLke(models.Model):
    """A unit's answer to one question, and the TPI's. Where the TPI has answered, its
    answer counts. Count/percentage questions take the unit's figure from the plan's
    numeric inputs; `jawaban_unit` is used for them only when no input is linked."""

    unit = models.ForeignKey(UnitKerja, on_delete=models.CASCADE, related_name="jawaban_lke")
    soal = models.ForeignKey(SoalLke, on_delete=models.PROTECT, related_name="jawaban")
    jawaban_unit = models.CharField(_("jawaban unit"), max_length=20, blank=True)
    catatan_unit = models.TextField(_("catatan unit"), blank=True)
    diisi_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    diisi_pada = models.DateTimeField(null=True, blank=True)
    jawaban_tpi = models.CharField(_("jawaban TPI"), max_length=20, blank=True)
    catatan_tpi = models.TextField(_("catatan TPI"), blank=True)
    dinilai_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    dinilai_pada = models.DateTimeField(null=True, blank=True)
    # one version per side: the unit and the TPI edit different fields
    versi_unit = models.PositiveIntegerField(default=0, editable=False)
    versi_tpi = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jawaban LKE")
        verbose_name_plural = _("jawaban LKE")
        constraints = [models.UniqueConstraint(fields=["unit", "soal"], name="jawaban_lke_unik")]

    def __str__(self):
        return f"{self.unit} {self.soal.kode}"

    def clean(self):
        from .skor import periksa_jawaban

        for kolom in ("jawaban_unit", "jawaban_tpi"):
            err = self.soal_id and periksa_jawaban(self.soal.jenis, getattr(self, kolom))
            if err:
                raise ValidationError({kolom: err})


class Kategori(models.TextChoices):
    WBK = "WBK", "WBK"
    WBK_AFIRMASI = "WBK-AFIRMASI", "WBK-AFIRMASI"
    WBBM = "WBBM", "WBBM"


class Pengusulan(models.Model):
    """A unit proposed to the national evaluators for a year: what PortalRB pulls."""

    unit = models.ForeignKey(UnitKerja, on_delete=models.CASCADE, related_name="pengusulan")
    tahun = models.PositiveSmallIntegerField(
        _("tahun"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    kategori = models.CharField(_("kategori"), max_length=12, choices=Kategori.choices)
    afirmasi = models.BooleanField(_("afirmasi"), default=False)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pengusulan unit")
        verbose_name_plural = _("pengusulan unit")
        ordering = ["-tahun", "unit__nama"]
        constraints = [models.UniqueConstraint(
            fields=["unit", "tahun"], name="pengusulan_unik",
            violation_error_message=_("Unit ini sudah diusulkan untuk tahun tersebut."))]

    def __str__(self):
        return f"{self.unit} {self.tahun} {self.kategori}"

    def clean(self):
        if self.kategori == Kategori.WBK_AFIRMASI and not self.afirmasi:
            raise ValidationError({"afirmasi": _("Kategori WBK-AFIRMASI berarti afirmasi: centang.")})


def hash_token(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


class TokenApi(models.Model):
    """A Bearer token for PortalRB. Only its SHA-256 is stored; the token is shown once."""

    nama = models.CharField(_("nama"), max_length=100, help_text=_("Untuk siapa token ini."))
    awalan = models.CharField(_("awalan"), max_length=12, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+", editable=False)
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    dicabut_pada = models.DateTimeField(_("dicabut pada"), null=True, blank=True, editable=False)
    terakhir_dipakai = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True,
                                            editable=False)

    class Meta:
        verbose_name = _("token API PortalRB")
        verbose_name_plural = _("token API PortalRB")
        ordering = ["-dibuat_pada"]

    def __str__(self):
        return f"{self.nama} ({self.awalan}…)"

    @classmethod
    def terbitkan(cls, nama, oleh=None):
        """A new token: returns (TokenApi, raw token). The raw token is never stored."""
        raw = "zi_" + secrets.token_urlsafe(32)
        obj = cls.objects.create(nama=nama, awalan=raw[:10], hash=hash_token(raw), dibuat_oleh=oleh)
        return obj, raw
