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
    assert c == Counter(komponen=42, indikator=105, rencana_aksi=110, bukti_dukung=116, isian=24)
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
