"""The LKE score rule (lke/skor.py) against hand-computed figures, on the seeded LKE 2024."""

from decimal import Decimal as D

import pytest

from bukti_dukung.models import NilaiIsian
from lke import skor as S
from lke.models import JenisJawaban, SoalLke, TautanIsian, TautanSoal
from lke.selectors import lke_tahun, pohon, skor_rencana
from lke.services import simpan_jawaban


@pytest.fixture
def lke(db):
    return lke_tahun(2024)


def jenis(lke, kode):
    return JenisJawaban.objects.get(lke=lke, kode=kode)


@pytest.mark.parametrize("kode,teks,nilai", [
    ("ya_tidak", "Ya", "1"), ("ya_tidak", "Tidak", "0"),
    ("a_c", "A", "1"), ("a_c", "B", "0.5"), ("a_c", "C", "0"),
    ("a_d", "B", "0.67"), ("a_d", "C", "0.33"), ("a_d", "D", "0"),
    ("a_e", "B", "0.75"), ("a_e", "C", "0.5"), ("a_e", "D", "0.25"), ("a_e", "E", "0"),
    ("persentase", "87,5", "0.875"), ("persentase", "100", "1"), ("persentase", "0", "0"),
    ("jumlah", "60", "60"),           # a count row: the count itself
    ("survei", "3,6", "0.9"), ("survei", "4", "1"),
])
def test_nilai_per_jenis_jawaban(lke, kode, teks, nilai):
    assert S.nilai_jawaban(jenis(lke, kode), teks) == D(nilai)


@pytest.mark.parametrize("kode,teks,pesan", [
    ("ya_tidak", "Mungkin", "Pilih salah satu: Ya, Tidak."),
    ("a_e", "F", "Pilih salah satu: A, B, C, D, E."),
    ("persentase", "101", "Isi persentase antara 0 dan 100."),
    ("persentase", "-1", "Isi persentase antara 0 dan 100."),
    ("survei", "4,5", "Isi indeks antara 0 dan 4, paling banyak dua desimal."),
    ("survei", "tiga", "Isi indeks antara 0 dan 4, paling banyak dua desimal."),
])
def test_jawaban_tidak_sah_ditolak_dengan_pesan(lke, kode, teks, pesan):
    j = jenis(lke, kode)
    assert S.nilai_jawaban(j, teks) is None
    assert S.periksa_jawaban(j, teks) == pesan


def test_peta_nilai_adalah_data(lke):
    """Changing the value map changes the value: nothing is a constant in code."""
    j = jenis(lke, "a_c")
    j.nilai = {"A": "1", "B": "0.6", "C": "0"}
    assert S.nilai_jawaban(j, "B") == D("0.6")


def test_aturan_rasio_dan_penurunan():
    assert S.nilai_rasio(3, 4) == D("0.75")
    assert S.nilai_rasio(5, 4) == 1          # capped at 1
    assert S.nilai_rasio(0, 0) == 1          # 0 / 0 counts as 1
    assert S.nilai_rasio(2, 0) == 0          # x / 0 with x > 0 counts as 0
    assert S.nilai_rasio(0, 7) == 0
    # penurunan pelanggaran disiplin: (last year - this year) / last year
    assert S.nilai_penurunan(10, 4) == D("0.6")
    assert S.nilai_penurunan(4, 10) == 0      # more violations: 0, never negative
    assert S.nilai_penurunan(0, 0) == 1
    assert S.nilai_penurunan(0, 3) == 0


def _isi(lke, areas, per_bagian, khusus=None):
    """NilaiSoal for every row: a question takes the value of its part, or `khusus[kode]`;
    a count row the count `khusus[kode]`, else 0 (so that 0 / 0 makes its rule 1)."""
    out = {}
    for a in areas:
        for k in a.komponen.all():
            for s in k.soal.all():
                if s.angka:
                    out[s.pk] = S.NilaiSoal(s, None, None, angka_unit=D((khusus or {}).get(s.kode, "0")))
                    continue
                v = (khusus or {}).get(s.kode, per_bagian.get(a.bagian))
                out[s.pk] = S.NilaiSoal(s, None if v is None else D(v), None)
    return out


def _kriteria(skor, predikat, nama_awal):
    return next(k for k in skor.predikat[predikat].kriteria if k.nama.startswith(nama_awal))


