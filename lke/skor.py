"""The one place where the LKE score is computed: question values, numeric komponen rules,
komponen, areas, parts, the total, the predicate criteria and the questions that gain the
most. Pure functions over loaded objects (see `lke/selectors.py` for loading); every page,
export, report, command and API uses these.

Rules (PermenPANRB 90/2021, ../shared/lke.md; the numbers themselves are data):
- choice answers take their value from the answer type's value map; a survey index is
  index / scale; Persentase is value / 100;
- a count row holds a count (the plan's numeric input, else typed); counts are never scored
  alone but through the komponen's rumus: rasio = sum(atas) / sum(bawah), penurunan =
  (bawah - atas) / bawah, each within 0..1; x / 0 counts 1 when x = 0, else 0;
- the TPI's answer (or count) counts where it has given one; unanswered counts 0;
- komponen = mean of its choice questions and rumus x weight, rounded to two decimals as the
  LKE shows them; areas, parts and the total add up the rounded komponen."""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from umum.angka import bilangan, desimal

from .pilihan import Aturan, JenisKriteria, JenisRumus, Predikat

NOL, SATU, SERATUS = Decimal(0), Decimal(1), Decimal(100)
SEN = Decimal("0.01")


def dua(d):
    return Decimal(d).quantize(SEN, ROUND_HALF_UP)


def koma(d):
    """Two decimals with a decimal comma, as the LKE shows them: 59,87."""
    return desimal(dua(d))


def _batas01(d):
    return min(SATU, max(NOL, d))


ANGKA = re.compile(r"\d{1,3}(?:[.,]\d{1,2})?")
CACAH = re.compile(r"\d{1,9}")


def angka(teks):
    """A typed figure: up to three digits and two decimals, with a decimal comma or point
    ("3,6", "87.5"); Decimal, or None when it is not one."""
    teks = (teks or "").strip()
    if not ANGKA.fullmatch(teks):
        return None
    try:
        return Decimal(teks.replace(",", "."))
    except InvalidOperation:
        return None


def cacah(teks):
    """A typed count: a whole number 0..999,999,999 in ASCII digits; Decimal or None."""
    teks = (teks or "").strip()
    return Decimal(teks) if CACAH.fullmatch(teks) and teks.isascii() else None


def nilai_rasio(atas, bawah):
    """atas / bawah within 0..1; x / 0 is 1 when x = 0, else 0."""
    if bawah == 0:
        return SATU if atas == 0 else NOL
    return _batas01(Decimal(atas) / Decimal(bawah))


def nilai_penurunan(lalu, kini):
    """(lalu - kini) / lalu within 0..1; 0 and 0 is 1, 0 and more is 0."""
    if lalu == 0:
        return SATU if kini == 0 else NOL
    return _batas01((Decimal(lalu) - Decimal(kini)) / Decimal(lalu))


def nilai_jawaban(jenis, teks):
    """What a typed answer is worth for its type, or None when empty or not valid.
    Choice: a key of the value map (0..1). Survei: the index (0..scale) as index / scale.
    Persentase: 0-100 as value / 100. Jumlah: the count itself (not a 0..1 value)."""
    if jenis.aturan == Aturan.PILIHAN:
        v = jenis.nilai.get((teks or "").strip())
        return Decimal(str(v)) if v is not None else None
    if jenis.aturan == Aturan.JUMLAH:
        return cacah(teks)
    d = angka(teks)
    if d is None or d < 0:
        return None
    if jenis.aturan == Aturan.SURVEI:
        skala = Decimal(str(jenis.nilai.get("skala", 4)))
        return _batas01(d / skala) if d <= skala else None
    return _batas01(d / SERATUS) if d <= SERATUS else None


def bilangan_keluar(d):
    """A Decimal as a number for JSON or a cell: int when whole (counts), else float (3.6)."""
    if d is None:
        return None
    return int(d) if d == d.to_integral_value() else float(d)


