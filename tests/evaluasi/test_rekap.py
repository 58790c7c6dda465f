"""`rekap_evaluasi` prints the contract's JSON, with the scores of lke's one scoring rule."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from lke import selectors
from lke.selectors import lke_tahun, skor_rencana
from lke.services import simpan_jawaban

from ..lke.test_lembar_kerja import isi_angka
from .test_ajukan import soal


def rekap(tahun=2024):
    out = io.StringIO()
    call_command("rekap_evaluasi", tahun=tahun, stdout=out)
    return json.loads(out.getvalue())


def test_rekap_sama_dengan_skor_lke(putaran, users, dinsos, rk_dinsos):
    for kode, unit, tpi in [("A.I.1.a", "Ya", "Tidak"), ("A.I.1.b", "A", ""),
                            ("C.II.1", "3,6", "3,2"), ("C.I.1", "3.7", "")]:
        simpan_jawaban(user=users["sekretaris"], unit=dinsos, soal=soal(kode), sisi="unit",
                       jawaban=unit, catatan="", versi=0)
        if tpi:
            simpan_jawaban(user=users["tpi"], unit=dinsos, soal=soal(kode), sisi="tpi",
                           jawaban=tpi, catatan="", versi=0)
    data = rekap()
    assert [r["unit"] for r in data] == ["dinkes-mojokerto", "dinsos-mojokerto"]
    assert all(set(r) == {"unit", "skor_unit", "skor_tpi", "WBK", "WBBM",
                          "dikembalikan_terbuka"} for r in data)
    baris = data[1]
    skor = skor_rencana(rk_dinsos)[0]  # what hitung_lke and the LKE page compute
    assert baris["skor_tpi"] == float(skor.total)
    assert baris["skor_unit"] == float(skor.total_unit)
    out = io.StringIO()
    call_command("hitung_lke", unit="dinsos-mojokerto", tahun=2024, stdout=out)
    hitung = json.loads(out.getvalue())
    assert (baris["skor_tpi"], baris["skor_unit"]) == (hitung["total"], hitung["total_unit"])
    # by hand: unit A.I.1 (0.5) = (1 + 1) / 2 x 0.5 = 0.5; IPKP 3.6 / 4 x 17.5 = 15.75;
    # IPAK 3.7 / 4 x 17.5 = 16.19 (16.1875); TPI: A.I.1 = (0 + 1) / 2 x 0.5 = 0.25, IPKP 14
    assert (baris["skor_unit"], baris["skor_tpi"]) == (32.44, 30.44)
    assert baris["WBK"] is skor.predikat["WBK"].lulus is False
    assert baris["WBBM"] is False and baris["dikembalikan_terbuka"] == 0
    assert data[0] == {"unit": "dinkes-mojokerto", "skor_unit": 0.0, "skor_tpi": 0.0,
                       "WBK": False, "WBBM": False, "dikembalikan_terbuka": 0}


def test_rekap_dengan_angka_dari_rencana(putaran, users, dinsos, rk_dinsos):
    """Count rows filled from the plan's numeric inputs score in the rekap as in
    hitung_lke (the path where many plans are scored at once)."""
    lke = lke_tahun(2024)
    isian = selectors.isian_rencana(rk_dinsos, lke)
    assert isian  # the seed plan has count rows linked to its numeric inputs
    bagian = ("sudah melaporkan", "selesai", "dipermudah", "tercapai", "diberikan sanksi",
              "sedang diproses", "tahun ini", "diintegrasikan")  # parts no larger than wholes
    isi_angka(rk_dinsos, lke, {i.label: 4 if any(b in i.label.lower() for b in bagian) else 10
                               for i in isian.values()}, users["sekretaris"])
    out = io.StringIO()
    call_command("hitung_lke", unit="dinsos-mojokerto", tahun=2024, stdout=out)
    hitung = json.loads(out.getvalue())
    assert hitung["total_unit"] > 0
    baris = {r["unit"]: r for r in rekap()}["dinsos-mojokerto"]
    assert (baris["skor_tpi"], baris["skor_unit"]) == (hitung["total"], hitung["total_unit"])


def test_unit_tidak_aktif_tidak_direkap(client_as, putaran, dinkes):
    """Command and page list the same units: a deactivated one is in neither."""
    dinkes.is_active = False
    dinkes.save()
    assert [r["unit"] for r in rekap()] == ["dinsos-mojokerto"]
    assert _baris(client_as("admin").get(URL).content.decode()) == ["dinsos-mojokerto"]


def test_rekap_tanpa_putaran_atau_lke(db):
    with pytest.raises(CommandError, match="Putaran evaluasi tahun 2019"):
        rekap(2019)


# --- the rekap page -----------------------------------------------------------------------

URL = "/evaluasi/2024/rekap/"


def _baris(html):
    import re

    return re.findall(r'<tr data-testid="rekap-([a-z0-9-]+)"', html)


def test_halaman_rekap_sama_dengan_perintah(client_as, putaran, users, dinsos):
    simpan_jawaban(user=users["sekretaris"], unit=dinsos, soal=soal("C.II.1"), sisi="unit",
                   jawaban="3,6", catatan="", versi=0)
    html = client_as("admin").get(URL).content.decode()
    assert _baris(html) == ["dinkes-mojokerto", "dinsos-mojokerto"]  # by name
    assert '<td class="text-end" data-testid="skor-unit">15,75</td>' in html
    assert 'data-testid="predikat-WBK"' in html and 'data-testid="usulkan-WBK"' in html
    assert {r["unit"]: r["skor_tpi"] for r in rekap()}["dinsos-mojokerto"] == 15.75
    turun = client_as("admin").get(URL, {"urut": "skor_tpi", "turun": "1"}).content.decode()
    assert _baris(turun) == ["dinsos-mojokerto", "dinkes-mojokerto"]


@pytest.mark.parametrize("q", [{"urut": "<script>"}, {"urut": "\x00"}, {"turun": "x" * 500},
                               {"urut": "skor_unit", "turun": "bukan"}])
def test_masukan_liar_bukan_500(client_as, putaran, q):
    r = client_as("admin").get(URL, q)
    assert r.status_code == 200 and len(_baris(r.content.decode())) == 2


def test_xlsx_rekap(client_as, putaran, users, dinsos):
    from openpyxl import load_workbook

    simpan_jawaban(user=users["sekretaris"], unit=dinsos, soal=soal("C.II.1"), sisi="unit",
                   jawaban="3,6", catatan="", versi=0)
    r = client_as("admin").get("/evaluasi/2024/rekap.xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = {row[0]: row for row in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["dinsos-mojokerto"][2:5] == (15.75, 15.75, 0.0)
    assert rows["dinsos-mojokerto"][5] == "belum" and rows["dinkes-mojokerto"][9] == 0


def test_hak_lihat_rekap(client_as, putaran):
    from django.test import Client

    html = client_as("tpi").get(URL).content.decode()
    assert _baris(html) == ["dinsos-mojokerto"]  # only its units
    assert 'data-testid="usulkan-WBK"' not in html
    assert client_as("tpi").post(URL, {"unit": "dinsos-mojokerto", "kategori": "WBK"}
                                 ).status_code == 403
    for nama in ("sekretaris", "kepaladinas", "anggota1"):
        assert client_as(nama).get(URL).status_code == 403
    assert Client().get(URL).status_code == 302
    assert client_as("admin").get("/evaluasi/2019/rekap/").status_code == 404


def test_usulkan_hanya_yang_lulus(client_as, putaran, monkeypatch):
    from evaluasi.rekap import BarisRekap
    from lke.models import Pengusulan

    c = client_as("admin")
    r = c.post(URL, {"unit": "dinsos-mojokerto", "kategori": "WBK"}, follow=True)
    assert "belum memenuhi semua kriteria WBK" in r.content.decode()
    assert not Pengusulan.objects.exists()
    monkeypatch.setattr(BarisRekap, "lulus", lambda self, k: True)
    r = c.post(URL, {"unit": "dinsos-mojokerto", "kategori": "WBK"}, follow=True)
    assert "diusulkan sebagai WBK 2024" in r.content.decode()
    u = Pengusulan.objects.get()
    assert (u.unit.kode, u.tahun, u.kategori) == ("dinsos-mojokerto", 2024, "WBK")
    assert 'data-testid="diusulkan">WBK<' in r.content.decode()
    r = c.post(URL, {"unit": "dinsos-mojokerto", "kategori": "WBBM"}, follow=True)
    assert "sudah diusulkan" in r.content.decode() and Pengusulan.objects.count() == 1
    for data in ({"unit": "dinsos-mojokerto", "kategori": "X"}, {"unit": "\x00"},
                 {"unit": "bappeda", "kategori": "WBK"}, {}):
        assert c.post(URL, data, follow=True).status_code == 200
    assert Pengusulan.objects.count() == 1


def test_kueri_rekap_tidak_tumbuh(client_as, putaran, dinkes, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from evaluasi.models import PenugasanTPI, PesertaEvaluasi
    from organisasi.models import UnitKerja

    c = client_as("admin")
    c.get(URL)
    with CaptureQueriesContext(connection) as dua:
        c.get(URL)
    for i in range(3):
        u = UnitKerja.objects.create(kode=f"unit-{i}", nama=f"Unit {i}")
        p = PesertaEvaluasi.objects.create(putaran=putaran, unit=u)
        PenugasanTPI.objects.create(peserta=p, user=users["tpi"], ketua=True)
    with CaptureQueriesContext(connection) as lima:
        html = c.get(URL).content.decode()
    assert len(_baris(html)) == 5 and len(lima) <= len(dua) + 1
