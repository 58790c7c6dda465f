"""Points from review: mixed numeric sources, the per-agent ratio, strict figures, the
XLSX keeps typed formulas as text, linking stays right, both sides edit independently,
a TPI of another unit, bad input on the links page."""

import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from bukti_dukung import angka
from bukti_dukung.models import NilaiIsian
from lke import skor as S
from lke.models import JawabanLke, LembarKerja, SoalLke, TautanIsian, TautanSoal
from lke.selectors import lke_tahun, skor_rencana
from lke.services import simpan_jawaban, tautkan_otomatis
from organisasi.models import Keanggotaan, Peran
from rencana_aksi.models import Indikator, Isian
from rencana_aksi.services import KonflikVersi

URL = "/lke/dinsos-mojokerto/2024/"
SEMUA = URL + "?area=semua"  # the whole LKE on one page


def _soal(kode):
    return SoalLke.objects.get(komponen__area__lke__tahun=2024, kode=kode)


def _isian(rk, kode):
    """{kode of the count row: the plan's Isian} of an LKE komponen."""
    return {t.soal.kode: t.isian for t in TautanIsian.objects.filter(
        rencana_kerja=rk, soal__komponen__kode=kode).select_related("soal", "isian")}


def _komponen(rk, kode):
    skor = skor_rencana(rk)[0]
    return next(k for a in skor.areas for k in a.komponen if k.komponen.kode == kode)


def test_lhkpn_dari_jumlah_bukan_dari_persentase_ketikan(rk_dinsos):
    """LHKPN (Reform V.3, bobot 2): sudah melaporkan (116) / (113 + 114 + 115). The plan's
    own typed percentage row is a plan figure, never a source of the LKE."""
    isian = _isian(rk_dinsos, "B.V.3")
    assert len(isian) == 8
    persen = Isian.objects.get(indikator=isian["B.V.3.a.angka.1"].indikator,
                               label="Persentase penyampaian LHKPN")
    NilaiIsian.objects.create(isian=persen, nilai=80)
    k = _komponen(rk_dinsos, "B.V.3")
    assert k.rumus[0].hasil is None and k.nilai == 0
    for kode, v in [("B.V.3.a.angka.1", 1), ("B.V.3.a.angka.2", 6), ("B.V.3.a.angka.3", 3),
                    ("B.V.3.a.angka.4", 9)]:
        NilaiIsian.objects.create(isian=isian[kode], nilai=v)
    k = _komponen(rk_dinsos, "B.V.3")
    # 9 / 10 = 0.9; the non-LHKPN rule has no counts yet (0): (0.9 + 0) / 2 x 2 = 0.90
    assert (k.rumus[0].hasil, k.rumus[1].hasil, k.nilai) == (D("0.9"), None, D("0.90"))


def test_perubahan_per_agen_bukan_bagian_dari_keseluruhan(rk_dinsos):
    """Five agents may make twelve changes: the plan accepts it, shows 2,40 per agent, and
    the LKE counts it capped at 1 (B.I.1: 89 / 88)."""
    isian = _isian(rk_dinsos, "B.I.1")
    rows = list(Isian.objects.filter(indikator=isian["B.I.1.angka.1"].indikator))
    agen, dibuat = isian["B.I.1.angka.1"], isian["B.I.1.angka.2"]
    assert isian["B.I.1.angka.3"] == dibuat  # PortalRB repeats the count (89 and 90)
    nilai = {agen.pk: D(5), dibuat.pk: D(12)}
    assert angka.periksa(rows, nilai) == {}
    hasil = {h.rumus.nama: h.keterangan for h in angka.hitung(rows, nilai)}
    assert hasil["Perubahan yang dibuat per agen perubahan"] == "2,40"
    for s, v in nilai.items():
        NilaiIsian.objects.create(isian_id=s, nilai=v)
    k = _komponen(rk_dinsos, "B.I.1")
    assert k.rumus[0].hasil == 1 and k.rumus[0].uraian == "12 / 5 = 1,00"
    # 91 (integrated, no count yet) / 90: the second rule is still missing
    assert k.rumus[1].hasil is None and k.nilai == D("1.00")


