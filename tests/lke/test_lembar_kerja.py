"""The official LKE workbook (sheet Jawaban, K-Q) both ways: export layout, import of a
hand-filled workbook, every bad cell named, all or nothing, counts into the plan, who
changes which columns, preview before save, concurrent edits, bad files, the round trip,
the commands and the views' permissions."""

import csv
import io
import zipfile
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from bukti_dukung import services as bukti
from bukti_dukung.models import NilaiIsian
from lke import lembar_kerja as LK
from lke import selectors
from lke.models import JawabanLke, SoalLke, TautanIsian
from lke.selectors import lke_tahun, skor_rencana
from lke.services import simpan_jawaban, tautkan_isian
from rencana_aksi.models import BuktiDukung, RencanaAksi, RencanaKerja
from rencana_aksi.services import KonflikVersi, salin_rencana_kerja
from tests.bukti_dukung.conftest import berkas, pdf_bytes

CSV = Path(__file__).resolve().parents[2] / "lke" / "data" / "portalrb-2026.csv"
URL = "/lke/dinsos-mojokerto/2026/"
IMPOR = URL + "impor/"


@pytest.fixture
def rk26(rk_dinsos, dinsos):
    """Dinas Sosial's plan copied to 2026: linked to LKE 2026, count rows to its inputs."""
    return salin_rencana_kerja(sumber=rk_dinsos, unit=dinsos, tahun=2026)


@pytest.fixture
def lke26(db):
    return selectors.lke_tahun(2026)


def soal(kode, tahun=2026):
    return SoalLke.objects.select_related("jenis").get(komponen__area__lke__tahun=tahun, kode=kode)


def jawab(unit, kode, sisi, jawaban, catatan="", user=None):
    s = soal(kode)
    j = JawabanLke.objects.filter(unit=unit, soal=s).first()
    return simpan_jawaban(user=user, unit=unit, soal=s, sisi=sisi, jawaban=jawaban, catatan=catatan,
                          versi=getattr(j, f"versi_{sisi}", 0) if j else 0)


def isi_angka(rk, lke, per_label, user):
    """Fill the plan's numeric inputs linked to count rows: {label: value}."""
    per_ind = {}
    for i in selectors.isian_rencana(rk, lke).values():
        if i.label in per_label:
            per_ind.setdefault(i.indikator, {})[i.pk] = D(per_label[i.label])
    for ind, nilai in per_ind.items():
        bukti.simpan_isian(indikator=ind, user=user, nilai=nilai, versi={pk: 0 for pk in nilai})


def nilai_isian(rk, lke, kode):
    i = selectors.isian_rencana(rk, lke)[soal(kode).pk]
    n = NilaiIsian.objects.filter(isian=i).first()
    return n.nilai if n else None


def buku(sel, judul="Jawaban"):
    """A hand-made workbook: only the sheet and the given cells, {"K37": "C"}."""
    wb = Workbook()
    ws = wb.active
    ws.title = judul
    for alamat, v in sel.items():
        ws[alamat] = v
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def lembar(data):
    return load_workbook(io.BytesIO(data))["Jawaban"]


def unggah(client, data, nama="lke.xlsx"):
    return client.post(IMPOR, {"aksi": "unggah", "berkas": SimpleUploadedFile(nama, data)})


def test_baris_37_adalah_a_iii_1_b_abcd():
    baris = {r["baris_excel"]: r for r in csv.DictReader(CSV.open(encoding="utf-8"))}
    assert (baris["37"]["kode"], baris["37"]["jenis_jawaban"]) == ("A.III.1.b", "ABCD")
    assert (baris["169"]["kode"], baris["199"]["kode"]) == ("B.V.2.angka", "C.I.1")


# --- export -------------------------------------------------------------------------------

