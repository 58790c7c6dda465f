"""Side by side per question and komponen: the unit's own value, the value that counts
(the TPI's where given), the difference in points, and the approved files (with their
version) the TPI reads as evidence. Every figure comes from lke's scoring."""

from collections import defaultdict
from dataclasses import dataclass

from bukti_dukung.models import BerkasDibuka
from lke import selectors as lke_selectors
from lke import skor as S
from rencana_aksi.models import RencanaKerja


@dataclass
class BarisKomponen:
    skor: object          # lke's SkorKomponen
    soal: list            # [(NilaiSoal, [Berkas], difference or None)]

    @property
    def selisih(self):
        return self.skor.nilai - self.skor.nilai_unit


def banding(peserta):
    """[(SkorArea, [BarisKomponen])] of the unit of `peserta` in its round's year, and the
    Skor; None when the year has no LKE."""
    tahun = peserta.putaran.tahun
    rk = (RencanaKerja.objects.filter(unit=peserta.unit, tahun=tahun).first()
          or RencanaKerja(unit=peserta.unit, tahun=tahun))
    hasil = lke_selectors.skor_rencana(rk)
    if hasil is None:
        return None
    skor, _areas, tautan = hasil
    bukti = lke_selectors.bukti_soal(rk, tautan)
    # which of them the unit's TPI opened, and when last (one query)
    dibuka = defaultdict(list)
    for d in (BerkasDibuka.objects.filter(
            berkas__in={b.pk for files in bukti.values() for b in files},
            user__in=peserta.penugasan.values("user")).select_related("user")
            .order_by("terakhir_pada")):
        dibuka[d.berkas_id].append(d)
    for files in bukti.values():
        for b in files:
            b.dibuka_tpi = dibuka.get(b.pk, [])
    out = []
    for sa in skor.areas:
        sa.selisih = sa.nilai - sa.nilai_unit
        out.append((sa, [BarisKomponen(sk, [(ns, bukti.get(ns.soal.pk, []), selisih_soal(ns))
                                            for ns in sk.soal]) for sk in sa.komponen]))
    return out, skor


def selisih_soal(ns):
    """Points the TPI's answer moves the question's value (0..1), or None."""
    if ns.tpi is None or ns.soal.angka:
        return None
    return S.dua(ns.tpi - ns.nilai_unit)