@pytest.mark.parametrize("teks", ["36e-1", "1_0", "3.60000001", "3,6,1", " ", "100.001", "0x10"])
def test_angka_ketat(teks):
    assert S.angka(teks) is None


@pytest.mark.parametrize("teks,nilai", [("3,6", "3.6"), ("87.5", "87.5"), ("100", "100"),
                                        ("0,25", "0.25")])
def test_angka_sah(teks, nilai):
    assert S.angka(teks) == D(nilai)


def test_survei_hanya_dua_desimal_maka_batas_tidak_terlewati_pembulatan(db):
    """3,5999 is refused (two decimals), so an index under 3.6 can never round up to the
    IPAK limit of 15.75."""
    j = lke_tahun(2024).jenis_jawaban.get(kode="survei")
    assert S.periksa_jawaban(j, "3,5999") == "Isi indeks antara 0 dan 4, paling banyak dua desimal."
    assert S.dua(S.nilai_jawaban(j, "3,59") * D("17.5")) == D("15.71")


def test_xlsx_menyimpan_rumus_ketikan_sebagai_teks(client_as):
    c = client_as("sekretaris")
    c.post(f"{URL}soal/{_soal('A.I.1.a').pk}/", {"sisi": "unit", "versi": 0, "jawaban": "Ya",
                                                 "catatan": '=HYPERLINK("http://contoh.test","klik")'})
    wb = load_workbook(io.BytesIO(c.get(URL + "lke.xlsx").content))
    sel = [cell for row in wb["LKE"].iter_rows() for cell in row
           if isinstance(cell.value, str) and "HYPERLINK" in cell.value]
    assert sel and all(cell.data_type == "s" for cell in sel)


def test_unit_dan_tpi_menyunting_jawaban_sama_tanpa_saling_menghalangi(rk_dinsos, users):
    s, unit = _soal("A.I.3.b"), rk_dinsos.unit  # A-D
    simpan_jawaban(user=users["sekretaris"], unit=unit, soal=s, sisi="unit", jawaban="A",
                   catatan="", versi=0)
    # the TPI saves its side, then the Sekretaris saves again from the page opened before
    simpan_jawaban(user=users["tpi"], unit=unit, soal=s, sisi="tpi", jawaban="C",
                   catatan="belum lengkap", versi=0)
    j = simpan_jawaban(user=users["sekretaris"], unit=unit, soal=s, sisi="unit", jawaban="A",
                       catatan="notulen terlampir", versi=1)
    assert (j.jawaban_unit, j.catatan_unit, j.jawaban_tpi, j.versi_unit, j.versi_tpi) == (
        "A", "notulen terlampir", "C", 2, 1)
    with pytest.raises(KonflikVersi):  # but the same side from an old page is refused
        simpan_jawaban(user=users["tpi"], unit=unit, soal=s, sisi="tpi", jawaban="B",
                       catatan="", versi=0)


def test_tautan_otomatis_tidak_menebak_bila_jumlah_berbeda(rk_dinsos):
    """A new indikator inserted first in Reform II.2 (SPBE, two questions) is not linked:
    the two real ones are already linked by their text, and one question cannot take two
    guesses."""
    lke = lke_tahun(2024)
    t = TautanSoal.objects.get(soal=_soal("B.II.2.a"),
                               indikator__komponen__area_rencana__rencana_kerja=rk_dinsos)
    kom = t.indikator.komponen
    baru = Indikator.objects.create(komponen=kom, urutan=0, teks="Indikator tambahan unit")
    assert tautkan_otomatis(rk_dinsos, lke) == 0
    assert not TautanSoal.objects.filter(indikator=baru).exists()
    # the real one unlinked and its text changed: paired by its position in the komponen
    # (PortalRB's indikator order)
    t.indikator.teks = "Teks yang sudah diubah"
    t.indikator.save()
    ind = t.indikator
    t.delete()
    baru.delete()
    assert tautkan_otomatis(rk_dinsos, lke) == 1
    assert TautanSoal.objects.get(indikator=ind).soal == _soal("B.II.2.a")


