"""The seed plan is in the app, whole and in the seed's wording."""

import re
from collections import Counter
from pathlib import Path

from django.conf import settings

from rencana_aksi.models import AreaRencana, BuktiDukung, Isian, RencanaAksi
from rencana_aksi.selectors import rencana_kerja_sebagai_data

SEED = Path(settings.BASE_DIR) / "fixtures" / "sumber" / "seed_rencana_kerja_dinsos_mojokerto_2024.txt"
FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "rencana_kerja_dinsos_mojokerto_2024.yaml"

EXPECTED_KOMPONEN = {
    "A": {"I": 4, "II": 3, "III": 6, "IV": 2, "V": 5, "VI": 5},
    "B": {"I": 3, "II": 3, "III": 3, "IV": 3, "V": 3, "VI": 2},
}


# The structure of the seed as proof-read against the PDF text (docs/catatan-seed.md):
# bagian, area, komponen nomor, its name (start), indikator, rencana aksi, bukti dukung of
# the actions, numeric sub-rows. A row read into the wrong komponen changes a count here.
STRUKTUR = [
    ("A", "I", 1, "Tim Kerja", 1, 2, 1, 0),
    ("A", "I", 2, "Dokumen Rencana Kerja ZI", 1, 3, 3, 0),
    ("A", "I", 3, "Pemantauan dan evaluasi pembangunan WBK/", 1, 3, 3, 0),
    ("A", "I", 4, "Perubahan pola piker dan budaya kerja", 4, 4, 6, 0),
    ("A", "II", 1, "Prosedur Operasional (SOP)", 3, 3, 4, 0),
    ("A", "II", 2, "Sistem Pemerintahan Berbasik Elektronik ", 4, 4, 4, 0),
    ("A", "II", 3, "Keterbukaan informasi publik", 2, 2, 2, 0),
    ("A", "III", 1, "Perencanaan Kebutuhan Pegawai sesuai keb", 3, 3, 3, 0),
    ("A", "III", 2, "Pola Mutasi Internal", 3, 3, 3, 0),
    ("A", "III", 3, "Pengembangan pegawai berbasis kompetensi", 6, 6, 7, 0),
    ("A", "III", 4, "Penetapan Kinerja Individu", 4, 4, 4, 0),
    ("A", "III", 5, "Penegakan Aturan Disiplin/Kode Etik/Kode", 1, 1, 1, 0),
    ("A", "III", 6, "Sistem Infoemasi Kepegawaian", 1, 1, 1, 0),
    ("A", "IV", 1, "Keterlibatan Pimpinan", 3, 3, 3, 0),
    ("A", "IV", 2, "Pengelolaan Akuntabilitas Kinerja", 8, 8, 10, 0),
    ("A", "V", 1, "Pengendalian Gratifikasi", 2, 2, 2, 0),
    ("A", "V", 2, "Penerapan Sistem Pengendalian Intern Pem", 4, 4, 5, 0),
    ("A", "V", 3, "Pengaduan Masyarakat", 4, 4, 4, 0),
    ("A", "V", 4, "Whistle Blowing System", 3, 3, 3, 0),
    ("A", "V", 5, "Penanganan Benturan Kepentingan", 5, 5, 5, 0),
    ("A", "VI", 1, "Standar Pelayanan", 4, 4, 4, 0),
    ("A", "VI", 2, "Budaya Pelayanan Prima", 6, 6, 6, 0),
    ("A", "VI", 3, "Pengelolaan Pengaduan", 3, 3, 3, 0),
    ("A", "VI", 4, "Penilaian Kepuasan Terhadap Pelayanan", 3, 3, 3, 0),
    ("A", "VI", 5, "Pemanfaatan Teknologi Informasi", 3, 3, 3, 0),
    ("B", "I", 1, "Komitmen Dalam Perubahan", 2, 2, 2, 4),
    ("B", "I", 2, "Komitmen Pimpinan", 1, 1, 1, 0),
    ("B", "I", 3, "Membangun Budaya Kerja", 1, 1, 1, 0),
    ("B", "II", 1, "Peta Proses Bisnis Mempengaruhi Penyeder", 1, 1, 1, 0),
    ("B", "II", 2, "Sistem Pemerintahan Berbasis Elektronik ", 2, 2, 2, 0),
    ("B", "II", 3, "Transformasi Digital Memberi Nilai Manfa", 3, 3, 3, 0),
    ("B", "III", 1, "Kinerja Individu", 1, 1, 1, 0),
    ("B", "III", 2, "Assessment Pegawai", 1, 1, 1, 0),
    ("B", "III", 3, "Pelanggaran Disiplin Pegawai", 1, 1, 1, 3),
    ("B", "IV", 1, "Meningkatnya capaian kinerja unit kerja", 1, 1, 1, 2),  # +LKE
    ("B", "IV", 2, "Pemberian Reward and Punishment", 1, 1, 1, 0),
    ("B", "IV", 3, "Kerangka Logis Kinerja", 1, 1, 1, 0),
    ("B", "V", 1, "Mekanisme Pengendalian", 1, 1, 1, 0),
    ("B", "V", 2, "Penanganan Pengaduan Masyarakat", 1, 1, 1, 3),
    ("B", "V", 3, "Penyampaian Laporan Harta Kekayaan", 2, 2, 2, 12),
    ("B", "VI", 1, "Upaya dan/atau Inovasi Pelayanan Publik", 2, 2, 2, 2),
    ("B", "VI", 2, "Penanganan Pengaduan Pelayanan dan Konsu", 1, 1, 1, 0),
]