def test_ekspor_tata_letak(rk26, lke26, dinsos, users):
    sek = users["sekretaris"]
    jawab(dinsos, "A.I.1.a", "unit", "Ya", '=HYPERLINK("http://x")', sek)
    jawab(dinsos, "A.I.1.a", "tpi", "Tidak", "SK belum ditandatangani", users["tpi"])
    jawab(dinsos, "C.I.1", "unit", "3,6", user=sek)
    jawab(dinsos, "C.I.1", "tpi", "3.25", user=users["tpi"])
    jawab(dinsos, "B.V.2.angka.1", "tpi", "10", user=users["tpi"])
    isi_angka(rk26, lke26, {"Jumlah pengaduan masyarakat yang harus ditindaklanjuti": 12}, sek)
    # approved evidence of the indikator linked to A.I.1.a
    ra = RencanaAksi.objects.milik_unit(dinsos).get(
        teks="Pembentukan Tim Kerja ZI dalam unit kerja",
        indikator__komponen__area_rencana__rencana_kerja=rk26)
    bd = BuktiDukung.objects.filter(rencana_aksi=ra).first()
    p = bukti.unggah_bukti(bukti_dukung=bd, user=sek, bulan=ra.bulan_list()[0],
                           files=[berkas("sk-tim.pdf", pdf_bytes("sk"))]).pengajuan
    bukti.setujui(pengajuan=p, versi=p.versi, user=sek)

    wb = load_workbook(io.BytesIO(LK.ekspor(rk=rk26, lke=lke26)))
    assert wb.sheetnames == ["Jawaban"]
    ws = wb["Jawaban"]
    assert "2026" in ws["A1"].value and "Dinas Sosial" in ws["A2"].value
    assert [ws.cell(5, c).value for c in (1, 2, 11, 12, 13, 14, 17)] == [
        "Kode", "soal_id", "Jawaban unit", "Catatan unit", "Bukti dukung unit", "Jawaban TPI",
        "Catatan TPI"]
    semua = SoalLke.objects.filter(komponen__area__lke=lke26)
    assert semua.count() == 127
    for s in semua:  # every question at its row, with PortalRB's soal_id in B
        assert (ws.cell(s.baris_excel, 1).value, ws.cell(s.baris_excel, 2).value) == (
            s.kode, s.soal_id)
    assert [ws[f"{c}6"].value for c in "KLMNQ"] == [
        "Ya", '=HYPERLINK("http://x")', "sk-tim.pdf", "Tidak", "SK belum ditandatangani"]
    assert ws["L6"].data_type == "s"  # typed text, never a formula
    # a linked count row: the plan's input as a number; the TPI's count as a number
    assert (ws["A169"].value, ws["K169"].value, ws["N169"].value) == ("B.V.2.angka.1", 12, 10)
    assert isinstance(ws["K169"].value, int)
    # a survey index as a number
    assert (ws["A199"].value, ws["K199"].value, ws["N199"].value) == ("C.I.1", 3.6, 3.25)
    assert ws["K7"].value is None and ws["M7"].value is None
    # 2024 has no soal_id: column B stays empty, rows are the same
    ws24 = lembar(LK.ekspor(rk=RencanaKerja.objects.get(unit=dinsos, tahun=2024),
                            lke=selectors.lke_tahun(2024)))
    assert (ws24["A6"].value, ws24["B6"].value) == ("A.I.1.a", None)


# --- import --------------------------------------------------------------------------------

def test_impor_buku_isian_tangan(rk26, lke26, dinsos, users):
    sek = users["sekretaris"]
    data = buku({"K6": "ya", "L6": "SK nomor 12", "N6": "Tidak", "Q6": "belum", "K37": "C",
                 "K169": 12, "K170": 3.0, "K171": 9, "K199": 3.6, "K200": "b"})
    baris = LK.baca(data, lke26)
    assert len(baris) == 127
    perubahan = LK.rencana(rk=rk26, lke=lke26, baris=baris, user=sek)
    berubah = [(p.baris, p.kolom, p.lama, p.baru) for p in perubahan if not p.alasan]
    assert berubah == [(6, "K", "", "Ya"), (6, "L", "", "SK nomor 12"), (37, "K", "", "C"),
                       (169, "K", "", "12"), (170, "K", "", "3"), (171, "K", "", "9"),
                       (199, "K", "", "3.6"), (200, "K", "", "B")]
    # a Sekretaris gives no TPI answers: listed as ignored, with the reason
    assert [(p.baris, p.kolom, p.alasan) for p in perubahan if p.alasan] == [
        (6, "N", "Hanya TPI unit ini yang mengisi jawaban TPI."),
        (6, "Q", "Hanya TPI unit ini yang mengisi jawaban TPI.")]
    assert not JawabanLke.objects.filter(unit=dinsos).exists()  # nothing until terapkan
    assert LK.terapkan(rk=rk26, lke=lke26, perubahan=perubahan, user=sek) == 8
    j = JawabanLke.objects.get(unit=dinsos, soal=soal("A.I.1.a"))
    assert (j.jawaban_unit, j.catatan_unit, j.jawaban_tpi, j.catatan_tpi, j.diisi_oleh) == (
        "Ya", "SK nomor 12", "", "", sek)
    assert JawabanLke.objects.get(unit=dinsos, soal=soal("C.I.1")).jawaban_unit == "3,6"
    # counts go into the plan's numeric inputs, not the LKE
    assert [nilai_isian(rk26, lke26, f"B.V.2.angka.{i}") for i in (1, 2, 3)] == [12, 3, 9]
    assert not JawabanLke.objects.filter(unit=dinsos, soal=soal("B.V.2.angka.1")).exists()
    skor = selectors.skor_rencana(rk26, lke26)[0]
    rumus = next(k for a in skor.areas for k in a.komponen if k.komponen.kode == "B.V.2").rumus[0]
    assert rumus.uraian == "9 / 12 = 0,75"
    # the same file again changes nothing
    assert [p for p in LK.rencana(rk=rk26, lke=lke26, baris=LK.baca(data, lke26), user=sek)
            if not p.alasan] == []