def test_rencana_salinan_dan_lke_salinan_langsung_tertaut(rk_dinsos, client_as):
    call_command("salin_rencana_kerja", "--dari-unit", "dinsos-mojokerto", "--dari-tahun", "2024",
                 "--ke-unit", "dinsos-mojokerto", "--ke-tahun", "2027", stdout=io.StringIO())
    call_command("siapkan_lke", "--tahun", "2027", "--dari", "2024", stdout=io.StringIO())
    rk = rk_dinsos.__class__.objects.get(unit=rk_dinsos.unit, tahun=2027)
    assert TautanSoal.objects.filter(indikator__komponen__area_rencana__rencana_kerja=rk).count() == 97
    assert TautanIsian.objects.filter(rencana_kerja=rk).count() == 22
    # the plan copied after the LKE exists is linked at once (signal from the import)
    call_command("salin_rencana_kerja", "--dari-unit", "dinsos-mojokerto", "--dari-tahun", "2024",
                 "--ke-unit", "dinkes-mojokerto", "--ke-tahun", "2027", "--ganti", stdout=io.StringIO())
    rk2 = rk_dinsos.__class__.objects.get(unit__kode="dinkes-mojokerto", tahun=2027)
    assert TautanSoal.objects.filter(indikator__komponen__area_rencana__rencana_kerja=rk2).count() == 97
    assert TautanIsian.objects.filter(rencana_kerja=rk2).count() == 22


def test_aksi_admin_salin_lke_menautkan_rencana(rk_dinsos, client_as):
    call_command("salin_rencana_kerja", "--dari-unit", "dinsos-mojokerto", "--dari-tahun", "2024",
                 "--ke-unit", "dinsos-mojokerto", "--ke-tahun", "2025", stdout=io.StringIO())
    c = client_as("admin")
    lke = LembarKerja.objects.get(tahun=2024)
    r = c.post("/admin/lke/lembarkerja/", {"action": "salin_ke_tahun_berikutnya",
                                           "_selected_action": [lke.pk]}, follow=True)
    assert "LKE 2025 dibuat sebagai salinan" in r.content.decode()
    assert TautanSoal.objects.filter(
        indikator__komponen__area_rencana__rencana_kerja__tahun=2025).count() == 97
    assert TautanIsian.objects.filter(rencana_kerja__tahun=2025).count() == 22


def test_tpi_unit_lain_tidak_melihat_lke(client_as, users, dinkes):
    from django.contrib.auth import get_user_model

    u = get_user_model().objects.create_user("tpi_dinkes", password="x")
    Keanggotaan.objects.create(user=u, unit=dinkes, peran=Peran.TPI)
    from django.test import Client

    c = Client()
    c.force_login(u)
    assert c.get(SEMUA).status_code == 404
    r = c.post(f"{URL}soal/{_soal('A.I.1.a').pk}/", {"sisi": "tpi", "versi": 0, "jawaban": "Ya"})
    assert r.status_code == 404 and not JawabanLke.objects.exists()
    assert c.get("/lke/dinkes-mojokerto/2024/").status_code == 200


def test_halaman_tautan_masukan_rusak_404(client_as):
    c = client_as("sekretaris")
    assert c.post(URL + "tautan/", {"indikator": "abc", "soal": "1"}).status_code == 404
    assert c.post(URL + "tautan/", {"indikator": "1", "soal": "x"}).status_code == 404


