"""The ZI work plan: unit -> plan (unit x tahun) -> area of a bagian -> komponen ->
indikator -> rencana aksi -> bukti dukung, with numeric sub-rows (isian)."""

import contextlib
import contextvars

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organisasi.models import UnitKerja


class Bagian(models.Model):
    """A part of the plan / LKE: A Pemenuhan, B Reform (later C Hasil)."""

    kode = models.CharField(_("kode"), max_length=2, unique=True)
    nama = models.CharField(_("nama"), max_length=100)

    class Meta:
        verbose_name = _("bagian")
        verbose_name_plural = _("bagian")
        ordering = ["kode"]

    def __str__(self):
        return f"{self.kode}. {self.nama}"


class Area(models.Model):
    """One of the six canonical areas of change (I-VI)."""

    kode = models.CharField(_("kode"), max_length=5, unique=True)
    nama = models.CharField(_("nama"), max_length=100)
    urutan = models.PositiveSmallIntegerField(_("urutan"))

    class Meta:
        verbose_name = _("area perubahan")
        verbose_name_plural = _("area perubahan")
        ordering = ["urutan"]

    def __str__(self):
        return f"{self.kode}. {self.nama}"


class RencanaKerjaQuerySet(models.QuerySet):
    def milik_unit(self, unit):
        return self.filter(unit=unit)


class RencanaKerja(models.Model):
    """A unit's ZI work plan for one year."""

    unit = models.ForeignKey(UnitKerja, on_delete=models.PROTECT, related_name="rencana_kerja")
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    pendahuluan = models.TextField(_("pendahuluan (BAB I-II)"), blank=True)
    mekanisme_penetapan_tim = models.JSONField(
        _("mekanisme penetapan tim (Lampiran 1)"), default=list, blank=True
    )
    target_prioritas = models.JSONField(
        _("target prioritas (Dokumen Program Kerja)"), default=list, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    versi = models.PositiveIntegerField(default=1, editable=False)

    # bumped by every change that can move a progress figure (see tandai_berubah):
    # cached dashboard figures are keyed by it
    data_versi = models.PositiveIntegerField(default=0, editable=False)
    # when evidence was last uploaded to the plan (the overview's "last activity"), set with
    # the version bump at the end of an upload (tandai_berubah(unggahan=True))
    unggahan_terakhir = models.DateTimeField(null=True, blank=True, editable=False)

    objects = RencanaKerjaQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["data_versi", "unggahan_terakhir"])

    class Meta:
        verbose_name = _("rencana kerja")
        verbose_name_plural = _("rencana kerja")
        ordering = ["unit__nama", "-tahun"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "tahun"], name="rencana_kerja_unit_tahun_unik")
        ]

    def __str__(self):
        return f"{self.unit} {self.tahun}"


_tertunda = contextvars.ContextVar("zi_berubah_tertunda", default=None)


def tandai_berubah(unggahan=False, **lookup):
    """Bump `data_versi` of the plans matching `lookup` (e.g. areas__komponen=5): figures
    cached for the old version are no longer used. `unggahan`: evidence was uploaded, so
    the plans' `unggahan_terakhir` becomes now too."""
    tertunda = _tertunda.get()
    if tertunda is not None:
        tertunda.add((unggahan, tuple(sorted(lookup.items()))))
        return
    ubah = {"data_versi": models.F("data_versi") + 1}
    if unggahan:
        ubah["unggahan_terakhir"] = timezone.now()
    RencanaKerja.objects.filter(**lookup).update(**ubah)


# model label -> (lookup from RencanaKerja, attribute of the row holding the value)
JALUR_RENCANA = {
    "rencana_aksi.RencanaKerja": ("pk", "pk"),
    "rencana_aksi.AreaRencana": ("pk", "rencana_kerja_id"),
    "rencana_aksi.Komponen": ("areas", "area_rencana_id"),
    "rencana_aksi.Indikator": ("areas__komponen", "komponen_id"),
    "rencana_aksi.RencanaAksi": ("areas__komponen__indikator", "indikator_id"),
    "rencana_aksi.TargetBulan": ("areas__komponen__indikator__rencana_aksi", "rencana_aksi_id"),
    "rencana_aksi.BuktiDukung": ("areas__komponen__indikator__rencana_aksi", "rencana_aksi_id"),
    "rencana_aksi.Isian": ("areas__komponen__indikator", "indikator_id"),
    "bukti_dukung.Pengajuan": ("areas__komponen__indikator__rencana_aksi__bukti_dukung",
                               "bukti_dukung_id"),
    "bukti_dukung.Berkas": ("areas__komponen__indikator__rencana_aksi__bukti_dukung__pengajuan",
                            "pengajuan_id"),
    "bukti_dukung.NilaiIsian": ("areas__komponen__indikator__isian", "isian_id"),
}