def test_lke_lengkap_dihitung_tangan(lke):
    """Every Pemenuhan and Reform question at 1 (each part = its 30 points), Hasil:
    IPAK 3.6 -> 3.6 / 4 x 17.5 = 15.75; capaian kinerja "C" -> 0.5 x 5 = 2.50;
    IPKP 3.2 -> 3.2 / 4 x 17.5 = 14.00.
    Total = 30 + 30 + 15.75 + 2.50 + 14.00 = 92.25; pengungkit 60; birokrasi bersih
    15.75 + 2.50 = 18.25. WBK: every criterion holds, three of them exactly at the limit
    (18.25, 15.75, 2.5) and IPKP 14.00 at its WBK limit 14.0. WBBM fails only on IPKP:
    14.00 < 15.75, 1.75 points short."""
    areas = pohon(lke)
    ipak, capaian, ipkp = "C.I.1", "C.I.2", "C.II.1"
    nilai = _isi(lke, areas, {"pemenuhan": "1", "reform": "1"}, {
        ipak: S.nilai_jawaban(jenis(lke, "survei"), "3.6"),
        capaian: S.nilai_jawaban(jenis(lke, "a_e"), "C"),
        ipkp: S.nilai_jawaban(jenis(lke, "survei"), "3.2")})
    skor = S.hitung(lke, areas, nilai)
    assert (skor.pemenuhan, skor.reform, skor.pengungkit) == (D("30.00"), D("30.00"), D("60.00"))
    assert skor.hasil == D("32.25")
    assert skor.total == D("92.25")
    assert all(pa["persen"] == 100 for pa in skor.per_area.values())
    assert skor.predikat["WBK"].lulus
    assert _kriteria(skor, "WBK", "Birokrasi").nilai == D("18.25")
    assert not skor.predikat["WBBM"].lulus
    gagal = [k for k in skor.predikat["WBBM"].kriteria if not k.lulus]
    assert [(k.nama, k.nilai, k.batas, k.kurang) for k in gagal] == [
        ("IPKP", D("14.00"), D("15.75"), D("1.75"))]
    # the questions that gain the most: IPKP (0.2 x 17.5 = 3.50), IPAK (0.1 x 17.5 = 1.75),
    # capaian kinerja (0.5 x 5 = 2.50)
    assert [(ns.soal.kode, g) for ns, _k, g in skor.saran] == [
        (ipkp, D("3.50")), (capaian, D("2.50")), (ipak, D("1.75"))]
    data = S.sebagai_json(skor)
    assert data["total"] == 92.25 and data["predikat"]["WBK"]["lulus"] is True
    assert set(data) >= {"total", "pengungkit", "pemenuhan", "reform", "hasil", "area", "predikat"}
    assert set(data["predikat"]["WBBM"]["kriteria"][0]) >= {"nama", "nilai", "batas", "lulus"}


def test_batas_hasil_tepat_dan_tepat_di_bawah(lke):
    """IPAK 3.59 -> 15.70625 -> 15.71 (< 15.75, 0.04 short); birokrasi bersih 15.71 + 2.50
    = 18.21 (< 18.25); capaian "D" -> 1.25 (< 2.5); IPKP 3.19 -> 13.95625 -> 13.96 (< 14.0)."""
    areas = pohon(lke)
    sv, ae = jenis(lke, "survei"), jenis(lke, "a_e")
    nilai = _isi(lke, areas, {"pemenuhan": "1", "reform": "1"}, {
        "C.I.1": S.nilai_jawaban(sv, "3.59"), "C.I.2": S.nilai_jawaban(ae, "C"),
        "C.II.1": S.nilai_jawaban(sv, "3.19")})
    skor = S.hitung(lke, areas, nilai)
    ipak = _kriteria(skor, "WBK", "IPAK")
    assert (ipak.nilai, ipak.lulus, ipak.kurang) == (D("15.71"), False, D("0.04"))
    bb = _kriteria(skor, "WBK", "Birokrasi")
    assert (bb.nilai, bb.lulus) == (D("18.21"), False)
    ipkp = _kriteria(skor, "WBK", "IPKP")
    assert (ipkp.nilai, ipkp.lulus) == (D("13.96"), False)
    assert not skor.predikat["WBK"].lulus
    nilai = _isi(lke, areas, {"pemenuhan": "1", "reform": "1"}, {
        "C.I.1": D("1"), "C.I.2": S.nilai_jawaban(ae, "D"), "C.II.1": D("1")})
    cap = _kriteria(S.hitung(lke, areas, nilai), "WBK", "Capaian")
    assert (cap.nilai, cap.lulus, cap.kurang) == (D("1.25"), False, D("1.25"))


