"""The LKE page: who answers what, bad input, conflicts, isolation, query counts, XLSX,
links between questions and the plan's indikator, and the hitung_lke command."""

import io
import json
import re
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from lke.models import JawabanLke, LembarKerja, SoalLke, TautanSoal
from lke.services import salin_lke

URL = "/lke/dinsos-mojokerto/2024/"
SEMUA = URL + "?area=semua"  # the whole LKE on one page


@pytest.fixture
def soal(db):
    def get(kode):
        return SoalLke.objects.get(komponen__area__lke__tahun=2024, kode=kode)
    return get


def post(client, s, sisi, jawaban, catatan="", versi=0, hx=True):
    extra = {"HTTP_HX_REQUEST": "true"} if hx else {}
    return client.post(f"{URL}soal/{s.pk}/", {"sisi": sisi, "jawaban": jawaban, "catatan": catatan,
                                              "versi": versi}, **extra)


def teks(resp, testid):
    return re.findall(rf'data-testid="{testid}">([^<]*)<', resp.content.decode())


def test_sekretaris_menjawab_dan_nilai_berubah(client_as, soal):
    c = client_as("sekretaris")
    r = c.get(SEMUA)
    html = r.content.decode()
    assert html.count('id="soal-') == 127
    # every row but the 22 count rows, which are filled once, in the plan
    assert html.count('data-testid="form-unit"') == 105 and 'data-testid="form-tpi"' not in html
    assert teks(r, "lke-total") == ["0,00"]
    r = post(c, soal("A.I.1.a"), "unit", "Ya", "SK Tim ZI nomor 12")
    assert r.status_code == 200
    # the row, and out of band: its komponen (bobot 0.5, two questions), its area, the summary
    assert teks(r, "nilai-komponen-A.I.1") == ["0,25"]
    assert teks(r, "nilai-area-A.I") == ["0,25"]
    assert teks(r, "lke-total") == ["0,25"]
    assert 'hx-swap-oob="true"' in r.content.decode()
    j = JawabanLke.objects.get(soal=soal("A.I.1.a"))
    assert (j.jawaban_unit, j.catatan_unit, j.diisi_oleh.username, j.versi_unit, j.versi_tpi) == (
        "Ya", "SK Tim ZI nomor 12", "sekretaris", 1, 0)


def test_halaman_lke_jumlah_query_tetap(client_as, soal, django_assert_max_num_queries):
    c = client_as("sekretaris")
    for kode in ["A.I.1.a", "A.I.2.a", "B.I.2.a", "C.I.1"]:
        post(c, soal(kode), "unit", {"C.I.1": "3.5", "B.I.2.a": "B"}.get(kode, "Ya"))
    with django_assert_max_num_queries(22):
        r = c.get(SEMUA)
    assert teks(r, "lke-total") != ["0,00"]


def test_anggota_hanya_menjawab_soal_komponen_yang_ia_pegang(client_as, soal):
    """anggota1 is PIC of komponen A.I.1 (demo), not of A.I.2."""
    c = client_as("anggota1")
    r = c.get(SEMUA)
    forms = r.content.decode().count('data-testid="form-unit"')
    assert 0 < forms < 105
    assert post(c, soal("A.I.1.a"), "unit", "Ya").status_code == 200
    assert post(c, soal("A.I.2.a"), "unit", "Ya").status_code == 403
    assert post(c, soal("A.I.1.a"), "tpi", "Tidak").status_code == 403
    assert not JawabanLke.objects.filter(soal=soal("A.I.2.a")).exists()


def test_tpi_memberi_jawaban_sendiri_yang_dihitung(client_as, soal):
    post(client_as("sekretaris"), soal("A.I.1.a"), "unit", "Ya")
    c = client_as("tpi")
    r = c.get(SEMUA)
    html = r.content.decode()
    assert 'data-testid="form-unit"' not in html and html.count('data-testid="form-tpi"') == 127
    assert post(c, soal("A.I.1.a"), "unit", "Tidak").status_code == 403
    r = post(c, soal("A.I.1.a"), "tpi", "Tidak", "SK belum ditandatangani", versi=0)
    assert r.status_code == 200
    assert teks(r, "lke-total") == ["0,00"]  # the TPI's "Tidak" counts
    j = JawabanLke.objects.get(soal=soal("A.I.1.a"))
    assert (j.jawaban_unit, j.jawaban_tpi, j.catatan_tpi) == ("Ya", "Tidak", "SK belum ditandatangani")


@pytest.mark.parametrize("username", ["kepaladinas", "admin"])
def test_kepala_dinas_dan_admin_hanya_membaca(client_as, soal, username):
    c = client_as(username)
    r = c.get(SEMUA)
    assert r.status_code == 200 and "data-testid=\"form-" not in r.content.decode()
    assert post(c, soal("A.I.1.a"), "unit", "Ya").status_code == 403
    assert post(c, soal("A.I.1.a"), "tpi", "Ya").status_code == 403


