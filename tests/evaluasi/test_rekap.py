"""`rekap_evaluasi` prints the contract's JSON, with the scores of lke's one scoring rule."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from lke.selectors import skor_rencana
from lke.services import simpan_jawaban

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
    # by hand: unit A.I.1 (0.5) = (1 + 1) / 2 x 0.5 = 0.5; IPKP 3.6 / 4 x 17.5 = 15.75;
    # IPAK 3.7 / 4 x 17.5 = 16.19 (16.1875); TPI: A.I.1 = (0 + 1) / 2 x 0.5 = 0.25, IPKP 14
    assert (baris["skor_unit"], baris["skor_tpi"]) == (32.44, 30.44)
    assert baris["WBK"] is skor.predikat["WBK"].lulus is False
    assert baris["WBBM"] is False and baris["dikembalikan_terbuka"] == 0
    assert data[0] == {"unit": "dinkes-mojokerto", "skor_unit": 0.0, "skor_tpi": 0.0,
                       "WBK": False, "WBBM": False, "dikembalikan_terbuka": 0}


def test_rekap_tanpa_putaran_atau_lke(db):
    with pytest.raises(CommandError, match="Putaran evaluasi tahun 2019"):
        rekap(2019)