def test_batas_area_tepat_dan_tepat_di_bawah(lke):
    """Penguatan Pengawasan weighs 7.5 + 7.5 = 15; 60 % of it is 9.00. Pemenuhan V full
    (7.50), Reform V: Mekanisme pengendalian (2.5) at 0, Penanganan pengaduan (3): 0 of 10
    done -> 0, LHKPN (2, two rules) at 75 of 100 each -> 0.75 x 2 = 1.50: 9.00 = 60.00 %,
    holds. At 74 of 100 each: 1.48 -> 8.98 = 59.87 %, fails, (60 - 59.87) % x 15 = 0.0195
    -> 0.02 short."""
    areas = pohon(lke)
    lhkpn = list(SoalLke.objects.filter(komponen__area__lke=lke, komponen__kode="B.V.3")
                 .values_list("kode", flat=True))
    assert len(lhkpn) == 8

    def area_v(v):
        # 113 + 114 + 115 must report, 116 did; 117 + 118 + 119 and 120 the same
        khusus = {"B.V.1.a": "0", "B.V.2.angka.1": "10", "B.V.2.angka.3": "0",
                  "B.V.3.a.angka.1": "60", "B.V.3.a.angka.2": "30", "B.V.3.a.angka.3": "10",
                  "B.V.3.a.angka.4": v, "B.V.3.b.angka.1": "100", "B.V.3.b.angka.2": "0",
                  "B.V.3.b.angka.3": "0", "B.V.3.b.angka.4": v}
        skor = S.hitung(lke, areas, _isi(lke, areas, {"pemenuhan": "1", "reform": "1", "hasil": "1"},
                                         khusus))
        return skor, _kriteria(skor, "WBK", "Penguatan Pengawasan")

    skor, k = area_v("75")
    assert skor.per_area["V"]["nilai"] == D("9.00")
    assert (k.nilai, k.batas, k.lulus) == (D("60.00"), D("60"), True)
    skor, k = area_v("74")
    assert (k.nilai, k.lulus, k.kurang) == (D("59.87"), False, D("0.02"))
    assert k.uraian == "59,87 % dari bobot, perlu 60,00 %: kurang 0,02 poin"
    wbbm = _kriteria(skor, "WBBM", "Penguatan Pengawasan")
    assert (wbbm.batas, wbbm.lulus, wbbm.kurang) == (D("75"), False, D("2.27"))


def test_komponen_rata_rata_kali_bobot_dua_desimal(lke):
    """Pemenuhan I.4 "Perubahan pola pikir dan budaya kerja" (bobot 1.5, four questions):
    Ya, Ya, Tidak, unanswered -> (1 + 1 + 0 + 0) / 4 x 1.5 = 0.75."""
    areas = pohon(lke)
    soal = list(SoalLke.objects.filter(komponen__area__lke=lke, komponen__kode="A.I.4")
                .order_by("urutan"))
    assert len(soal) == 4
    nilai = {soal[0].pk: S.NilaiSoal(soal[0], D(1), None), soal[1].pk: S.NilaiSoal(soal[1], D(1), None),
             soal[2].pk: S.NilaiSoal(soal[2], D(0), None)}
    skor = S.hitung(lke, areas, nilai)
    k = next(k for a in skor.areas for k in a.komponen if k.komponen.kode == "A.I.4")
    assert k.nilai == D("0.75")
    assert skor.total == D("0.75")


@pytest.mark.django_db
def test_jawaban_tpi_menggantikan_jawaban_unit(rk_dinsos, users, lke):
    # Tim Kerja, bobot 0.5, two questions (a: Ya/Tidak, b: A-C): Ya and nothing -> 0.25
    soal = SoalLke.objects.get(komponen__area__lke=lke, kode="A.I.1.a")
    simpan_jawaban(user=users["sekretaris"], unit=rk_dinsos.unit, soal=soal, sisi="unit",
                   jawaban="Ya", catatan="SK sudah ada", versi=0)
    skor = skor_rencana(rk_dinsos)[0]
    assert skor.total == D("0.25")
    j = simpan_jawaban(user=users["tpi"], unit=rk_dinsos.unit, soal=soal, sisi="tpi",
                       jawaban="Tidak", catatan="SK belum ditandatangani", versi=0)
    assert (j.jawaban_unit, j.catatan_unit, j.jawaban_tpi, j.catatan_tpi) == (
        "Ya", "SK sudah ada", "Tidak", "SK belum ditandatangani")
    skor = skor_rencana(rk_dinsos)[0]
    ns = next(n for n in skor.soal() if n.soal.pk == soal.pk)
    assert (ns.unit, ns.tpi, ns.nilai, ns.sumber) == (1, 0, 0, "tpi")
    assert skor.total == 0