def test_unit_lain_tidak_melihat_lke(client_as, soal):
    c = client_as("sekretaris2")  # Dinas Kesehatan
    assert c.get(SEMUA).status_code == 404
    assert post(c, soal("A.I.1.a"), "unit", "Ya").status_code == 404
    assert c.get(URL + "lke.xlsx").status_code == 404
    assert c.get(URL + "tautan/").status_code == 404
    assert not JawabanLke.objects.exists()


def test_jawaban_tidak_sah_ditolak_tanpa_kehilangan_isian(client_as, soal):
    c = client_as("sekretaris")
    post(c, soal("C.I.1"), "unit", "3,5", "survei 2024")
    r = post(c, soal("C.I.1"), "unit", "4,7", "survei ulang", versi=1)
    assert r.status_code == 400
    html = r.content.decode()
    assert "Isi indeks antara 0 dan 4, paling banyak dua desimal." in html
    assert 'value="4,7"' in html and "survei ulang" in html  # the input is kept
    assert "Tersimpan" in html and "3,5" in html              # beside the saved answer
    j = JawabanLke.objects.get(soal=soal("C.I.1"))
    assert (j.jawaban_unit, j.catatan_unit, j.versi_unit) == ("3,5", "survei 2024", 1)
    r = post(c, soal("A.I.1.a"), "unit", "Mungkin", hx=False)
    assert r.status_code == 400 and "Pilih salah satu: Ya, Tidak." in r.content.decode()


def test_dua_pengguna_menyunting_jawaban_yang_sama(soal, users):
    from django.test import Client

    s = soal("A.I.2.a")
    a = Client()
    a.force_login(users["sekretaris"])
    assert post(a, s, "unit", "Ya", "versi pertama").status_code == 200
    b = Client()  # a second browser, opened before the first save
    b.force_login(users["sekretaris"])
    r = post(b, s, "unit", "Tidak", "dari formulir lama", versi=0)
    assert r.status_code == 409
    html = r.content.decode()
    assert "sudah diubah oleh" in html and "dari formulir lama" in html and "Batal" in html
    j = JawabanLke.objects.get(soal=s)
    assert (j.jawaban_unit, j.catatan_unit) == ("Ya", "versi pertama")
    # the form now carries the new version: saving again overwrites on purpose
    assert 'name="versi" value="1"' in html
    assert post(b, s, "unit", "Tidak", "dari formulir lama", versi=1).status_code == 200
    j.refresh_from_db()
    assert (j.jawaban_unit, j.versi_unit) == ("Tidak", 2)


def test_simpan_yang_sama_dua_kali_bukan_konflik(client_as, soal):
    """A choice saves as it changes; pressing "Simpan" right after sends the same answer
    with the version the page had: nothing to save, and no conflict message."""
    c = client_as("sekretaris")
    s = soal("A.I.2.a")
    assert post(c, s, "unit", "Ya", "catatan").status_code == 200
    r = post(c, s, "unit", "Ya", "catatan", versi=0)
    assert r.status_code == 200 and "sudah diubah oleh" not in r.content.decode()
    assert JawabanLke.objects.get(soal=s).versi_unit == 1
    assert post(c, s, "unit", "Tidak", "catatan", versi=0).status_code == 409  # a real change


def test_kirim_tanpa_htmx_dialihkan(client_as, soal):
    c = client_as("sekretaris")
    r = post(c, soal("A.I.1.a"), "unit", "Ya", hx=False)
    assert r.status_code == 302 and r["Location"].endswith(f"#soal-{soal('A.I.1.a').pk}")


def test_baris_angka_dari_isian_rencana_tidak_diketik(client_as, soal, rk_dinsos):
    from bukti_dukung.models import NilaiIsian
    from lke.models import TautanIsian

    harus, selesai = soal("B.V.2.angka.1"), soal("B.V.2.angka.3")
    isian = {t.soal_id: t.isian for t in TautanIsian.objects.filter(rencana_kerja=rk_dinsos)}
    NilaiIsian.objects.create(isian=isian[harus.pk], nilai=8)
    NilaiIsian.objects.create(isian=isian[selesai.pk], nilai=6)
    c = client_as("sekretaris")
    r = c.get(SEMUA)
    row = re.search(rf'<tr id="soal-{harus.pk}".*?</tr>', r.content.decode(), re.S).group(0)
    assert 'data-testid="nilai-isian">8<' in row and 'name="jawaban"' not in row
    assert "isi di rencana kerja" in row
    # pengaduan selesai / harus ditindaklanjuti = 6 / 8; B.V.2 weighs 3: 0.75 x 3 = 2.25
    assert "6 / 8 = 0,75" in teks(r, "uraian-rumus")
    assert teks(r, "nilai-komponen-B.V.2") == ["2,25"]
    # typing the count in the LKE is refused: it lives in the plan
    assert post(c, harus, "unit", "9").status_code == 403