def jawaban_keluar(ns, sisi):
    """One side ("unit"/"tpi") of a row as it leaves the app, the same in the official
    workbook (K, N) and in PortalRB: a choice as stored (letter, Ya/Tidak), a count (the
    plan's input where linked) or an index as a number, None when empty."""
    if ns.soal.angka:
        return bilangan_keluar(ns.angka_unit if sisi == "unit" else ns.angka_tpi)
    j = ns.jawaban
    teks = (getattr(j, f"jawaban_{sisi}") if j else "").strip()
    if not teks:
        return None
    jenis = ns.soal.jenis
    if jenis.aturan == Aturan.PILIHAN:
        return teks
    d = cacah(teks) if jenis.aturan == Aturan.JUMLAH else angka(teks)
    return bilangan_keluar(d) if d is not None else teks


def pesan_jawaban(jenis):
    """What a valid answer of this type looks like (Indonesian)."""
    if jenis.aturan == Aturan.PILIHAN:
        return _("bukan pilihan %(p)s") % {"p": pilihan_teks(jenis)}
    if jenis.aturan == Aturan.SURVEI:
        return _("bukan indeks antara 0 dan %(s)s dengan paling banyak dua desimal") % {
            "s": jenis.nilai.get("skala", 4)}
    if jenis.aturan == Aturan.JUMLAH:
        return _("bukan bilangan bulat 0 atau lebih")
    return _("bukan persentase antara 0 dan 100")


def pilihan_teks(jenis):
    """"A-D", "Ya/Tidak": the choices of a type, short."""
    p = list(jenis.nilai)
    if len(p) > 2 and all(len(x) == 1 for x in p) and "".join(p) == "ABCDE"[:len(p)]:
        return f"{p[0]}-{p[-1]}"
    return "/".join(p)


def periksa_jawaban(jenis, teks):
    """An error message (Indonesian) for a typed answer, or None if it is valid or empty."""
    if not (teks or "").strip() or nilai_jawaban(jenis, teks) is not None:
        return None
    if jenis.aturan == Aturan.PILIHAN:
        return _("Pilih salah satu: %(p)s.") % {"p": ", ".join(jenis.nilai)}
    if jenis.aturan == Aturan.SURVEI:
        return _("Isi indeks antara 0 dan %(s)s, paling banyak dua desimal.") % {
            "s": jenis.nilai.get("skala", 4)}
    if jenis.aturan == Aturan.JUMLAH:
        return _("Isi bilangan bulat 0 atau lebih, tanpa titik ribuan.")
    return _("Isi persentase antara 0 dan 100.")


@dataclass
class NilaiSoal:
    """One row of the LKE with what the unit and the TPI gave. Choice and Hasil rows:
    `unit`/`tpi` are values 0..1. Count rows: `angka_unit`/`angka_tpi` are counts."""

    soal: object
    unit: Decimal | None          # value of the unit's answer (0..1)
    tpi: Decimal | None           # value of the TPI's answer
    dari_isian: bool = False      # a count row read from the plan's numeric input
    keterangan: str = ""          # where a count comes from, or why it is missing
    jawaban: object = None        # the JawabanLke row, if any
    angka_unit: Decimal | None = None
    angka_tpi: Decimal | None = None
    isian: object = None          # the plan's Isian of a linked count row

    @property
    def judul(self):
        return self.soal.judul

    @property
    def angka(self):
        """A count row's counted figure: the TPI's where given."""
        return self.angka_tpi if self.angka_tpi is not None else self.angka_unit

    @property
    def nilai(self):
        if self.tpi is not None:
            return self.tpi
        return self.unit if self.unit is not None else NOL

    @property
    def nilai_unit(self):
        """The unit's own value (its self-assessment), 0 when unanswered."""
        return self.unit if self.unit is not None else NOL

    @property
    def sumber(self):
        if self.tpi is not None or self.angka_tpi is not None:
            return "tpi"
        return "unit" if self.unit is not None or self.angka_unit is not None else None


