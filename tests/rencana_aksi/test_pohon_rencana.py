"""The plan tree read model on a small hand-built plan."""

from datetime import date

from rencana_aksi.selectors import kelompok_bagian, pohon_rencana
from tests.factories import (
    BuktiDukungFactory,
    IndikatorFactory,
    KeanggotaanFactory,
    KomponenFactory,
    RencanaAksiFactory,
    RencanaKerjaFactory,
)


def _teks(areas):
    return [ra.teks for ar in areas for k in ar.komponen_tampil for i in k.indikator_tampil
            for ra in i.rencana_aksi.all()]


def test_filters_on_a_small_plan(db):
    rk = RencanaKerjaFactory()
    budi = KeanggotaanFactory(unit=rk.unit, user__username="budi").user
    sari = KeanggotaanFactory(unit=rk.unit, user__username="sari").user
    k1 = KomponenFactory(area_rencana__rencana_kerja=rk, pic=budi)
    k2 = KomponenFactory(area_rencana=k1.area_rencana)
    ind1 = IndikatorFactory(komponen=k1)
    ind2 = IndikatorFactory(komponen=k2)
    RencanaAksiFactory(indikator=ind1, teks="Rapat tim", bulan=[3])
    RencanaAksiFactory(indikator=ind1, teks="Sosialisasi", bulan=[4, 5], pic=sari)
    lapor = RencanaAksiFactory(indikator=ind2, teks="Laporan", bulan=[12])
    BuktiDukungFactory(rencana_aksi=lapor, nama="Laporan semester")

    assert _teks(pohon_rencana(rk)) == ["Rapat tim", "Sosialisasi", "Laporan"]
    assert _teks(pohon_rencana(rk, bulan=date(2024, 4, 1))) == ["Sosialisasi"]
    # budi is PIC of komponen 1, but "Sosialisasi" has its own PIC
    assert _teks(pohon_rencana(rk, pic=budi)) == ["Rapat tim"]
    assert _teks(pohon_rencana(rk, pic=sari)) == ["Sosialisasi"]
    assert _teks(pohon_rencana(rk, cari="semester")) == ["Laporan"]
    # an empty komponen is dropped from a filtered tree
    areas = pohon_rencana(rk, bulan=date(2024, 12, 1))
    assert [k.pk for ar in areas for k in ar.komponen_tampil] == [k2.pk]
    assert [b.kode for b, _ in kelompok_bagian(areas)] == ["A"]
    assert pohon_rencana(rk, bulan=date(2024, 7, 1)) == []


def test_units_do_not_mix(db):
    a, b = RencanaKerjaFactory(), RencanaKerjaFactory()
    RencanaAksiFactory(indikator__komponen__area_rencana__rencana_kerja=a, teks="Milik A")
    RencanaAksiFactory(indikator__komponen__area_rencana__rencana_kerja=b, teks="Milik B")
    assert _teks(pohon_rencana(a)) == ["Milik A"]
    assert _teks(pohon_rencana(b)) == ["Milik B"]
