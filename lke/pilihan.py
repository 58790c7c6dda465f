"""The LKE's fixed choices, shared by the models and the scoring (lke/skor.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Aturan(models.TextChoices):
    PILIHAN = "pilihan", _("Pilihan (nilai per jawaban)")
    JUMLAH = "jumlah", _("Jumlah: bilangan cacah (baris angka)")
    PERSENTASE = "persentase", _("Persentase: nilai / 100")
    SURVEI = "survei", _("Survei: indeks / skala")


class BagianLke(models.TextChoices):
    PEMENUHAN = "pemenuhan", _("Pemenuhan")
    REFORM = "reform", _("Reform")
    HASIL = "hasil", _("Hasil")


class Macam(models.TextChoices):
    SOAL = "soal", _("Soal pilihan")
    ANGKA = "angka", _("Baris angka (jumlah)")
    HASIL = "hasil", _("Hasil (survei, capaian)")


class JenisRumus(models.TextChoices):
    RASIO = "rasio", _("Rasio: jumlah atas / jumlah bawah")
    PENURUNAN = "penurunan", _("Penurunan: (bawah − atas) / bawah")


class Predikat(models.TextChoices):
    WBK = "WBK", _("Menuju WBK")
    WBBM = "WBBM", _("Menuju WBBM")


class JenisKriteria(models.TextChoices):
    TOTAL = "total", _("Nilai total")
    PENGUNGKIT = "pengungkit", _("Nilai pengungkit")
    AREA_PERSEN = "area_persen", _("Area perubahan (Pemenuhan + Reform), % dari bobot")
    AREA_LKE = "area_lke", _("Nilai satu area LKE (kode)")
    KOMPONEN = "komponen", _("Nilai satu komponen LKE (kode)")


class Kategori(models.TextChoices):
    WBK = "WBK", "WBK"
    WBK_AFIRMASI = "WBK-AFIRMASI", "WBK-AFIRMASI"
    WBBM = "WBBM", "WBBM"