def _jumlah(rows, sisi):
    vals = [getattr(r, sisi) for r in rows]
    return None if not vals or any(v is None for v in vals) else sum(vals, NOL)


def _nilai_rumus(jenis, atas, bawah):
    if atas is None or bawah is None:
        return None
    if jenis == JenisRumus.PENURUNAN:
        return nilai_penurunan(bawah, atas)
    return nilai_rasio(atas, bawah)


@dataclass
class NilaiRumus:
    """A numeric komponen's value from its count rows (counted: TPI's counts where given;
    unit: the unit's own)."""

    rumus: object
    atas: list                    # NilaiSoal of the count rows
    bawah: list

    def __post_init__(self):
        j = self.rumus.jenis
        self.n_atas, self.n_bawah = _jumlah(self.atas, "angka"), _jumlah(self.bawah, "angka")
        self.hasil = _nilai_rumus(j, self.n_atas, self.n_bawah)
        self.hasil_unit = _nilai_rumus(j, _jumlah(self.atas, "angka_unit"),
                                       _jumlah(self.bawah, "angka_unit"))

    @property
    def soal(self):
        """The row a link to this rule points at: its first count row."""
        return (self.atas or self.bawah)[0].soal

    @property
    def judul(self):
        return self.rumus.nama

    @property
    def nilai(self):
        return self.hasil if self.hasil is not None else NOL

    @property
    def nilai_unit(self):
        return self.hasil_unit if self.hasil_unit is not None else NOL

    @property
    def sumber(self):
        if self.hasil is None:
            return None
        return "tpi" if any(r.angka_tpi is not None for r in self.atas + self.bawah) else "unit"

    @property
    def uraian(self):
        """"12 / 5 = 1,00" or "belum diisi"; the rule's computation in words."""
        if self.hasil is None:
            return _("angka belum lengkap")
        a, b = bilangan(self.n_atas), bilangan(self.n_bawah)
        if self.rumus.jenis == JenisRumus.PENURUNAN:
            teks = _("(%(b)s − %(a)s) / %(b)s") % {"a": a, "b": b}
        else:
            teks = f"{a} / {b}"
        catatan = _(" (pembagi 0)") if self.n_bawah == 0 else ""
        return f"{teks} = {koma(self.hasil)}{catatan}"


@dataclass
class SkorKomponen:
    komponen: object
    soal: list                     # every row (NilaiSoal), count rows included
    nilai: Decimal = NOL
    nilai_unit: Decimal = NOL      # from the unit's answers only
    rumus: list = field(default_factory=list)

    @property
    def unsur(self):
        """What the komponen averages: its choice/Hasil questions and its rumus."""
        return [ns for ns in self.soal if not ns.soal.angka] + self.rumus

    @property
    def persen(self):
        b = self.komponen.bobot
        return dua(self.nilai * SERATUS / b) if b else None


@dataclass
class SkorArea:
    area: object
    komponen: list
    nilai: Decimal = NOL
    nilai_unit: Decimal = NOL

    @property
    def persen(self):
        b = self.area.bobot
        return dua(self.nilai * SERATUS / b) if b else None


@dataclass
class HasilKriteria:
    nama: str
    nilai: Decimal
    batas: Decimal
    lulus: bool
    persen: bool = False          # nilai and batas are % of a weight
    kurang: Decimal = NOL         # points short (of the total score)

    @property
    def uraian(self):
        if self.lulus:
            return _("memenuhi")
        f = {"n": koma(self.nilai), "b": koma(self.batas), "k": koma(self.kurang)}
        if self.persen:
            return _("%(n)s %% dari bobot, perlu %(b)s %%: kurang %(k)s poin") % f
        return _("%(n)s, perlu %(b)s: kurang %(k)s poin") % f


@dataclass
class HasilPredikat:
    predikat: str
    kriteria: list

    @property
    def lulus(self):
        return bool(self.kriteria) and all(k.lulus for k in self.kriteria)


