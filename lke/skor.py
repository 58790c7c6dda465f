"""The one place where the LKE score is computed: question values, komponen, areas, parts,
the total, the predicate criteria and the questions that gain the most. Pure functions over
loaded objects (see `lke/selectors.py` for loading); every page, export, report, command
and API uses these.

Rules (PermenPANRB 90/2021, ../shared/lke.md; the numbers themselves are data):
- choice answers take their value from the answer type's value map;
- Jumlah: realisation / target, at most 1; a target of 0 counts as 1; "penurunan" (e.g.
  pelanggaran disiplin): (last year - this year) / last year, within 0..1, and 0 / 0 is 1;
- Persentase: value / 100; Survei: index / scale (x the komponen weight, e.g. 17.5);
- the TPI's answer counts where it has given one; unanswered questions count 0;
- komponen = mean of its questions' values x weight, rounded to two decimals as the LKE
  shows them; areas, parts and the total add up the rounded komponen."""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from bukti_dukung.angka import bilangan, format_persen, rumus_indikator

from .models import Aturan, JenisKriteria

NOL, SATU, SERATUS = Decimal(0), Decimal(1), Decimal(100)
SEN = Decimal("0.01")


def dua(d):
    return Decimal(d).quantize(SEN, ROUND_HALF_UP)


def koma(d):
    """Two decimals with a decimal comma, as the LKE shows them: 59,87."""
    return f"{dua(d):.2f}".replace(".", ",")


def _batas01(d):
    return min(SATU, max(NOL, d))


ANGKA = re.compile(r"\d{1,3}(?:[.,]\d{1,2})?")


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


def nilai_jumlah(realisasi, target):
    if target == 0:
        return SATU
    return _batas01(Decimal(realisasi) / Decimal(target))


def nilai_penurunan(lalu, kini):
    if lalu == 0:
        return SATU if kini == 0 else NOL
    return _batas01((Decimal(lalu) - Decimal(kini)) / Decimal(lalu))


def nilai_jawaban(jenis, teks):
    """Value (0..1) of a typed answer, or None when empty or not valid for the type.
    Choice types: a key of the value map. Jumlah/Persentase typed by hand: a percentage
    (0-100). Survei: the index (0..scale)."""
    if jenis.aturan == Aturan.PILIHAN:
        v = jenis.nilai.get((teks or "").strip())
        return Decimal(str(v)) if v is not None else None
    d = angka(teks)
    if d is None or d < 0:
        return None
    if jenis.aturan == Aturan.SURVEI:
        skala = Decimal(str(jenis.nilai.get("skala", 4)))
        return _batas01(d / skala) if d <= skala else None
    return _batas01(d / SERATUS) if d <= SERATUS else None


def periksa_jawaban(jenis, teks):
    """An error message (Indonesian) for a typed answer, or None if it is valid or empty."""
    if not (teks or "").strip() or nilai_jawaban(jenis, teks) is not None:
        return None
    if jenis.aturan == Aturan.PILIHAN:
        return _("Pilih salah satu: %(p)s.") % {"p": ", ".join(jenis.nilai)}
    if jenis.aturan == Aturan.SURVEI:
        return _("Isi indeks antara 0 dan %(s)s.") % {"s": jenis.nilai.get("skala", 4)}
    return _("Isi persentase antara 0 dan 100.")


def nilai_dari_isian(jenis, isian, nilai):
    """(value, description) of a Jumlah/Persentase question from the plan's numeric inputs
    of its linked indikator. `isian`: the Isian rows; `nilai`: {isian pk: Decimal|None}.
    The first source that can be computed counts: a complete pair of a rule of
    `bukti_dukung/angka.py`, else a filled percentage row. (None, text) when none can."""
    kosong = []
    for r, a, b in rumus_indikator(isian):
        va, vb = nilai.get(a.pk), nilai.get(b.pk)
        if va is None or vb is None:
            kosong.append(r.nama)
            continue
        if r.jenis == "penurunan":
            v = nilai_penurunan(vb, va)
            teks = _("%(r)s: tahun lalu %(b)s, tahun ini %(a)s") % {
                "r": r.nama, "a": bilangan(va), "b": bilangan(vb)}
        else:
            v = nilai_jumlah(va, vb)
            teks = f"{r.nama}: {bilangan(va)} / {bilangan(vb)}"
        if vb == 0:
            teks += " " + _("(pembagi 0: dihitung %(v)s menurut aturan LKE)") % {"v": bilangan(v)}
        return v, teks
    for s in isian:
        if s.jenis == "persentase" and nilai.get(s.pk) is not None:
            p = nilai[s.pk]
            return _batas01(p / SERATUS), f"{s.label}: {format_persen(p)}"
    if kosong:
        return None, _("%(r)s: belum diisi") % {"r": kosong[0]}
    return None, ""


@dataclass
class NilaiSoal:
    soal: object
    unit: Decimal | None          # value of the unit's answer (0..1)
    tpi: Decimal | None           # value of the TPI's answer
    dari_isian: bool = False      # the unit's value comes from the plan's numeric inputs
    keterangan: str = ""          # how the unit's value was computed (numeric inputs)
    jawaban: object = None        # the JawabanLke row, if any

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
        if self.tpi is not None:
            return "tpi"
        return "unit" if self.unit is not None else None


@dataclass
class SkorKomponen:
    komponen: object
    soal: list
    nilai: Decimal = NOL
    nilai_unit: Decimal = NOL      # from the unit's answers only

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
    """The score tree. `areas`: AreaLke with komponen and soal loaded (ordered);
    `nilai_soal`: {soal pk: NilaiSoal}."""
    skor = Skor(lke=lke, areas=[])
    bagian = {"pemenuhan": NOL, "reform": NOL, "hasil": NOL}
    kode = {}
    for a in areas:
        sa = SkorArea(a, [])
        for k in a.komponen.all():
            ns = [nilai_soal.get(s.pk) or NilaiSoal(s, None, None) for s in k.soal.all()]
            n = len(ns) or 1
            sk = SkorKomponen(k, ns, dua(sum((x.nilai for x in ns), NOL) / n * k.bobot),
                              dua(sum((x.nilai_unit for x in ns), NOL) / n * k.bobot))
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
    from .models import Predikat

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
    """Questions whose improvement gains the most points: (1 - value) x komponen weight /
    number of questions in the komponen. [(NilaiSoal, komponen, gain)], largest first."""
    out = []
    for a in skor.areas:
        for k in a.komponen:
            if not k.soal:
                continue
            per_soal = k.komponen.bobot / len(k.soal)
            for ns in k.soal:
                gain = dua((SATU - ns.nilai) * per_soal)
                if gain > 0:
                    out.append((ns, k.komponen, gain))
    out.sort(key=lambda t: (-t[2], t[0].soal.kode))
    return out[:n]


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
                "soal": {ns.soal.kode: {"nilai": f(ns.nilai), "sumber": ns.sumber} for ns in k.soal}}
            for a in skor.areas for k in a.komponen},
        "predikat": {
            p: {"lulus": hp.lulus,
                "kriteria": [{"nama": k.nama, "nilai": f(k.nilai), "batas": f(k.batas),
                              "lulus": k.lulus, "kurang": f(k.kurang)} for k in hp.kriteria]}
            for p, hp in skor.predikat.items()},
        "saran": [{"kode": ns.soal.kode, "soal": ns.soal.teks, "tambahan": f(g)}
                  for ns, _k, g in skor.saran],
    }