def test_anggota_mendapat_formulir_tepat_untuk_komponen_yang_ia_pegang(client_as, rk_dinsos, users):
    from lke.selectors import pic_per_soal, tautan_rencana

    pic = pic_per_soal(tautan_rencana(rk_dinsos, lke_tahun(2024)))
    milik = {s for s, ids in pic.items() if users["anggota1"].pk in ids}
    html = client_as("anggota1").get(SEMUA).content.decode()
    import re

    dengan_form = set()
    for m in re.finditer(r'<tr id="soal-(\d+)".*?</tr>', html, re.S):
        if 'data-testid="form-unit"' in m.group(0):
            dengan_form.add(int(m.group(1)))
    assert dengan_form == milik and len(milik) >= 4


def test_jumlah_query_tidak_bertambah_dengan_jawaban(client_as, django_assert_num_queries, users,
                                                    rk_dinsos):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_as("sekretaris")
    c.get(SEMUA)  # the first visit remembers the unit and year in the session
    with CaptureQueriesContext(connection) as sedikit:
        c.get(SEMUA)
    for s in SoalLke.objects.filter(komponen__area__lke__tahun=2024, jenis__kode="ya_tidak")[:40]:
        simpan_jawaban(user=users["sekretaris"], unit=rk_dinsos.unit, soal=s, sisi="unit",
                       jawaban="Ya", catatan="ok", versi=0)
        simpan_jawaban(user=users["tpi"], unit=rk_dinsos.unit, soal=s, sisi="tpi",
                       jawaban="Tidak", catatan="", versi=0)
    with django_assert_num_queries(len(sedikit)):
        c.get(SEMUA)


def test_angka_isian_tidak_dalam_notasi_ilmiah(rk_dinsos):
    isian = _isian(rk_dinsos, "B.III.3")
    NilaiIsian.objects.create(isian=isian["B.III.3.angka.1"], nilai=D("10.00"))
    NilaiIsian.objects.create(isian=isian["B.III.3.angka.2"], nilai=D("4.00"))
    k = _komponen(rk_dinsos, "B.III.3")
    assert k.rumus[0].uraian == "(10 − 4) / 10 = 0,60" and "E+" not in k.rumus[0].uraian


def test_total_unit_terpisah_dari_nilai_dengan_tpi_dan_wbk_lebih_dulu(rk_dinsos, users):
    s = _soal("A.I.1.a")  # bobot 0.5
    simpan_jawaban(user=users["sekretaris"], unit=rk_dinsos.unit, soal=s, sisi="unit",
                   jawaban="Ya", catatan="", versi=0)
    simpan_jawaban(user=users["tpi"], unit=rk_dinsos.unit, soal=s, sisi="tpi",
                   jawaban="Tidak", catatan="", versi=0)
    skor = skor_rencana(rk_dinsos)[0]
    assert (skor.total, skor.total_unit) == (0, D("0.25"))
    assert list(skor.predikat) == ["WBK", "WBBM"]
    data = S.sebagai_json(skor)
    assert data["total_unit"] == 0.25
    assert data["komponen"]["A.I.1"]["soal"]["A.I.1.a"] == {"nilai": 0.0, "sumber": "tpi",
                                                             "soal_id": None}
    assert data["komponen"]["A.I.1"]["nilai_unit"] == 0.25 and len(data["komponen"]) == 45


def test_admin_jawaban_dan_pengusulan_diperiksa(rk_dinsos, dinsos):
    from django.core.exceptions import ValidationError

    from lke.models import Kategori, Pengusulan

    j = JawabanLke(unit=dinsos, soal=_soal("A.I.1.a"), jawaban_unit="Mungkin")
    with pytest.raises(ValidationError, match="Pilih salah satu: Ya, Tidak."):
        j.full_clean()
    p = Pengusulan(unit=dinsos, tahun=24, kategori=Kategori.WBK_AFIRMASI)
    with pytest.raises(ValidationError) as e:
        p.full_clean()
    assert set(e.value.message_dict) == {"tahun", "afirmasi"}
    Pengusulan.objects.create(unit=dinsos, tahun=2024, kategori=Kategori.WBK)
    with pytest.raises(ValidationError, match="Unit ini sudah diusulkan untuk tahun tersebut."):
        Pengusulan(unit=dinsos, tahun=2024, kategori=Kategori.WBBM).full_clean()