def test_ekspor_xlsx_tata_letak_lke(client_as, soal):
    c = client_as("sekretaris")
    post(c, soal("A.I.1.a"), "unit", "Ya", "SK ada")
    r = c.get(URL + "lke.xlsx")
    assert r["Content-Disposition"] == 'attachment; filename="lke-dinsos-mojokerto-2024.xlsx"'
    wb = load_workbook(io.BytesIO(r.content))
    rows = {row[0]: row for row in wb["LKE"].iter_rows(min_row=4, values_only=True) if row[0]}
    assert rows["A.I.1.a"][4:6] == ("Ya", "SK ada") and rows["A.I.1.a"][8] == 1.0
    assert rows["A.I.1"][9] == 0.25 and rows["A.I"][9] == 0.25
    kode = set(SoalLke.objects.filter(komponen__area__lke__tahun=2024).values_list("kode", flat=True))
    assert len(kode & set(rows)) == 127
    ring = {row[0]: row[1] for row in wb["Ringkasan"].iter_rows(values_only=True) if row and row[0]}
    assert ring["Nilai total"] == 0.25 and ring["Menuju WBK"] == "belum memenuhi"
    assert not any(isinstance(v, str) and v.startswith("=")
                   for ws in wb for row in ws.iter_rows(values_only=True) for v in row)


def test_tautan_soal_indikator(client_as, soal, rk_dinsos):
    c = client_as("sekretaris")
    r = c.get(URL + "tautan/")
    # the five questions the seed plan has no indikator for
    assert teks(r, "jumlah-soal-lepas") == ["5"] and teks(r, "jumlah-indikator-lepas") == ["0"]
    t = TautanSoal.objects.get(soal=soal("A.I.2.a"),
                               indikator__komponen__area_rencana__rencana_kerja=rk_dinsos)
    c.post(URL + "tautan/", {"indikator": t.indikator_id, "soal": ""})
    r = c.get(URL + "tautan/")
    assert teks(r, "jumlah-soal-lepas") == ["6"] and teks(r, "jumlah-indikator-lepas") == ["1"]
    assert "tidak ditautkan ke indikator rencana" in c.get(SEMUA).content.decode()
    c.post(URL + "tautan/", {"aksi": "otomatis"})
    assert TautanSoal.objects.filter(soal=soal("A.I.2.a"), indikator_id=t.indikator_id).exists()
    assert client_as("anggota1").post(URL + "tautan/", {"aksi": "otomatis"}).status_code == 403


def test_perintah_hitung_lke(client_as, soal):
    post(client_as("sekretaris"), soal("C.II.1"), "unit", "3.2")  # IPKP 3.2 -> 14.00
    out = io.StringIO()
    call_command("hitung_lke", unit="dinsos-mojokerto", tahun=2024, stdout=out)
    data = json.loads(out.getvalue())
    assert (data["total"], data["hasil"], data["pengungkit"]) == (14.0, 14.0, 0.0)
    assert set(data) >= {"total", "pengungkit", "pemenuhan", "reform", "hasil", "area", "predikat"}
    ipkp = next(k for k in data["predikat"]["WBK"]["kriteria"] if k["nama"] == "IPKP")
    assert ipkp == {"nama": "IPKP", "nilai": 14.0, "batas": 14.0, "lulus": True, "kurang": 0.0}
    assert data["predikat"]["WBK"]["lulus"] is False
    assert len(data["area"]) == 6


def test_tahun_baru_salinan_lke(db, soal):
    s = soal("A.I.1.a")
    s.soal_id = 9001
    s.save()
    baru = salin_lke(2024, 2025)
    assert baru.tahun == 2025
    assert SoalLke.objects.filter(komponen__area__lke=baru).count() == 127
    assert SoalLke.objects.get(komponen__area__lke=baru, kode="A.I.1.a").soal_id == 9001
    assert baru.kriteria.count() == LembarKerja.objects.get(tahun=2024).kriteria.count() == 24
    k = baru.areas.get(kode="B.V").komponen.get(nomor=2)
    assert k.bobot == D("3")


