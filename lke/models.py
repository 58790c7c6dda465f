"""The LKE (Lembar Kerja Evaluasi) of a year as data: parts, areas, komponen with weights,
questions with their answer type, value maps and predicate thresholds; the units' and the
TPI's answers; PortalRB proposals and API tokens. Scoring lives in `lke/skor.py`."""

import hashlib
import secrets
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organisasi.models import UnitKerja
from rencana_aksi.models import Area, Indikator

from .pilihan import Aturan, BagianLke, JenisKriteria, JenisRumus, Kategori, Macam, Predikat
from .skor import periksa_jawaban


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
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("komponen LKE")
        verbose_name_plural = _("komponen LKE")
        ordering = ["area__urutan", "nomor"]
        constraints = [models.UniqueConstraint(fields=["area", "nomor"], name="komponen_lke_unik")]

    def __str__(self):
        return f"{self.kode} {self.nama}"


class SoalLke(models.Model):
    """A row of the LKE: a choice question, a count row of a numeric komponen, or a Hasil
    entry. Its PortalRB master id (`soal_id`) is what PortalRB and the official workbook
    (`baris_excel`) match on."""

    komponen = models.ForeignKey(KomponenLke, on_delete=models.CASCADE, related_name="soal")
    kode = models.CharField(_("kode"), max_length=24)  # A.I.1.a, B.I.1.angka.1, C.I.1
    urutan = models.PositiveSmallIntegerField(_("urutan"))
    macam = models.CharField(_("macam"), max_length=6, choices=Macam.choices,
                             default=Macam.SOAL)
    teks = models.TextField(_("pertanyaan / label"), blank=True,
                            help_text=_("Kosong: teks soal belum diisi Admin."))
    jenis = models.ForeignKey(JenisJawaban, on_delete=models.PROTECT, related_name="soal",
                              verbose_name=_("jenis jawaban"))
    petunjuk = models.TextField(_("petunjuk jawaban"), blank=True)
    panduan = models.JSONField(
        _("panduan penilaian"), default=dict, blank=True,
        help_text=_('Arti setiap pilihan, diisi Admin: {"A": "…", "B": "…"}.'))
    soal_id = models.PositiveIntegerField(_("soal_id PortalRB"), null=True, blank=True,
                                          db_index=True)
    baris_excel = models.PositiveSmallIntegerField(
        _("baris lembar kerja"), null=True, blank=True,
        help_text=_("Baris soal di sheet Jawaban lembar kerja resmi (Excel)."))
    isian_label = models.CharField(
        _("label isian rencana"), max_length=300, blank=True,
        help_text=_("Baris angka: label isian angka rencana kerja yang memuat angkanya."))
    indikator_ke = models.PositiveSmallIntegerField(
        _("indikator ke-"), null=True, blank=True,
        help_text=_("Urutan indikator rencana kerja (dalam komponennya) yang menjawab soal ini."))
    indikator = models.ManyToManyField(Indikator, through="TautanSoal", related_name="soal_lke",
                                       blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("soal LKE")
        verbose_name_plural = _("soal LKE")
        ordering = ["komponen__area__urutan", "komponen__nomor", "urutan"]
        constraints = [models.UniqueConstraint(fields=["komponen", "urutan"], name="soal_lke_unik")]

    def __str__(self):
        return f"{self.kode} {self.judul[:80]}"

    @property
    def judul(self):
        if self.teks:
            return self.teks
        if self.baris_excel:
            return _("Soal %(k)s: teksnya di baris %(b)s lembar kerja resmi (belum diisi Admin)") % {
                "k": self.kode, "b": self.baris_excel}
        return _("Soal %(k)s (teks belum diisi Admin)") % {"k": self.kode}

    @property
    def angka(self):
        return self.macam == Macam.ANGKA

    def panduan_urut(self):
        """[(choice, guidance)] in the answer type's order, for the choices that have one."""
        peta = self.panduan if isinstance(self.panduan, dict) else {}
        return [(p, peta[p]) for p in self.jenis.nilai if str(peta.get(p) or "").strip()]

    def clean(self):
        if self.jenis_id and self.komponen_id and self.jenis.lke_id != self.komponen.area.lke_id:
            raise ValidationError({"jenis": _("Jenis jawaban harus dari LKE tahun yang sama.")})
        if self.macam == Macam.ANGKA and self.jenis_id and self.jenis.aturan != Aturan.JUMLAH:
            raise ValidationError({"jenis": _("Baris angka perlu jenis jawaban Jumlah.")})
        if not isinstance(self.panduan, dict) or any(
                not isinstance(v, str) for v in self.panduan.values()):
            raise ValidationError({"panduan": _("Panduan berupa objek JSON pilihan → teks.")})
        if self.jenis_id and set(self.panduan) - set(self.jenis.nilai):
            raise ValidationError({"panduan": _("Panduan hanya untuk pilihan jenis jawabannya: "
                                                "%(p)s.") % {"p": ", ".join(self.jenis.nilai)}})
        if not self.komponen_id:
            return
        lain = SoalLke.objects.filter(komponen__area__lke_id=self.komponen.area.lke_id).exclude(
            pk=self.pk)
        if self.soal_id and lain.filter(soal_id=self.soal_id).exists():
            raise ValidationError({"soal_id": _("soal_id ini sudah dipakai soal lain di LKE yang sama.")})
        if self.baris_excel and lain.filter(baris_excel=self.baris_excel).exists():
            raise ValidationError({"baris_excel": _("Baris ini sudah dipakai soal lain di LKE yang sama.")})


class RumusLke(models.Model):
    """A value of a numeric komponen computed from its count rows, e.g. B.V.2: pengaduan
    selesai / pengaduan yang harus ditindaklanjuti. The komponen's score is the mean of its
    choice questions and its rumus, times its weight (lke/skor.py)."""

    komponen = models.ForeignKey(KomponenLke, on_delete=models.CASCADE, related_name="rumus")
    urutan = models.PositiveSmallIntegerField(_("urutan"))
    nama = models.CharField(_("nama"), max_length=200)
    jenis = models.CharField(_("jenis"), max_length=10, choices=JenisRumus.choices)
    atas = models.ManyToManyField(SoalLke, related_name="rumus_atas", verbose_name=_("atas"),
                                  help_text=_("Rasio: pembilang; penurunan: tahun ini."))
    bawah = models.ManyToManyField(SoalLke, related_name="rumus_bawah", verbose_name=_("bawah"),
                                   help_text=_("Rasio: penyebut (dijumlahkan); penurunan: "
                                               "tahun sebelumnya."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rumus komponen LKE")
        verbose_name_plural = _("rumus komponen LKE")
        ordering = ["komponen", "urutan"]
        constraints = [models.UniqueConstraint(fields=["komponen", "urutan"], name="rumus_lke_unik")]

    def __str__(self):
        return f"{self.komponen.kode}: {self.nama}"


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


class TautanIsian(models.Model):
    """Which numeric input of a unit's plan holds the count of an LKE count row, so that a
    count is filled once, in the plan. One input per row and plan; an input may hold
    several rows (the workbook repeats some counts)."""

    soal = models.ForeignKey(SoalLke, on_delete=models.CASCADE, related_name="tautan_isian")
    isian = models.ForeignKey("rencana_aksi.Isian", on_delete=models.CASCADE,
                              related_name="tautan_lke")
    rencana_kerja = models.ForeignKey("rencana_aksi.RencanaKerja", on_delete=models.CASCADE,
                                      related_name="+")
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tautan baris angka–isian")
        verbose_name_plural = _("tautan baris angka–isian")
        constraints = [models.UniqueConstraint(fields=["soal", "rencana_kerja"],
                                               name="tautan_isian_unik")]

    def __str__(self):
        return f"{self.soal.kode} ↔ {self.isian_id}"


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
        for kolom in ("jawaban_unit", "jawaban_tpi"):
            err = self.soal_id and periksa_jawaban(self.soal.jenis, getattr(self, kolom))
            if err:
                raise ValidationError({kolom: err})


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
    tautan_hari = models.PositiveSmallIntegerField(
        _("masa berlaku tautan bukti (hari)"), default=30,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("Tautan bukti dukung yang dikirim ke PortalRB berlaku selama ini."))
    tautan_sejak = models.DateTimeField(
        _("tautan bukti berlaku sejak"), null=True, blank=True, editable=False,
        help_text=_("Tautan yang dibuat sebelum waktu ini sudah dicabut."))
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