def tandai_baris(obj, unggahan=False):
    """Bump the version of the plan row `obj` (of JALUR_RENCANA) belongs to. Every service
    that writes such a row calls it (or `tandai_berubah`) itself, as does the admin."""
    lookup, attr = JALUR_RENCANA[obj._meta.label]
    value = getattr(obj, attr, None)
    if value is not None:
        tandai_berubah(unggahan=unggahan, **{lookup: value})


@contextlib.contextmanager
def berubah_di_akhir():
    """For a long transaction (an upload writing files): its bumps are made once, at the
    end, still inside the transaction. The plan row is then locked only for the moment
    before the commit, not while files are written, so uploads to one unit do not wait
    for each other."""
    if _tertunda.get() is not None:
        yield
        return
    tertunda = set()
    token = _tertunda.set(tertunda)
    try:
        yield
    finally:
        _tertunda.reset(token)
    for unggahan, lookup in sorted(tertunda):
        tandai_berubah(unggahan=unggahan, **dict(lookup))


class AreaRencana(models.Model):
    """An area as it appears in one plan and one bagian; `judul` keeps the plan's own
    heading text (typos included), `area` maps it to the canonical area."""

    rencana_kerja = models.ForeignKey(RencanaKerja, on_delete=models.CASCADE, related_name="areas")
    bagian = models.ForeignKey(Bagian, on_delete=models.PROTECT)
    area = models.ForeignKey(Area, on_delete=models.PROTECT)
    judul = models.CharField(_("judul dalam dokumen"), max_length=200)

    class Meta:
        verbose_name = _("area dalam rencana kerja")
        verbose_name_plural = _("area dalam rencana kerja")
        ordering = ["bagian__kode", "area__urutan"]
        constraints = [
            models.UniqueConstraint(
                fields=["rencana_kerja", "bagian", "area"], name="area_rencana_unik"
            )
        ]

    def __str__(self):
        return f"{self.bagian.kode}.{self.area.kode} {self.judul}"


class Komponen(models.Model):
    area_rencana = models.ForeignKey(
        AreaRencana, on_delete=models.CASCADE, related_name="komponen"
    )
    nomor = models.PositiveSmallIntegerField(_("nomor"))
    nama = models.CharField(_("nama"), max_length=300)
    pic = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penanggung jawab (PIC)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="komponen_pic",
    )
    versi = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("komponen")
        verbose_name_plural = _("komponen")
        ordering = ["area_rencana", "nomor"]

    def __str__(self):
        return f"{self.nomor}. {self.nama}"


class Indikator(models.Model):
    komponen = models.ForeignKey(Komponen, on_delete=models.CASCADE, related_name="indikator")
    urutan = models.PositiveSmallIntegerField(_("urutan"))
    teks = models.TextField(_("indikator"))
    versi = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")
        ordering = ["komponen", "urutan"]

    def __str__(self):
        return self.teks[:80]


class RencanaAksiQuerySet(models.QuerySet):
    def milik_unit(self, unit):
        return self.filter(indikator__komponen__area_rencana__rencana_kerja__unit=unit)

    def perlu_atur_bulan(self):
        """Unreadable target text and no months set by hand yet."""
        return self.filter(target_terbaca=False, bulan_manual=False)

    def dengan_pic(self, user):
        """Actions whose effective PIC is `user` (own PIC, else the komponen's)."""
        return self.alias(pic_efektif=kolom_pic_efektif()).filter(pic_efektif=getattr(user, "pk", user))


