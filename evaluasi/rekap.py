"""The rekap of a round for the Inspektorat: each unit's own score, the score with the
TPI's answers counting, every WBK / WBBM criterion, the questions still open. Scores and
predicates come only from lke (`skor_banyak`, the rule of `hitung_lke` and the LKE page);
the open count in one query for every unit."""

from dataclasses import dataclass

from django.db.models import Count

from lke import selectors as lke_selectors
from lke.pilihan import Predikat
from rencana_aksi.models import RencanaKerja

from .models import Pengembalian

URUTAN = {"kode": lambda b: b.unit.kode, "unit": lambda b: b.unit.nama.lower(),
          "skor_unit": lambda b: b.skor_unit, "skor_tpi": lambda b: b.skor_tpi,
          "selisih": lambda b: b.selisih, "dikembalikan": lambda b: b.dikembalikan_terbuka}


@dataclass
class BarisRekap:
    peserta: object
    unit: object
    skor_unit: object
    skor_tpi: object
    predikat: dict  # Predikat -> HasilPredikat (its criteria), with the TPI's answers
    dikembalikan_terbuka: int

    @property
    def selisih(self):
        return self.skor_tpi - self.skor_unit

    def lulus(self, kategori):
        hp = self.predikat.get(kategori)
        return bool(hp and hp.lulus)

    @property
    def wbk(self):
        return self.lulus(Predikat.WBK)

    @property
    def wbbm(self):
        return self.lulus(Predikat.WBBM)

    @property
    def hasil(self):
        """[(name, HasilPredikat or None)] for WBK then WBBM."""
        return [("WBK", self.predikat.get(Predikat.WBK)), ("WBBM", self.predikat.get(Predikat.WBBM))]

    def sebagai_json(self):
        """The `rekap_evaluasi` contract."""
        return {"unit": self.unit.kode, "skor_unit": float(self.skor_unit),
                "skor_tpi": float(self.skor_tpi), "WBK": self.lulus(Predikat.WBK),
                "WBBM": self.lulus(Predikat.WBBM),
                "dikembalikan_terbuka": self.dikembalikan_terbuka}


def baris_rekap(peserta, lke, urut="unit", turun=False):
    """BarisRekap of each of `peserta` (PesertaEvaluasi of one round), sorted by `urut`."""
    peserta = list(peserta)
    if not peserta:
        return []
    tahun = peserta[0].putaran.tahun
    rks = {rk.unit_id: rk for rk in RencanaKerja.objects.filter(
        tahun=tahun, unit__in=[p.unit_id for p in peserta]).select_related("unit")}
    skor = lke_selectors.skor_banyak(
        [rks.get(p.unit_id) or RencanaKerja(unit=p.unit, tahun=tahun) for p in peserta], lke)
    terbuka = dict(Pengembalian.objects.filter(peserta__in=peserta).terbuka()
                   .values("peserta_id").annotate(n=Count("pk")).values_list("peserta_id", "n"))
    out = [BarisRekap(p, p.unit, skor[p.unit_id].total_unit, skor[p.unit_id].total,
                      skor[p.unit_id].predikat, terbuka.get(p.pk, 0)) for p in peserta]
    out.sort(key=URUTAN.get(urut, URUTAN["unit"]), reverse=turun)
    return out