@dataclass
class Skor:
    lke: object
    areas: list
    total: Decimal = NOL
    pengungkit: Decimal = NOL
    pemenuhan: Decimal = NOL
    reform: Decimal = NOL
    hasil: Decimal = NOL
    total_unit: Decimal = NOL    # the unit's self-assessment, without the TPI's answers
    bobot: dict = field(default_factory=dict)    # weight of each part and of the total
    selisih: list = field(default_factory=list)  # areas whose komponen weights do not add up
    per_area: dict = field(default_factory=dict)
    predikat: dict = field(default_factory=dict)
    saran: list = field(default_factory=list)

    def soal(self):
        return [ns for a in self.areas for k in a.komponen for ns in k.soal]

    @property
    def terjawab(self):
        """How many questions have a value (answered, or computed from numeric inputs)."""
        return sum(1 for ns in self.soal() if ns.sumber)


def hitung(lke, areas, nilai_soal):
    """The score tree. `areas`: AreaLke with komponen, soal and rumus loaded (ordered);
    `nilai_soal`: {soal pk: NilaiSoal}."""
    skor = Skor(lke=lke, areas=[])
    bagian = {"pemenuhan": NOL, "reform": NOL, "hasil": NOL}
    kode = {}
    for a in areas:
        sa = SkorArea(a, [])
        for k in a.komponen.all():
            ns = [nilai_soal.get(s.pk) or NilaiSoal(s, None, None) for s in k.soal.all()]
            per_pk = {x.soal.pk: x for x in ns}
            rumus = [NilaiRumus(r, [per_pk[s.pk] for s in r.atas.all() if s.pk in per_pk],
                                [per_pk[s.pk] for s in r.bawah.all() if s.pk in per_pk])
                     for r in k.rumus.all()]
            sk = SkorKomponen(k, ns, rumus=rumus)
            unsur = sk.unsur
            n = len(unsur) or 1
            sk.nilai = dua(sum((x.nilai for x in unsur), NOL) / n * k.bobot)
            sk.nilai_unit = dua(sum((x.nilai_unit for x in unsur), NOL) / n * k.bobot)
            sa.komponen.append(sk)
            sa.nilai += sk.nilai
            sa.nilai_unit += sk.nilai_unit
            skor.total_unit += sk.nilai_unit
            kode[k.kode] = sk.nilai
        skor.areas.append(sa)
        kode[a.kode] = sa.nilai
        bagian[a.bagian] += sa.nilai
        skor.bobot[a.bagian] = skor.bobot.get(a.bagian, NOL) + a.bobot
        if sum((k.komponen.bobot for k in sa.komponen), NOL) != a.bobot:
            skor.selisih.append(sa)
        if a.area_id:
            pa = skor.per_area.setdefault(a.area.kode, {
                "kode": a.area.kode, "nama": a.area.nama, "pemenuhan": NOL, "reform": NOL,
                "nilai": NOL, "bobot": NOL})
            pa[a.bagian] += sa.nilai
            pa["nilai"] += sa.nilai
            pa["bobot"] += a.bobot
    for pa in skor.per_area.values():
        pa["persen"] = dua(pa["nilai"] * SERATUS / pa["bobot"]) if pa["bobot"] else NOL
    skor.pemenuhan, skor.reform, skor.hasil = bagian["pemenuhan"], bagian["reform"], bagian["hasil"]
    skor.pengungkit = skor.pemenuhan + skor.reform
    skor.bobot["pengungkit"] = skor.bobot.get("pemenuhan", NOL) + skor.bobot.get("reform", NOL)
    skor.bobot["total"] = skor.bobot["pengungkit"] + skor.bobot.get("hasil", NOL)
    skor.total = skor.pengungkit + skor.hasil
    skor.predikat = _predikat(lke, skor, kode)
    skor.saran = saran(skor)
    return skor