@pytest.mark.django_db
def test_baris_angka_mengambil_isian_angka_rencana(rk_dinsos, lke):
    """Penurunan pelanggaran disiplin (Reform III.3, bobot 2, one rule over soal_id 102 and
    103 of 2026): last year 10, this year 4 -> (10 - 4) / 10 = 0.6; 0.6 x 2 = 1.20. The
    counts are the plan's numeric inputs, never typed twice."""
    lalu = SoalLke.objects.get(komponen__area__lke=lke, kode="B.III.3.angka.1")
    kini = SoalLke.objects.get(komponen__area__lke=lke, kode="B.III.3.angka.2")
    assert lalu.komponen.bobot == D("2") and lalu.jenis.kode == "jumlah"
    isian = {t.soal_id: t.isian for t in TautanIsian.objects.filter(rencana_kerja=rk_dinsos)}
    assert isian[lalu.pk].label == "Jumlah pelanggaran tahun sebelumnya"
    assert isian[kini.pk].label == "Jumlah pelanggaran tahun ini"
    NilaiIsian.objects.create(isian=isian[lalu.pk], nilai=10)
    skor = skor_rencana(rk_dinsos)[0]
    ns = next(n for n in skor.soal() if n.soal.pk == kini.pk)
    assert ns.dari_isian and ns.angka_unit is None and "belum diisi" in ns.keterangan
    k = next(k for a in skor.areas for k in a.komponen if k.komponen.kode == "B.III.3")
    assert k.rumus[0].hasil is None and k.nilai == 0
    NilaiIsian.objects.create(isian=isian[kini.pk], nilai=4)
    skor = skor_rencana(rk_dinsos)[0]
    k = next(k for a in skor.areas for k in a.komponen if k.komponen.kode == "B.III.3")
    assert k.rumus[0].hasil == D("0.6") and k.nilai == D("1.20")
    assert k.rumus[0].uraian == "(10 − 4) / 10 = 0,60"
    assert skor.reform == D("1.20")


def test_seed_terpaut_penuh(rk_dinsos, lke):
    """The seed plan's 105 indikator answer the LKE: 97 choice questions by text, and the
    8 indikator of numeric komponen hold the 22 count rows through their numeric inputs
    (labels as PortalRB's CSV says). The five questions the seed has no indikator for stay
    unlinked."""
    rows = TautanSoal.objects.filter(indikator__komponen__area_rencana__rencana_kerja=rk_dinsos
                                     ).select_related("soal__komponen", "indikator__komponen")
    assert rows.count() == 97
    for t in rows:
        assert " ".join(t.indikator.teks.split()) == t.soal.teks
        assert t.soal.komponen.nomor == t.indikator.komponen.nomor
    angka = TautanIsian.objects.filter(rencana_kerja=rk_dinsos).select_related("soal", "isian")
    assert angka.count() == 22
    for t in angka:
        assert t.isian.label.lower() == t.soal.isian_label.lower()
    lepas = SoalLke.objects.filter(komponen__area__lke=lke, macam="soal").exclude(
        tautan__indikator__komponen__area_rencana__rencana_kerja=rk_dinsos)
    assert sorted(lepas.values_list("kode", flat=True)) == [
        "A.I.1.b", "A.I.2.b", "A.I.2.c", "A.I.3.a", "A.I.3.c"]


def test_bobot_bagian_dari_data_dan_selisih_bobot_ditandai(lke):
    """Part weights come from the data (30 / 30 / 40, total 100); an area whose komponen
    weights no longer add up to its own is flagged."""
    areas = pohon(lke)
    skor = S.hitung(lke, areas, {})
    assert (skor.bobot["pemenuhan"], skor.bobot["reform"], skor.bobot["hasil"], skor.bobot["total"]) == (
        D("30"), D("30"), D("40"), D("100"))
    assert skor.selisih == []
    k = areas[0].komponen.all()[0]
    k.bobot += D("0.5")
    skor = S.hitung(lke, areas, {})
    assert [sa.area.kode for sa in skor.selisih] == ["A.I"]
    assert skor.bobot["total"] == D("100")
