"""The migration to the official LKE (lke 0004-0007) on a database filled by the previous
version: an LKE 2024 built from the old data file, linked to the seed plan, with answers
and notes on both sides. Nothing answered may be lost."""

import io
from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lke.models import JawabanLke, KriteriaPredikat, LembarKerja, RumusLke, SoalLke, TautanIsian, TautanSoal
from lke.selectors import skor_rencana
from lke.tautan import teks_dasar
from organisasi.models import UnitKerja
from rencana_aksi.models import Isian, RencanaKerja

LAMA = ("lke", "0003_pengusulan_tahun")
DATA_LAMA = Path(__file__).parent / "data" / "lke-sebelum-resmi.yaml"
SASARAN = ["Jumlah Sasaran Kinerja", "Jumlah Sasaran Kinerja yang tercapai 100% atau lebih"]


def _ke(target):
    ex = MigrationExecutor(connection)
    ex.loader.build_graph()
    ex.migrate(target)
    ex.loader.build_graph()
    return ex.loader.project_state(target).apps


def _lke_lama(apps, rk_pk):
    """The LKE 2024 as the previous version seeded it, linked by text to the seed plan."""
    m = {n: apps.get_model("lke", n) for n in (
        "LembarKerja", "JenisJawaban", "AreaLke", "KomponenLke", "SoalLke", "KriteriaPredikat",
        "TautanSoal", "JawabanLke")}
    Area = apps.get_model("rencana_aksi", "Area")  # noqa: N806
    Indikator = apps.get_model("rencana_aksi", "Indikator")  # noqa: N806
    m["JawabanLke"].objects.all().delete()
    m["TautanSoal"].objects.all().delete()
    for lke in m["LembarKerja"].objects.all():
        m["SoalLke"].objects.filter(komponen__area__lke=lke).delete()
        lke.delete()
    data = yaml.safe_load(DATA_LAMA.read_text(encoding="utf-8"))
    master = {a.kode: a for a in Area.objects.all()}
    lke = m["LembarKerja"].objects.create(tahun=2024, nama=data["nama"])
    jenis = {j["kode"]: m["JenisJawaban"].objects.create(lke=lke, kode=j["kode"], nama=j["nama"],
                                                          aturan=j["aturan"], nilai=j["nilai"])
             for j in data["jenis_jawaban"]}
    soal, urutan = {}, 0
    for b in data["bagian"]:
        for a in b["areas"]:
            urutan += 1
            kode = f"{b['kode']}.{a.get('area') or a.get('kode')}"
            area = m["AreaLke"].objects.create(
                lke=lke, bagian=b["bagian"], kode=kode, nama=a["nama"], bobot=D(a["bobot"]),
                urutan=urutan, area=master[a["area"]] if a.get("area") else None)
            for k in a["komponen"]:
                kom = m["KomponenLke"].objects.create(
                    area=area, kode=f"{kode}.{k['nomor']}", nomor=k["nomor"], nama=k["nama"],
                    bobot=D(k["bobot"]), bobot_perkiraan=k.get("bobot_perkiraan", False))
                for i, s in enumerate(k["soal"], start=1):
                    soal[f"{kom.kode}.{i}"] = m["SoalLke"].objects.create(
                        komponen=kom, kode=f"{kom.kode}.{i}", urutan=i, teks=s["teks"],
                        jenis=jenis[s["jenis"]], soal_id="")
    for i, kr in enumerate(data["kriteria"]):
        m["KriteriaPredikat"].objects.create(
            lke=lke, predikat=kr["predikat"], nama=kr["nama"], jenis=kr["jenis"], urutan=i,
            area=master[kr["area"]] if kr.get("area") else None, kode=kr.get("kode", ""),
            batas=D(kr["batas"]))
    for s in soal.values():
        a = s.komponen.area
        if a.bagian == "hasil":
            continue
        ind = Indikator.objects.filter(
            komponen__area_rencana__rencana_kerja_id=rk_pk, komponen__nomor=s.komponen.nomor,
            komponen__area_rencana__area__kode=a.area.kode,
            komponen__area_rencana__bagian__kode=a.kode[0], urutan=s.urutan).first()
        if ind is not None and teks_dasar(ind.teks) == teks_dasar(s.teks):
            m["TautanSoal"].objects.create(soal=s, indikator=ind)
    return m, soal