def test_sel_salah_semua_disebut_dan_tidak_ada_yang_disimpan(rk26, lke26, dinsos, users, tmp_path):
    data = buku({"K6": "Ya", "N6": "Mungkin", "L7": "x" * 4001, "K37": "F", "K169": 2.5,
                 "K199": 5, "N152": -1, "K200": "A"})
    with pytest.raises(ValidationError) as exc:
        LK.baca(data, lke26)
    assert exc.value.messages == [
        "Baris 6 kolom N: 'Mungkin' bukan pilihan Ya/Tidak",
        "Baris 7 kolom L: catatan 4.001 karakter, paling banyak 4.000.",
        "Baris 37 kolom K: 'F' bukan pilihan A-D",
        "Baris 152 kolom N: '-1' bukan bilangan bulat 0 atau lebih",
        "Baris 169 kolom K: '2.5' bukan bilangan bulat 0 atau lebih",
        "Baris 199 kolom K: '5' bukan indeks antara 0 dan 4 dengan paling banyak dua desimal",
    ]
    f = tmp_path / "salah.xlsx"
    f.write_bytes(data)
    with pytest.raises(CommandError) as exc:
        call_command("impor_lke", "--unit", "dinsos-mojokerto", "--tahun", "2026", str(f),
                     stdout=io.StringIO())
    assert "Baris 37 kolom K: 'F' bukan pilihan A-D" in str(exc.value)
    assert ("Baris 199 kolom K: '5' bukan indeks antara 0 dan 4 dengan paling banyak dua desimal"
            in str(exc.value))
    assert not JawabanLke.objects.filter(unit=dinsos).exists()


def test_angka_mustahil_ditolak_dengan_barisnya(rk26, lke26, dinsos, users):
    sek = users["sekretaris"]
    # a part above its whole, and two rows of one plan input with different counts
    data = buku({"K6": "Ya", "K169": 5, "K171": 7, "K127": 4, "K129": 5})
    baris = LK.baca(data, lke26)
    with pytest.raises(ValidationError) as exc:
        LK.rencana(rk=rk26, lke=lke26, baris=baris, user=sek)
    assert exc.value.messages == [
        "Baris 129 kolom K: '5' berbeda dengan baris 127 ('4'), padahal keduanya isian rencana "
        "“Jumlah perubahan yang dibuat”",
        "Baris 171 kolom K: '7' tidak boleh lebih besar dari “Jumlah pengaduan masyarakat yang "
        "harus ditindaklanjuti” (5)",
    ]
    # against the plan's current figures too: the whole already saved in the plan
    isi_angka(rk26, lke26, {"Jumlah pengaduan masyarakat yang harus ditindaklanjuti": 4}, sek)
    with pytest.raises(ValidationError) as exc:
        LK.rencana(rk=rk26, lke=lke26, user=sek, baris=LK.baca(
            buku({"K169": 4, "K171": 6}), lke26))
    assert exc.value.messages == [
        "Baris 171 kolom K: '6' tidak boleh lebih besar dari “Jumlah pengaduan masyarakat yang "
        "harus ditindaklanjuti” (4)"]
    assert not JawabanLke.objects.filter(unit=dinsos).exists()


def test_tpi_hanya_mengubah_kolom_tpi(rk26, lke26, dinsos, users):
    tpi = users["tpi"]
    data = buku({"K6": "Ya", "L6": "catatan unit", "N6": "Tidak", "Q6": "SK tidak ada",
                 "K169": 3, "N169": 2, "N199": 3.4})
    perubahan = LK.rencana(rk=rk26, lke=lke26, baris=LK.baca(data, lke26), user=tpi)
    assert [(p.baris, p.kolom) for p in perubahan if not p.alasan] == [
        (6, "N"), (6, "Q"), (169, "N"), (199, "N")]
    assert [(p.baris, p.kolom) for p in perubahan if p.alasan] == [(6, "K"), (6, "L"), (169, "K")]
    LK.terapkan(rk=rk26, lke=lke26, perubahan=perubahan, user=tpi)
    j = JawabanLke.objects.get(unit=dinsos, soal=soal("A.I.1.a"))
    assert (j.jawaban_unit, j.catatan_unit, j.jawaban_tpi, j.catatan_tpi, j.dinilai_oleh) == (
        "", "", "Tidak", "SK tidak ada", tpi)
    assert JawabanLke.objects.get(unit=dinsos, soal=soal("B.V.2.angka.1")).jawaban_tpi == "2"
    assert JawabanLke.objects.get(unit=dinsos, soal=soal("C.I.1")).jawaban_tpi == "3,4"
    assert nilai_isian(rk26, lke26, "B.V.2.angka.1") is None