def test_structure_of_every_komponen(rk_dinsos):
    data = rencana_kerja_sebagai_data(rk_dinsos)
    got = []
    for b in data["bagian"]:
        for a in b["area"]:
            for k in a["komponen"]:
                inds = k["indikator"]
                got.append((b["kode"], a["kode"], k["nomor"], k["nama"][:40], len(inds),
                            sum(len(i["rencana_aksi"]) for i in inds),
                            sum(len(r["bukti_dukung"]) for i in inds for r in i["rencana_aksi"]),
                            sum(len(i["isian"]) for i in inds)))
    assert got == STRUKTUR


def test_komponen_per_area(rk_dinsos):
    got = {}
    for ar in AreaRencana.objects.filter(rencana_kerja=rk_dinsos).select_related("bagian", "area"):
        got.setdefault(ar.bagian.kode, {})[ar.area.kode] = ar.komponen.count()
    assert got == EXPECTED_KOMPONEN


def test_totals(rk_dinsos):
    data = rencana_kerja_sebagai_data(rk_dinsos)
    c = Counter()
    for b in data["bagian"]:
        for a in b["area"]:
            for k in a["komponen"]:
                c["komponen"] += 1
                for ind in k["indikator"]:
                    c["indikator"] += 1
                    c["isian"] += len(ind["isian"])
                    for ra in ind["rencana_aksi"]:
                        c["rencana_aksi"] += 1
                        c["bukti_dukung"] += len(ra["bukti_dukung"])
    # isian: the 24 of the seed and the two B.IV.1 counts of the LKE (docs/catatan-seed.md)
    assert c == Counter(komponen=42, indikator=105, rencana_aksi=110, bukti_dukung=116, isian=26)
    assert BuktiDukung.objects.filter(rencana_aksi__in=RencanaAksi.objects.milik_unit(
        rk_dinsos.unit)).count() == 116 + 6  # 6 more belong to numeric sub-rows


def test_headings_keep_the_seeds_text(rk_dinsos):
    judul = dict(
        AreaRencana.objects.filter(rencana_kerja=rk_dinsos)
        .values_list("bagian__kode", "area__kode").annotate().values_list("area__kode", "judul")
        .filter(bagian__kode="A")
    )
    assert judul["III"] == "PENATAAN SISTEM MANAJEMEN SDM APRATUR"
    assert judul["V"] == "PENGUATAN DAN PENGAWASAN"


