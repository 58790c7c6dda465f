"""Scoring guidance per question (what A, B, C ... mean): data the Admin fills or imports
as a spreadsheet (django-import-export), shown beside the question on the LKE page."""

import tablib

from lke.models import SoalLke
from lke.resources import PanduanResource

URL = "/lke/dinsos-mojokerto/2024/"


def _dataset(rows):
    kolom = ["tahun", "kode", "soal_id", "jenis", "teks", "petunjuk", "panduan Ya", "panduan Tidak",
             "panduan A", "panduan B", "panduan C", "panduan D", "panduan E"]
    return tablib.Dataset(*[[r.get(k, "") for k in kolom] for r in rows], headers=kolom)


def test_ekspor_memuat_setiap_soal_tahun_dengan_kolom_panduan(db):
    data = PanduanResource().export(queryset=PanduanResource().get_queryset().filter(
        komponen__area__lke__tahun=2024))
    assert len(data) == 127
    assert data.headers[:6] == ["tahun", "kode", "soal_id", "jenis", "teks", "petunjuk"]
    assert "panduan A" in data.headers and "panduan Tidak" in data.headers


def test_impor_panduan_hanya_mengubah_panduan_dan_tampil(client_as):
    hasil = PanduanResource().import_data(_dataset([
        {"tahun": 2024, "kode": "A.I.3.b", "teks": "teks diabaikan", "petunjuk": "Lihat SK",
         "panduan A": "Monev dilakukan tiap bulan", "panduan D": "Tidak ada monev"},
        {"tahun": 2024, "kode": "A.I.1.a", "panduan Ya": "SK ditandatangani kepala unit"},
    ]), dry_run=False)
    assert not hasil.has_errors() and not hasil.has_validation_errors()
    s = SoalLke.objects.get(komponen__area__lke__tahun=2024, kode="A.I.3.b")
    assert s.panduan == {"A": "Monev dilakukan tiap bulan", "D": "Tidak ada monev"}
    assert s.petunjuk == "Lihat SK" and s.teks != "teks diabaikan"
    html = client_as("sekretaris").get(URL).content.decode()
    assert "Panduan penilaian" in html and "Monev dilakukan tiap bulan" in html
    # in the answer type's order
    assert html.index("Monev dilakukan tiap bulan") < html.index("Tidak ada monev")


def test_impor_panduan_salah_ditolak_tanpa_mengubah_apa_pun(db):
    sebelum = list(SoalLke.objects.values_list("pk", "panduan"))
    hasil = PanduanResource().import_data(_dataset([
        {"tahun": 2024, "kode": "A.I.1.a", "panduan Ya": "boleh"},
        {"tahun": 2024, "kode": "A.I.3.b", "panduan E": "A-D tidak punya E"},   # wrong choice
        {"tahun": 2024, "kode": "Z.9.9.z", "panduan A": "tidak ada"},           # unknown question
    ]), dry_run=False, use_transactions=True, rollback_on_validation_errors=True)
    assert hasil.has_errors() or hasil.has_validation_errors()
    pesan = " ".join(str(e.error) for row in hasil.rows for e in row.errors) + " ".join(
        str(m) for r in hasil.invalid_rows for ms in r.error_dict.values() for m in ms)
    assert "tidak ada pilihan E" in pesan or "Z.9.9.z" in pesan
    assert list(SoalLke.objects.values_list("pk", "panduan")) == sebelum