def test_suntingan_lain_di_antara_rencana_dan_simpan_membatalkan_semua(rk26, lke26, dinsos, users):
    sek = users["sekretaris"]
    perubahan = LK.rencana(rk=rk26, lke=lke26, user=sek,
                           baris=LK.baca(buku({"K6": "Ya", "K37": "B", "K169": 3}), lke26))
    jawab(dinsos, "A.III.1.b", "unit", "D", user=users["sekretaris"])  # someone else, meanwhile
    with pytest.raises(KonflikVersi, match="Baris 37 .* sudah diubah pengguna lain"):
        LK.terapkan(rk=rk26, lke=lke26, perubahan=perubahan, user=sek)
    assert not JawabanLke.objects.filter(unit=dinsos, soal=soal("A.I.1.a")).exists()
    assert JawabanLke.objects.get(unit=dinsos, soal=soal("A.III.1.b")).jawaban_unit == "D"
    assert nilai_isian(rk26, lke26, "B.V.2.angka.1") is None
    # a count changed in the plan meanwhile is a conflict too
    perubahan = LK.rencana(rk=rk26, lke=lke26, user=sek,
                           baris=LK.baca(buku({"K6": "Ya", "K169": 3}), lke26))
    isi_angka(rk26, lke26, {"Jumlah pengaduan masyarakat yang harus ditindaklanjuti": 8}, sek)
    with pytest.raises(KonflikVersi, match="Baris 169"):
        LK.terapkan(rk=rk26, lke=lke26, perubahan=perubahan, user=sek)
    assert not JawabanLke.objects.filter(unit=dinsos, soal=soal("A.I.1.a")).exists()
    assert nilai_isian(rk26, lke26, "B.V.2.angka.1") == 8


@pytest.mark.parametrize("data, nama, pesan", [
    (pdf_bytes("bukan"), "lke.xlsx", "Berkas bukan lembar kerja XLSX."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "lke.xlsx", "Berkas terkunci kata sandi"),
    (b"PK-rusak", "lke.xlsx", "Berkas bukan lembar kerja XLSX."),
    ("zip", "lke.xlsx", "Berkas XLSX rusak atau bukan lembar kerja Excel."),
    ("sheet", "lke.xlsx", "Sheet “Jawaban” tidak ditemukan (sheet yang ada: Sheet1)."),
    (b"a;b", "lke.csv", "Berkas &#x27;lke.csv&#x27; bukan XLSX."),
])
def test_berkas_salah_satu_pesan_jelas(client_as, rk26, dinsos, data, nama, pesan):
    if data == "zip":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("isi.txt", "bukan lembar kerja")
        data = buf.getvalue()
    elif data == "sheet":
        data = buku({"K6": "Ya"}, judul="Sheet1")
    r = unggah(client_as("sekretaris"), data, nama)
    assert r.status_code == 400
    assert pesan in r.content.decode()
    assert not JawabanLke.objects.filter(unit=dinsos).exists()


def test_berkas_terlalu_besar_ditolak(lke26, monkeypatch):
    with pytest.raises(ValidationError, match="terlalu besar"):
        LK.baca(b"PK" + b"\0" * LK.MAKS_UKURAN, lke26)
    # a small file that unpacks into too much is refused before openpyxl reads it
    monkeypatch.setattr(LK, "MAKS_ISI", 1000)
    with pytest.raises(ValidationError, match="terlalu besar setelah dibuka"):
        LK.baca(buku({"K6": "Ya"}), lke26)


# --- preview and save (views) ------------------------------------------------------------