def kolom_pic_efektif(jalur=""):
    """The effective PIC's id as a query expression, from a model whose path to the rencana
    aksi is `jalur`: the action's own PIC, else its komponen's (`RencanaAksi.pic_efektif`)."""
    return Coalesce(F(f"{jalur}pic_id"), F(f"{jalur}indikator__komponen__pic_id"))


class RencanaAksi(models.Model):
    indikator = models.ForeignKey(Indikator, on_delete=models.CASCADE, related_name="rencana_aksi")
    urutan = models.PositiveSmallIntegerField(_("urutan"))
    teks = models.TextField(_("rencana aksi"))
    target_waktu = models.CharField(_("target waktu (teks asli)"), max_length=300, blank=True)
    per_kejadian = models.BooleanField(
        _("per kejadian"),
        default=False,
        help_text=_("Target mengikuti kejadian (mis. setiap ada pertemuan), bukan bulan tetap."),
    )
    target_terbaca = models.BooleanField(
        _("target waktu terbaca"),
        default=True,
        help_text=_("Salah bila teks target waktu tidak dapat dibaca dan bulan perlu diatur manual."),
    )
    bulan_manual = models.BooleanField(
        _("bulan diatur manual"), default=False,
        help_text=_("Bulan target diatur oleh Sekretaris, bukan dibaca dari teks."),
    )
    pic = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penanggung jawab (PIC)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rencana_aksi_pic",
    )
    versi = models.PositiveIntegerField(default=1, editable=False)

    objects = RencanaAksiQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rencana aksi")
        verbose_name_plural = _("rencana aksi")
        ordering = ["indikator", "urutan"]

    def __str__(self):
        return self.teks[:80]

    @property
    def perlu_atur_bulan(self):
        """The target text could not be read and nobody has set the months yet."""
        return not self.target_terbaca and not self.bulan_manual

    def pic_efektif(self):
        return self.pic or self.indikator.komponen.pic

    def bulan_list(self):
        """Target months as sorted dates; uses the prefetch when there is one."""
        return sorted(t.bulan for t in self.target_bulan.all())


class TargetBulan(models.Model):
    """One target month of a rencana aksi (first day of the month)."""

    rencana_aksi = models.ForeignKey(
        RencanaAksi, on_delete=models.CASCADE, related_name="target_bulan"
    )
    bulan = models.DateField(_("bulan"))
    history = HistoricalRecords()  # the log names months set or dropped by hand

    class Meta:
        verbose_name = _("bulan target")
        verbose_name_plural = _("bulan target")
        ordering = ["bulan"]
        constraints = [
            models.UniqueConstraint(fields=["rencana_aksi", "bulan"], name="target_bulan_unik"),
            models.CheckConstraint(condition=Q(bulan__day=1), name="target_bulan_hari_pertama"),
        ]
        indexes = [models.Index(fields=["bulan"])]

    def __str__(self):
        return self.bulan.strftime("%Y-%m")


class Isian(models.Model):
    """A numeric sub-row of an indikator, e.g. "Jumlah pelanggaran tahun ini"."""

    class Jenis(models.TextChoices):
        JUMLAH = "jumlah", _("Jumlah")
        PERSENTASE = "persentase", _("Persentase")

    indikator = models.ForeignKey(Indikator, on_delete=models.CASCADE, related_name="isian")
    urutan = models.PositiveSmallIntegerField(_("urutan"))
    label = models.CharField(_("label"), max_length=300)
    jenis = models.CharField(_("jenis"), max_length=12, choices=Jenis.choices)
    keterangan = models.TextField(_("keterangan"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("isian angka")
        verbose_name_plural = _("isian angka")
        ordering = ["indikator", "urutan"]

    def __str__(self):
        return self.label


class BuktiDukung(models.Model):
    """Evidence a rencana aksi requires (one action may require several). When it belongs
    to a numeric sub-row, `isian` says which."""

    rencana_aksi = models.ForeignKey(
        RencanaAksi, on_delete=models.CASCADE, related_name="bukti_dukung"
    )
    isian = models.ForeignKey(
        Isian, on_delete=models.CASCADE, null=True, blank=True, related_name="bukti_dukung"
    )
    urutan = models.PositiveSmallIntegerField(_("urutan"))
    nama = models.TextField(_("bukti dukung"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")
        ordering = ["rencana_aksi", "urutan"]

    def __str__(self):
        return self.nama[:80]