@pytest.mark.migrasi
@pytest.mark.django_db(transaction=True)
def test_lke_lama_menjadi_resmi_tanpa_kehilangan_jawaban():
    # it runs after the browser tests, which flush the database: the demo data again
    call_command("siapkan_demo", verbosity=0, stdout=io.StringIO())
    dinsos = UnitKerja.objects.get(kode="dinsos-mojokerto")
    rk = RencanaKerja.objects.get(unit=dinsos, tahun=2024)
    # the plan as the previous version had it: no B.IV.1 counts
    Isian.objects.filter(label__in=SASARAN).delete()
    apps = _ke([LAMA])
    m, soal = _lke_lama(apps, rk.pk)
    assert len(soal) == 108 and m["TautanSoal"].objects.count() == 105

    def jawab(kode, **f):
        m["JawabanLke"].objects.create(unit_id=dinsos.pk, soal=soal[kode], **f)

    jawab("A.I.1.1", jawaban_unit="Ya", catatan_unit="SK nomor 12", jawaban_tpi="Tidak",
          catatan_tpi="belum ditandatangani")
    jawab("A.I.4.2", jawaban_unit="Ya", catatan_unit="agen ditetapkan")      # -> A-C
    jawab("A.I.4.4", jawaban_unit="Tidak")                                 # -> A-D
    jawab("B.I.2.1", jawaban_unit="B", catatan_unit="komitmen")            # A-E stays A-E
    jawab("B.II.1.1", jawaban_unit="B", catatan_tpi="cek peta")            # A-E -> A-D
    jawab("B.V.2.1", jawaban_unit="75", catatan_unit="rekap pengaduan")    # -> count rows
    jawab("C.1.1.1", jawaban_unit="3,6", jawaban_tpi="3,4")                # IPAK

    _ke(MigrationExecutor(connection).loader.graph.leaf_nodes())

    lke = LembarKerja.objects.get(tahun=2024)
    assert SoalLke.objects.filter(komponen__area__lke=lke).count() == 127
    assert not SoalLke.objects.filter(komponen__area__lke=lke, soal_id__isnull=False).exists()
    assert RumusLke.objects.filter(komponen__area__lke=lke).count() == 8
    bobot = dict(lke.areas.values_list("komponen__kode", "komponen__bobot"))
    assert (bobot["A.II.2"], bobot["B.I.1"], bobot["B.VI.1"]) == (D("2"), D("2"), D("2.5"))
    assert set(KriteriaPredikat.objects.filter(lke=lke).exclude(kode="").values_list(
        "kode", flat=True)) == {"C.I", "C.I.1", "C.I.2", "C.II.1"}
    j = {x.soal.kode: x for x in JawabanLke.objects.filter(unit=dinsos).select_related("soal")}
    assert len(j) == 7
    a = j["A.I.1.a"]
    assert (a.jawaban_unit, a.catatan_unit, a.jawaban_tpi, a.catatan_tpi) == (
        "Ya", "SK nomor 12", "Tidak", "belum ditandatangani")
    # a changed type converts where the value is the same, and says so in the note
    assert j["A.I.4.b"].jawaban_unit == "A" and j["A.I.4.b"].catatan_unit.startswith("agen ditetapkan\n")
    assert "“Ya” (Ya / Tidak) menjadi “A”" in j["A.I.4.b"].catatan_unit
    assert j["A.I.4.d"].jawaban_unit == "D"
    assert (j["B.I.2.a"].jawaban_unit, j["B.I.2.a"].catatan_unit) == ("B", "komitmen")
    # no same value: emptied, the old answer kept in the note
    b = j["B.II.1.a"]
    assert b.jawaban_unit == "" and "jawaban lama “B”" in b.catatan_unit and b.catatan_tpi == "cek peta"
    # a question that became count rows: its percentage is not a count, kept as a note
    c = j["B.V.2.angka.1"]
    assert c.jawaban_unit == "" and "rekap pengaduan" in c.catatan_unit and "“75”" in c.catatan_unit
    assert (j["C.I.1"].jawaban_unit, j["C.I.1"].jawaban_tpi) == ("3,6", "3,4")
    # links kept, count rows linked to the plan's inputs, B.IV.1's counts added
    assert TautanSoal.objects.filter(indikator__komponen__area_rencana__rencana_kerja=rk).count() == 97
    assert TautanIsian.objects.filter(rencana_kerja=rk).count() == 22
    assert set(Isian.objects.filter(label__in=SASARAN).values_list("label", flat=True)) == set(SASARAN)
    # run again (back to 0006 and forward): an official LKE is left as it is
    sebelum = sorted(JawabanLke.objects.values_list("soal__kode", "jawaban_unit", "catatan_unit",
                                                    "jawaban_tpi", "catatan_tpi"))
    _ke([("lke", "0006_soal_id_bilangan")])
    _ke(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert sorted(JawabanLke.objects.values_list("soal__kode", "jawaban_unit", "catatan_unit",
                                                 "jawaban_tpi", "catatan_tpi")) == sebelum
    skor = skor_rencana(rk)[0]
    # IPAK by the TPI: 3.4 / 4 x 17.5 = 14.875 -> 14.88; Tim Kerja (A.I.1, 0.5, two questions):
    # the TPI's Tidak -> 0
    kom = {k.komponen.kode: k for a in skor.areas for k in a.komponen}
    assert kom["C.I.1"].nilai == D("14.88") and kom["A.I.1"].nilai == 0