def test_pratinjau_sebelum_simpan(client_as, rk26, lke26, dinsos, django_assert_max_num_queries):
    c = client_as("sekretaris")
    r = unggah(c, buku({"K6": "Ya", "L6": "SK nomor 12", "N6": "Tidak", "K37": "C", "K169": 4}))
    assert r.status_code == 302 and r["Location"] == IMPOR
    with django_assert_max_num_queries(25):
        r = c.get(IMPOR)
    html = r.content.decode()
    assert r.status_code == 200
    assert 'data-testid="jumlah-perubahan">4<' in html
    for testid in ("perubahan-6-K", "perubahan-6-L", "perubahan-37-K", "perubahan-169-K"):
        assert f'data-testid="{testid}"' in html
    assert "Isian angka rencana “Jumlah pengaduan masyarakat yang harus ditindaklanjuti”" in html
    assert 'data-testid="jumlah-diabaikan">1<' in html and "Hanya TPI unit ini" in html
    # nothing is written until "Simpan"
    assert not JawabanLke.objects.filter(unit=dinsos).exists()
    assert nilai_isian(rk26, lke26, "B.V.2.angka.1") is None
    r = c.post(IMPOR, {"aksi": "simpan"})
    assert r.status_code == 302 and r["Location"] == URL
    assert JawabanLke.objects.get(unit=dinsos, soal=soal("A.III.1.b")).jawaban_unit == "C"
    assert nilai_isian(rk26, lke26, "B.V.2.angka.1") == 4
    assert JawabanLke.objects.get(unit=dinsos, soal=soal("A.I.1.a")).jawaban_tpi == ""
    assert f"lke_impor:{rk26.pk}" not in c.session
    r = c.get(URL)
    assert "Lembar kerja diimpor: 4 perubahan disimpan." in r.content.decode()


def test_batal_tidak_menyimpan(client_as, rk26, dinsos):
    c = client_as("sekretaris")
    unggah(c, buku({"K6": "Ya"}))
    r = c.post(IMPOR, {"aksi": "batal"})
    assert r.status_code == 302 and r["Location"] == URL
    assert not JawabanLke.objects.filter(unit=dinsos).exists()
    assert 'name="berkas"' in c.get(IMPOR).content.decode()  # back to the upload form
    r = c.post(IMPOR, {"aksi": "simpan"})  # nothing pending any more
    assert r.status_code == 302 and not JawabanLke.objects.filter(unit=dinsos).exists()


def test_suntingan_lain_setelah_pratinjau_ditolak(client_as, rk26, dinsos, users):
    c = client_as("sekretaris")
    unggah(c, buku({"K6": "Ya", "K37": "C"}))
    assert c.get(IMPOR).status_code == 200
    jawab(dinsos, "A.I.1.a", "unit", "Tidak", user=users["sekretaris"])  # another tab, meanwhile
    r = c.post(IMPOR, {"aksi": "simpan"})
    assert r.status_code == 409
    assert "Data LKE berubah setelah pratinjau" in r.content.decode()
    assert JawabanLke.objects.get(unit=dinsos, soal=soal("A.I.1.a")).jawaban_unit == "Tidak"
    assert not JawabanLke.objects.filter(unit=dinsos, soal=soal("A.III.1.b")).exists()
    # the refreshed preview shows Tidak → Ya; saving it now is a conscious choice
    assert 'data-testid="perubahan-6-K"' in r.content.decode()
    r = c.post(IMPOR, {"aksi": "simpan"})
    assert r.status_code == 302
    assert JawabanLke.objects.get(unit=dinsos, soal=soal("A.I.1.a")).jawaban_unit == "Ya"


def test_galat_sel_tampil_di_halaman(client_as, rk26, dinsos):
    r = unggah(client_as("sekretaris"), buku({"K6": "Ya", "K37": "F", "K169": 2.5}))
    html = r.content.decode()
    assert r.status_code == 400
    assert "Baris 37 kolom K: &#x27;F&#x27; bukan pilihan A-D" in html
    assert "Baris 169 kolom K: &#x27;2.5&#x27; bukan bilangan bulat 0 atau lebih" in html
    assert 'name="berkas"' in html
    assert not JawabanLke.objects.filter(unit=dinsos).exists()


def test_tpi_mengimpor_kolom_tpi_lewat_halaman(client_as, rk26, dinsos, users):
    c = client_as("tpi")
    unggah(c, buku({"K6": "Ya", "N6": "Tidak"}))
    assert c.post(IMPOR, {"aksi": "simpan"}).status_code == 302
    j = JawabanLke.objects.get(unit=dinsos, soal=soal("A.I.1.a"))
    assert (j.jawaban_unit, j.jawaban_tpi) == ("", "Tidak")


@pytest.mark.parametrize("username, unduh, impor", [
    ("sekretaris", 200, 200), ("tpi", 200, 200), ("anggota1", 200, 403),
    ("kepaladinas", 200, 403), ("admin", 200, 403), ("sekretaris2", 404, 404)])
def test_hak_akses(client_as, rk26, dinsos, username, unduh, impor):
    c = client_as(username)
    r = c.get(URL + "lembar-kerja.xlsx")
    assert r.status_code == unduh
    if unduh == 200:
        assert r["Content-Type"] == LK.XLSX
        assert lembar(r.content)["A6"].value == "A.I.1.a"
    assert c.get(IMPOR).status_code == impor
    r = unggah(c, buku({"K6": "Ya"}))
    assert r.status_code == (302 if impor == 200 else impor)
    if impor != 200:
        assert not JawabanLke.objects.filter(unit=dinsos).exists()
        assert c.post(IMPOR, {"aksi": "simpan"}).status_code == impor
    if unduh == 200:  # the buttons on the LKE page
        html = c.get(URL).content.decode()
        assert 'data-testid="lembar-kerja-unduh"' in html
        assert ('data-testid="lembar-kerja-impor"' in html) == (impor == 200)