def test_tahun_tanpa_lke_disiapkan_admin(client_as, rk_dinsos):
    call_command("salin_rencana_kerja", "--dari-unit", "dinsos-mojokerto", "--dari-tahun", "2024",
                 "--ke-unit", "dinsos-mojokerto", "--ke-tahun", "2025", stdout=io.StringIO())
    url = "/lke/dinsos-mojokerto/2025/"
    LembarKerja.objects.filter(tahun=2025).delete()  # nothing answered in it
    r = client_as("sekretaris").get(url)
    assert r.status_code == 404 and "LKE tahun 2025 belum disiapkan" in r.content.decode()
    assert client_as("sekretaris").post(url + "siapkan/").status_code == 403
    c = client_as("admin")
    assert "sebagai salinan LKE 2024" in c.get(url).content.decode()  # the nearest earlier year
    assert c.post(url + "siapkan/").status_code == 302
    assert LembarKerja.objects.filter(tahun=2025).exists()
    assert TautanSoal.objects.filter(
        indikator__komponen__area_rencana__rencana_kerja__tahun=2025).count() == 97
    assert c.get(url).status_code == 200


def test_tautan_baris_angka_ke_isian(client_as, soal, rk_dinsos):
    """A count row unlinked from its numeric input is listed, typed in the LKE, and linked
    again by hand; another plan's input or a choice question is refused."""
    from lke.models import TautanIsian
    from rencana_aksi.models import Isian

    c = client_as("sekretaris")
    s = soal("B.IV.1.angka.1")
    t = TautanIsian.objects.get(soal=s, rencana_kerja=rk_dinsos)
    assert t.isian.label == "Jumlah Sasaran Kinerja"
    c.post(URL + "tautan/", {"soal": s.pk, "isian": ""})
    assert not TautanIsian.objects.filter(soal=s, rencana_kerja=rk_dinsos).exists()
    r = c.get(URL + "tautan/")
    assert teks(r, "jumlah-soal-lepas") == ["6"] and 'name="isian"' in r.content.decode()
    row = re.search(rf'<tr id="soal-{s.pk}".*?</tr>', c.get(SEMUA).content.decode(), re.S).group(0)
    assert 'data-testid="form-unit"' in row and "belum ditautkan ke isian angka" in row
    lain = Isian.objects.exclude(indikator__komponen__area_rencana__rencana_kerja=rk_dinsos).first()
    for bad in ({"soal": s.pk, "isian": lain.pk if lain else 999999},
                {"soal": soal("A.I.1.a").pk, "isian": t.isian_id},
                {"soal": "²", "isian": t.isian_id}, {"soal": s.pk, "isian": "1e999"}):
        assert c.post(URL + "tautan/", bad).status_code == 404
    c.post(URL + "tautan/", {"soal": s.pk, "isian": t.isian_id})
    assert TautanIsian.objects.get(soal=s, rencana_kerja=rk_dinsos).isian_id == t.isian_id
    assert client_as("anggota1").post(URL + "tautan/", {"soal": s.pk, "isian": ""}).status_code == 403


def _baris_soal(html):
    return {int(x) for x in re.findall(r'<tr id="soal-(\d+)"', html)}


def test_halaman_dibuka_per_area_dengan_ringkasan_tetap_terlihat(client_as):
    c = client_as("sekretaris")
    areas = list(SoalLke.objects.filter(komponen__area__lke__tahun=2024)
                 .values_list("komponen__area__kode", flat=True).distinct()
                 .order_by("komponen__area__urutan"))
    html = c.get(URL).content.decode()
    pertama = set(SoalLke.objects.filter(komponen__area__lke__tahun=2024,
                                         komponen__area__kode=areas[0]).values_list("pk", flat=True))
    assert _baris_soal(html) == pertama  # the first area only, not 127 rows
    assert f'data-testid="area-{areas[0]}"' in html and 'aria-current="page"' in html
    assert 'id="lke-lengket"' in html and 'data-testid="status-simpan"' in html
    assert f'href="?area={areas[1]}#per-soal" data-testid="area-berikut"' in html
    kedua = c.get(URL, {"area": areas[1]}).content.decode()
    assert _baris_soal(kedua) == set(SoalLke.objects.filter(
        komponen__area__lke__tahun=2024, komponen__area__kode=areas[1]).values_list("pk", flat=True))
    assert len(_baris_soal(c.get(SEMUA).content.decode())) == 127
    # the score summary is the same whichever area is shown
    ringkas = [re.search(r'id="lke-lengket".*?</div>', h, re.S).group(0) for h in (html, kedua)]
    assert ringkas[0] == ringkas[1]


@pytest.mark.parametrize("area", ["Z.IX", "", "\x00", "A.I' OR 1=1", "x" * 500])
def test_area_tak_dikenal_membuka_area_pertama(client_as, area):
    r = client_as("sekretaris").get(URL, {"area": area})
    assert r.status_code == 200
    first = SoalLke.objects.filter(komponen__area__lke__tahun=2024).order_by(
        "komponen__area__urutan").first().komponen.area.kode
    assert _baris_soal(r.content.decode()) == set(SoalLke.objects.filter(
        komponen__area__lke__tahun=2024, komponen__area__kode=first).values_list("pk", flat=True))
