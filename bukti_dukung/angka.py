"""The one place where derived percentages of the numeric sub-rows are computed, e.g.
persentase penyampaian LHKPN = sudah melaporkan / wajib melaporkan, penurunan pelanggaran
disiplin = (tahun lalu - tahun ini) / tahun lalu. A rule applies to an indikator when its
sub-rows' labels match; a zero or empty denominator gives "tidak berlaku"."""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from umum.angka import bilangan, desimal, persen


@dataclass(frozen=True)
class Rumus:
    nama: str
    jenis: str          # "rasio": atas / bawah; "penurunan": (bawah - atas) / bawah;
    #                     "per": atas / bawah as a plain ratio, not a percentage
    atas: str           # regex on the lower-cased label
    bawah: str


RUMUS = [
    Rumus("Persentase penyampaian laporan harta kekayaan", "rasio", r"sudah melaporkan",
          r"harus melaporkan"),
    Rumus("Penurunan pelanggaran disiplin", "penurunan", r"pelanggaran tahun ini",
          r"pelanggaran tahun sebelumnya"),
    Rumus("Persentase penanganan pengaduan", "rasio", r"selesai ditindaklanjuti",
          r"harus ditindaklanjuti"),
    Rumus("Persentase perijinan/pelayanan yang dipermudah", "rasio", r"telah dipermudah",
          r"terdata"),
    Rumus("Persentase perubahan yang terintegrasi", "rasio", r"telah diintegrasikan",
          r"perubahan yang dibuat"),
    # not a part of a whole: five agents may well make twelve changes
    Rumus("Perubahan yang dibuat per agen perubahan", "per", r"perubahan yang dibuat",
          r"jumlah agen perubahan"),
    # Not numeric rows in the 2024 seed; they apply once a plan has rows labelled so,
    # e.g. "Jumlah sasaran kinerja" / "Jumlah sasaran kinerja yang tercapai 100%".
    Rumus("Persentase sasaran kinerja yang tercapai", "rasio", r"sasaran.*tercapai",
          r"^jumlah sasaran(?!.*tercapai)"),
    Rumus("Tingkat kesenjangan kompetensi", "rasio", r"kesenjangan|di bawah standar",
          r"^jumlah pegawai(?!.*(kesenjangan|di bawah standar))"),
]


@dataclass
class Hasil:
    rumus: Rumus
    nilai: Decimal | None     # percentage (a plain ratio for "per"), two decimals; None when n/a
    keterangan: str           # "87,50 %", "tidak berlaku", "belum diisi"


def _cari(isian, pola):
    return next((s for s in isian if s.jenis == "jumlah" and re.search(pola, s.label.lower())),
                None)


def rumus_indikator(isian):
    """[(rumus, isian atas, isian bawah)] that apply to an indikator's sub-rows."""
    out = []
    for r in RUMUS:
        a, b = _cari(isian, r.atas), _cari(isian, r.bawah)
        if a and b and a is not b:
            out.append((r, a, b))
    return out


def hitung(isian, nilai):
    """Derived percentages for one indikator. `nilai`: {isian pk: Decimal or None}."""
    out = []
    for r, a, b in rumus_indikator(isian):
        va, vb = nilai.get(a.pk), nilai.get(b.pk)
        if va is None or vb is None:
            out.append(Hasil(r, None, _("belum diisi")))
            continue
        if vb == 0:
            out.append(Hasil(r, None, _("tidak berlaku")))
            continue
        if r.jenis == "per":
            q = (Decimal(va) / Decimal(vb)).quantize(Decimal("0.01"), ROUND_HALF_UP)
            out.append(Hasil(r, q, desimal(q)))
            continue
        atas = va if r.jenis == "rasio" else vb - va
        p = (Decimal(atas) * 100 / Decimal(vb)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        teks = persen(p)
        if r.jenis == "penurunan" and p < 0:
            teks += " " + _("(naik)")
        out.append(Hasil(r, p, teks))
    return out


# A part can never exceed its whole: (part, whole) label patterns.
BAGIAN_DARI = [
    (r"diberikan sanksi", r"pelanggaran tahun ini"),
    (r"sedang diproses", r"harus ditindaklanjuti"),
]


def periksa(isian, nilai):
    """Impossible input: {isian pk: message}. Negative counts, and for a ratio the part
    above the whole (e.g. more "sudah melaporkan" than "harus melaporkan")."""
    errors = {}
    for s in isian:
        v = nilai.get(s.pk)
        if v is not None and v < 0:
            errors[s.pk] = _("Tidak boleh negatif.")
        elif v is not None and s.jenis == "jumlah" and v != v.to_integral_value():
            errors[s.pk] = _("Jumlah harus bilangan bulat.")
    pairs = [(a, b) for r, a, b in rumus_indikator(isian) if r.jenis == "rasio"]
    for bagian, utuh in BAGIAN_DARI:
        a, b = _cari(isian, bagian), _cari(isian, utuh)
        if a and b and a is not b:
            pairs.append((a, b))
    for a, b in pairs:
        va, vb = nilai.get(a.pk), nilai.get(b.pk)
        if va is not None and vb is not None and va > vb and a.pk not in errors:
            errors[a.pk] = _("Tidak boleh lebih besar dari “%(bawah)s” (%(n)s).") % {
                "bawah": b.label, "n": bilangan(vb)}
    return errors