def test_anonim_ke_halaman_masuk(client, rk26):
    for url in (URL + "lembar-kerja.xlsx", IMPOR):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/masuk/")


# --- round trip and commands -------------------------------------------------------------

def _isi_semua(rk, lke, unit, users):
    """An answer and a note on both sides of every row, counts in the plan."""
    for s in SoalLke.objects.filter(komponen__area__lke=lke).select_related("jenis"):
        pilihan = list(s.jenis.nilai)
        if s.jenis.aturan == "pilihan":
            unit_, tpi = pilihan[s.baris_excel % len(pilihan)], pilihan[0]
        elif s.jenis.aturan == "survei":
            unit_, tpi = "3,6", "3.25"
        else:
            unit_, tpi = None, str(s.baris_excel % 5)
        if unit_ is not None:
            jawab(unit, s.kode, "unit", unit_, f"catatan unit {s.kode}\nbaris 2", users["sekretaris"])
        else:
            jawab(unit, s.kode, "unit", "", f"catatan unit {s.kode}", users["sekretaris"])
        jawab(unit, s.kode, "tpi", tpi, "=SUM(A1:A2)" if s.baris_excel == 9 else f"TPI {s.kode}",
              users["tpi"])
    bagian = ("sudah melaporkan", "selesai", "dipermudah", "tercapai", "diberikan sanksi",
              "sedang diproses", "tahun ini", "diintegrasikan")
    isi_angka(rk, lke, {i.label: 4 if any(b in i.label.lower() for b in bagian) else 10
                        for i in selectors.isian_rencana(rk, lke).values()}, users["sekretaris"])


def test_bolak_balik_sel_sama(rk26, lke26, dinsos, dinkes, rk_dinkes, users, tmp_path):
    _isi_semua(rk26, lke26, dinsos, users)
    a, b = tmp_path / "dinsos.xlsx", tmp_path / "dinkes.xlsx"
    out = io.StringIO()
    call_command("ekspor_lke", "--unit", "dinsos-mojokerto", "--tahun", "2026", "--out", str(a),
                 stdout=out)
    assert "ditulis" in out.getvalue()
    rk_dk = salin_rencana_kerja(sumber=rk_dinkes, unit=dinkes, tahun=2026)
    assert not selectors.isian_rencana(rk_dk, lke26)  # dinkes: counts typed in the LKE
    out = io.StringIO()
    call_command("impor_lke", "--unit", "dinkes-mojokerto", "--tahun", "2026", str(a), stdout=out)
    assert "isian disimpan sebagai admin" in out.getvalue()
    call_command("ekspor_lke", "--unit", "dinkes-mojokerto", "--tahun", "2026", "--out", str(b),
                 stdout=io.StringIO())
    wa, wb = lembar(a.read_bytes()), lembar(b.read_bytes())
    beda, diisi = [], 0
    for s in SoalLke.objects.filter(komponen__area__lke=lke26):
        for col in "KLNQ":  # M (evidence) differs: the units' approved files differ
            x, y = wa[f"{col}{s.baris_excel}"].value, wb[f"{col}{s.baris_excel}"].value
            diisi += x is not None
            if x != y or type(x) is not type(y):
                beda.append((s.baris_excel, col, x, y))
    assert beda == []
    assert diisi == 127 * 4
    assert wb["K169"].value == 10 and wb["K171"].value == 4 and wb["K199"].value == 3.6
    assert wb["Q9"].value == "=SUM(A1:A2)" and wb["Q9"].data_type == "s"
    # dinkes has no linked inputs: its counts are typed answers now
    assert JawabanLke.objects.get(unit=dinkes, soal=soal("B.V.2.angka.1")).jawaban_unit == "10"
    j = JawabanLke.objects.get(unit=dinkes, soal=soal("A.I.1.a"))
    assert (j.diisi_oleh, j.dinilai_oleh) == (users["admin"], users["admin"])
    # the same file again: nothing left to change
    out = io.StringIO()
    call_command("impor_lke", "--unit", "dinkes-mojokerto", "--tahun", "2026", str(a), "--coba",
                 stdout=out)
    assert "Tidak ada perubahan." in out.getvalue()