def test_sample_rows(rk_dinsos):
    ra = RencanaAksi.objects.milik_unit(rk_dinsos.unit).get(
        teks="Pembentukan Tim Kerja ZI dalam unit kerja")
    assert ra.target_waktu == "Februari 2024"
    assert [b.nama for b in ra.bukti_dukung.all()] == ["SK Tim Kerja ZI"]
    assert ra.indikator.komponen.nama == "Tim Kerja"

    # a row that shares the merged target cell above it
    ra = RencanaAksi.objects.milik_unit(rk_dinsos.unit).get(
        teks="Menentukan rencana aksi tahun 2024")
    assert ra.target_waktu == "Februari – Maret 2024"
    assert [str(t) for t in ra.target_bulan.all()] == ["2024-02", "2024-03"]

    # an action with several bukti dukung
    ra = RencanaAksi.objects.milik_unit(rk_dinsos.unit).get(
        teks__startswith="Mensosialisasikan kepada seluruh pegawai")
    assert [b.nama for b in ra.bukti_dukung.all()] == [
        "Bukti publikasi pembangunan ZI (banner, SS website unit kerja)",
        "Notulen sosialisasi pembangunan ZI internal",
    ]

    # the target that crosses a year
    ra = RencanaAksi.objects.milik_unit(rk_dinsos.unit).filter(
        target_waktu="November – Desember 2023, Januari 2024").first()
    assert [str(t) for t in ra.target_bulan.all()] == ["2023-11", "2023-12", "2024-01"]


def test_numeric_sub_rows(rk_dinsos):
    isian = Isian.objects.filter(indikator__komponen__area_rencana__rencana_kerja=rk_dinsos)
    labels = {s.label: s.jenis for s in isian}
    assert labels["Jumlah pelanggaran tahun ini"] == "jumlah"
    assert labels["Jumlah pelanggaran tahun sebelumnya"] == "jumlah"
    assert labels["Jumlah agen perubahan"] == "jumlah"
    assert labels["Persentase penyampaian LHKPN"] == "persentase"
    assert labels["Jumlah perijinan/pelayanan yang telah dipermudah"] == "jumlah"
    lhkasn = isian.get(label="Pejabat administrator (eselon III)")
    assert [b.nama for b in lhkasn.bukti_dukung.all()] == ["Bukti lapor SPT Sekretaris, kepala bidang"]


def test_event_driven_and_unreadable_targets(rk_dinsos):
    qs = RencanaAksi.objects.milik_unit(rk_dinsos.unit)
    ra = qs.filter(target_waktu="Mei 2024, setiap ada pertemuan").first()
    assert ra.per_kejadian and [str(t) for t in ra.target_bulan.all()] == ["2024-05"]
    flagged = set(qs.filter(target_terbaca=False).values_list("target_waktu", flat=True))
    assert flagged == {"Sesuai surat edaran Pemda", "Dokumen RTP direvisi sesuai petunjuk auditor."}
    assert all(r.perlu_atur_bulan for r in qs.filter(target_terbaca=False))


def test_front_and_back_matter(rk_dinsos):
    assert rk_dinsos.pendahuluan.startswith("BAB I")
    assert "1.2 Dasar Hukum" in rk_dinsos.pendahuluan
    assert "2.2 Proses Pembangunan Zona Integritas Menuju WBK/WBBM" in rk_dinsos.pendahuluan
    assert len(rk_dinsos.mekanisme_penetapan_tim) == 7
    assert rk_dinsos.mekanisme_penetapan_tim[4] == (
        "Kepala Dinas menetapkan melalui “Keputusan” Tim Zona Integritas.")
    assert len(rk_dinsos.target_prioritas) == 15
    assert rk_dinsos.target_prioritas[-1] == "Pelaporan kegiatan TIM ZI"


def _words(text):
    return re.findall(r"[0-9a-z]+", text.lower())


def test_every_word_of_the_seed_table_is_in_the_fixture():
    """Faithfulness net: each word of BAB III (page headers aside) is in the data file."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.strip() == "BAB III")
    end = next(i for i, ln in enumerate(lines) if ln.strip().startswith("Lampiran 1"))
    header = {"no", "komponen", "indikator", "rencana", "aksi", "bukti", "dukung", "target",
              "waktu", "bab", "iii", "pembangunan", "zona", "integritas"}
    seed_words = Counter(w for ln in lines[start:end] for w in _words(ln)) - Counter()
    fixture_words = set(_words(FIXTURE.read_text(encoding="utf-8")))
    missing = {w for w in seed_words if w not in fixture_words and w not in header}
    assert missing == set()