def _predikat(lke, skor, kode):
    out = {p: None for p in Predikat.values}  # WBK first
    for kr in lke.kriteria.all():
        if out.get(kr.predikat) is None:
            out[kr.predikat] = HasilPredikat(kr.predikat, [])
        persen = False
        if kr.jenis == JenisKriteria.TOTAL:
            nilai = skor.total
        elif kr.jenis == JenisKriteria.PENGUNGKIT:
            nilai = skor.pengungkit
        elif kr.jenis == JenisKriteria.AREA_PERSEN:
            pa = skor.per_area.get(kr.area.kode) if kr.area_id else None
            nilai, bobot, persen = (pa["persen"], pa["bobot"], True) if pa else (NOL, NOL, True)
        else:
            nilai = kode.get(kr.kode, NOL)
        lulus = nilai >= kr.batas
        if lulus:
            kurang = NOL
        elif persen:
            kurang = dua((kr.batas - nilai) * bobot / SERATUS)
        else:
            kurang = dua(kr.batas - nilai)
        out[kr.predikat].kriteria.append(
            HasilKriteria(kr.nama, nilai, kr.batas, lulus, persen, kurang))
    return {p: hp for p, hp in out.items() if hp is not None}


def saran(skor, n=10):
    """What gains the most points when improved: a question or a rumus, (1 - value) x
    komponen weight / number of its parts. [(NilaiSoal | NilaiRumus, komponen, gain)],
    largest first."""
    out = []
    for a in skor.areas:
        for k in a.komponen:
            unsur = k.unsur
            if not unsur:
                continue
            per_unsur = k.komponen.bobot / len(unsur)
            for u in unsur:
                gain = dua((SATU - u.nilai) * per_unsur)
                if gain > 0:
                    out.append((u, k.komponen, gain))
    out.sort(key=lambda t: (-t[2], t[0].soal.kode))
    return out[:n]


def _f(d):
    return float(d) if d is not None else None


def sebagai_json(skor):
    """The score tree as plain JSON (numbers with two decimals): used by `hitung_lke`."""
    f = float
    return {
        "tahun": skor.lke.tahun,
        "total": f(skor.total), "pengungkit": f(skor.pengungkit), "pemenuhan": f(skor.pemenuhan),
        "reform": f(skor.reform), "hasil": f(skor.hasil), "total_unit": f(skor.total_unit),
        "area": {
            pa["nama"]: {"kode": pa["kode"], "pemenuhan": f(pa["pemenuhan"]),
                         "reform": f(pa["reform"]), "nilai": f(pa["nilai"]),
                         "bobot": f(pa["bobot"]), "persen": f(pa["persen"])}
            for pa in skor.per_area.values()},
        "hasil_area": {a.area.nama: f(a.nilai) for a in skor.areas if a.area.bagian == "hasil"},
        "komponen": {
            k.komponen.kode: {
                "nama": k.komponen.nama, "bobot": f(k.komponen.bobot), "nilai": f(k.nilai),
                "nilai_unit": f(k.nilai_unit),
                "soal": {ns.soal.kode: (
                    {"angka": _f(ns.angka), "sumber": ns.sumber, "soal_id": ns.soal.soal_id}
                    if ns.soal.angka else
                    {"nilai": f(ns.nilai), "sumber": ns.sumber, "soal_id": ns.soal.soal_id})
                    for ns in k.soal},
                "rumus": [{"nama": r.judul, "nilai": f(r.nilai), "sumber": r.sumber}
                          for r in k.rumus]}
            for a in skor.areas for k in a.komponen},
        "predikat": {
            p: {"lulus": hp.lulus,
                "kriteria": [{"nama": k.nama, "nilai": f(k.nilai), "batas": f(k.batas),
                              "lulus": k.lulus, "kurang": f(k.kurang)} for k in hp.kriteria]}
            for p, hp in skor.predikat.items()},
        "saran": [{"kode": u.soal.kode, "soal": u.judul, "tambahan": f(g)}
                  for u, _k, g in skor.saran],
    }