def test_perintah_impor_coba_hanya_mencetak(rk26, dinsos, tmp_path):
    f = tmp_path / "isi.xlsx"
    f.write_bytes(buku({"K6": "Ya", "N6": "Tidak", "K169": 3}))
    out = io.StringIO()
    call_command("impor_lke", "--unit", "dinsos-mojokerto", "--tahun", "2026", str(f), "--coba",
                 stdout=out)
    teks = out.getvalue()
    assert "Baris 6 A.I.1.a kolom K, Jawaban unit: '' → 'Ya'" in teks
    assert "Baris 6 A.I.1.a kolom N, Jawaban TPI: '' → 'Tidak'" in teks  # the Admin: TPI too
    assert "Baris 169 B.V.2.angka.1 kolom K, Isian angka rencana" in teks
    assert "Uji coba" in teks
    assert not JawabanLke.objects.filter(unit=dinsos).exists()
    call_command("impor_lke", "--unit", "dinsos-mojokerto", "--tahun", "2026", str(f),
                 stdout=io.StringIO())
    j = JawabanLke.objects.get(unit=dinsos, soal=soal("A.I.1.a"))
    assert (j.jawaban_unit, j.jawaban_tpi) == ("Ya", "Tidak")


def test_perintah_unit_atau_tahun_salah(db, tmp_path):
    f = tmp_path / "isi.xlsx"
    f.write_bytes(buku({}))
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("impor_lke", "--unit", "tidak-ada", "--tahun", "2026", str(f))
    with pytest.raises(CommandError, match="LKE tahun 2031 belum ada"):
        call_command("ekspor_lke", "--unit", "dinsos-mojokerto", "--tahun", "2031", "--out",
                     str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("impor_lke", "--unit", "dinsos-mojokerto", "--tahun", "2026",
                     str(tmp_path / "hilang.xlsx"))


def test_perintah_unit_tanpa_rencana_tahun_itu(dinkes, tmp_path):
    """No dinkes plan for 2026: typed answers only, counts typed too."""
    f = tmp_path / "isi.xlsx"
    f.write_bytes(buku({"K6": "Ya", "K169": 7, "N199": 3.5}))
    call_command("impor_lke", "--unit", "dinkes-mojokerto", "--tahun", "2026", str(f),
                 stdout=io.StringIO())
    out = tmp_path / "keluar.xlsx"
    call_command("ekspor_lke", "--unit", "dinkes-mojokerto", "--tahun", "2026", "--out", str(out),
                 stdout=io.StringIO())
    ws = lembar(out.read_bytes())
    assert (ws["K6"].value, ws["K169"].value, ws["N199"].value) == ("Ya", 7, 3.5)


def test_sel_kosong_tidak_menghapus_kecuali_diminta(rk26, lke26, dinsos, users, tmp_path):
    """A workbook the unit filled has no TPI columns: importing it (the command acts on both
    sides) keeps the TPI's answers, the other rows and the plan's counts. With --kosongkan,
    an empty cell empties what is saved."""
    jawab(dinsos, "A.I.1.a", "unit", "Ya", "SK ada", users["sekretaris"])
    jawab(dinsos, "A.I.1.a", "tpi", "Tidak", "belum ditandatangani", users["tpi"])
    jawab(dinsos, "A.I.2.a", "unit", "Ya", "", users["sekretaris"])
    isi_angka(rk26, lke26, {"Jumlah pengaduan masyarakat yang harus ditindaklanjuti": 8}, users["sekretaris"])
    f = tmp_path / "unit.xlsx"
    f.write_bytes(buku({"K6": "Tidak", "L6": "SK diperbarui"}))
    call_command("impor_lke", "--unit", "dinsos-mojokerto", "--tahun", "2026", str(f),
                 stdout=io.StringIO())
    j = JawabanLke.objects.get(unit=dinsos, soal=soal("A.I.1.a"))
    assert (j.jawaban_unit, j.catatan_unit, j.jawaban_tpi, j.catatan_tpi) == (
        "Tidak", "SK diperbarui", "Tidak", "belum ditandatangani")
    assert JawabanLke.objects.get(unit=dinsos, soal=soal("A.I.2.a")).jawaban_unit == "Ya"
    assert nilai_isian(rk26, lke26, "B.V.2.angka.1") == 8
    out = io.StringIO()
    call_command("impor_lke", "--unit", "dinsos-mojokerto", "--tahun", "2026", str(f),
                 "--kosongkan", "--coba", stdout=out)
    assert "Baris 6 A.I.1.a kolom N, Jawaban TPI: 'Tidak' → ''" in out.getvalue()
    assert "Baris 9 A.I.2.a kolom K, Jawaban unit: 'Ya' → ''" in out.getvalue()
    call_command("impor_lke", "--unit", "dinsos-mojokerto", "--tahun", "2026", str(f),
                 "--kosongkan", stdout=io.StringIO())
    assert JawabanLke.objects.get(unit=dinsos, soal=soal("A.I.2.a")).jawaban_unit == ""
    assert nilai_isian(rk26, lke26, "B.V.2.angka.1") is None


def test_catatan_banyak_baris_dari_browser_tidak_dianggap_berubah(rk26, lke26, dinsos, users):
    """A note typed in the browser (CRLF) and the same note in a cell (LF) are the same."""
    jawab(dinsos, "A.I.1.a", "unit", "Ya", "baris satu\r\nbaris dua", users["sekretaris"])
    assert JawabanLke.objects.get(unit=dinsos, soal=soal("A.I.1.a")).catatan_unit == (
        "baris satu\nbaris dua")
    baris = LK.baca(buku({"K6": "Ya", "L6": "baris satu\nbaris dua"}), lke26)
    assert LK.rencana(rk=rk26, lke=lke26, baris=baris, user=users["sekretaris"]) == []


def test_angka_rumus_excel_dibaca_dua_desimal(lke26):
    """An index computed by a formula in Excel (3.6000000000000005) is 3.6; 3.625 is refused
    with the reason."""
    baris = {b.kode: b for b in LK.baca(buku({"K199": 3.6000000000000005}), lke26)}
    assert baris["C.I.1"].jawaban_unit in ("3.6", "3,6")
    with pytest.raises(ValidationError) as e:
        LK.baca(buku({"K199": 3.625}), lke26)
    assert e.value.messages == [
        "Baris 199 kolom K: '3.625' bukan indeks antara 0 dan 4 dengan paling banyak dua desimal"]


def test_angka_ketikan_pindah_ke_isian_saat_rencana_dibuat(rk_dinsos, dinsos, users, tmp_path):
    """Counts imported while the unit had no plan that year are not hidden by the plan's
    empty inputs once a plan is copied in: they move into those inputs. Linking a row by
    hand to an input that already holds a count keeps the plan's count and the typed one
    in the note."""
    f = tmp_path / "isi.xlsx"
    # 110 harus ditindaklanjuti (row 169) 8, 112 selesai (row 171) 6; 88 agen (row 126) 4
    f.write_bytes(buku({"K169": 8, "K171": 6, "K126": 4}))
    call_command("impor_lke", "--unit", "dinsos-mojokerto", "--tahun", "2026", str(f),
                 stdout=io.StringIO())
    lke = lke_tahun(2026)
    sebelum = skor_rencana(RencanaKerja(unit=dinsos, tahun=2026), lke)[0]
    rk = salin_rencana_kerja(sumber=rk_dinsos, unit=dinsos, tahun=2026)
    assert [nilai_isian(rk, lke, k) for k in ("B.V.2.angka.1", "B.V.2.angka.3", "B.I.1.angka.1")
            ] == [8, 6, 4]
    assert not JawabanLke.objects.filter(unit=dinsos, soal__macam="angka").exclude(
        jawaban_unit="").exists()
    sesudah = skor_rencana(rk, lke)[0]
    assert (sesudah.total, sesudah.reform) == (sebelum.total, sebelum.reform)
    # by hand: the row unlinked, a count typed, linked again to the input holding 4
    agen = soal("B.I.1.angka.1")
    isian = TautanIsian.objects.get(soal=agen, rencana_kerja=rk).isian
    tautkan_isian(rk, agen, None)
    jawab(dinsos, "B.I.1.angka.1", "unit", "9", "", users["sekretaris"])
    tautkan_isian(rk, agen, isian)
    j = JawabanLke.objects.get(unit=dinsos, soal=agen)
    assert j.jawaban_unit == "" and "Jumlah “9” diketik di LKE" in j.catatan_unit
    assert nilai_isian(rk, lke, "B.I.1.angka.1") == 4


def test_perintah_pesan_indonesia_untuk_berkas_dan_folder_salah(rk26, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("impor_lke", "--unit", "dinsos-mojokerto", "--tahun", "2026",
                     str(tmp_path / "tidak-ada.xlsx"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="Tidak dapat menulis"):
        call_command("ekspor_lke", "--unit", "dinsos-mojokerto", "--tahun", "2026", "--out",
                     str(tmp_path / "tidak" / "ada" / "x.xlsx"), stdout=io.StringIO())


def test_indeks_disimpan_dengan_koma_dari_mana_pun(rk26, lke26, dinsos, users):
    LK.terapkan(rk=rk26, lke=lke26, user=users["sekretaris"], perubahan=LK.rencana(
        rk=rk26, lke=lke26, user=users["sekretaris"], baris=LK.baca(buku({"K199": 3.6}), lke26)))
    assert JawabanLke.objects.get(unit=dinsos, soal=soal("C.I.1")).jawaban_unit == "3,6"
