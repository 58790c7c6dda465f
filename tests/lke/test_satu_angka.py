"""One scoring function, one set of numbers: for answers drawn at random (choice letters,
counts in the plan and typed, survey indices, TPI overrides), the LKE page, `hitung_lke`,
the LKE XLSX, the semester report's LKE chapter and the Admin's proposals page show the
same total, parts and komponen values, and the official workbook and PortalRB carry the
same answers and counts the page scored (Hypothesis)."""

import io
import json
import re
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from bukti_dukung.models import NilaiIsian
from laporan.selectors import isi_laporan
from lke import lembar_kerja
from lke.models import JawabanLke, Kategori, Pengusulan, SoalLke, TautanIsian, TokenApi
from lke.selectors import skor_rencana
from rencana_aksi.services import salin_rencana_kerja

TAHUN = 2026
URL = f"/lke/dinsos-mojokerto/{TAHUN}/"


@pytest.fixture
def rk2026(rk_dinsos):
    return salin_rencana_kerja(sumber=rk_dinsos, unit=rk_dinsos.unit, tahun=TAHUN)


def _soal():
    return list(SoalLke.objects.filter(komponen__area__lke__tahun=TAHUN).select_related("jenis"))


@st.composite
def jawaban_acak(draw, soal):
    """{soal pk: (unit answer, TPI answer)} for a random subset of the rows."""
    out = {}
    for s in draw(st.lists(st.sampled_from(soal), max_size=60, unique_by=lambda s: s.pk)):
        if s.jenis.aturan == "pilihan":
            pil = st.sampled_from(list(s.jenis.nilai))
        elif s.jenis.aturan == "survei":
            pil = st.decimals(min_value=0, max_value=4, places=2).map(lambda d: f"{d}".replace(".", ","))
        else:
            pil = st.integers(min_value=0, max_value=30).map(str)
        out[s.pk] = (draw(pil), draw(st.one_of(st.just(""), pil)))
    return out


def _sama(v):
    """An answer as a comparable value: numbers as Decimal, text as it is, empty as None."""
    if v is None or v == "":
        return None
    if isinstance(v, (int, float)):
        return D(str(v)).normalize()
    if isinstance(v, D):
        return v.normalize()
    return D(v.replace(",", ".")).normalize() if re.fullmatch(r"[0-9]+([.,][0-9]+)?", v) else v


def _yang_dinilai(rk):
    """{soal_id: (unit, TPI)} as the page scored them: counts and indices as numbers."""
    out = {}
    for ns in skor_rencana(rk)[0].soal():
        j = ns.jawaban
        if ns.soal.angka:
            out[ns.soal.soal_id] = (_sama(ns.angka_unit), _sama(ns.angka_tpi))
        else:
            out[ns.soal.soal_id] = (_sama(j.jawaban_unit if j else None),
                                    _sama(j.jawaban_tpi if j else None))
    return out


def _angka(html, testid):
    return [D(x.replace(",", ".")) for x in re.findall(rf'data-testid="{testid}">([^<]*)<', html)]


def _isi(rk, soal, jawaban):
    JawabanLke.objects.filter(unit=rk.unit).delete()
    NilaiIsian.objects.filter(isian__indikator__komponen__area_rencana__rencana_kerja=rk).delete()
    isian = {t.soal_id: t.isian for t in TautanIsian.objects.filter(rencana_kerja=rk)}
    per_pk = {s.pk: s for s in soal}
    for pk, (unit, tpi) in jawaban.items():
        s = per_pk[pk]
        if pk in isian:  # a linked count row: the plan holds the unit's count
            NilaiIsian.objects.update_or_create(isian=isian[pk], defaults={"nilai": D(unit)})
            unit = ""
        JawabanLke.objects.create(unit=rk.unit, soal=s, jawaban_unit=unit, jawaban_tpi=tpi)


@pytest.mark.django_db
def test_halaman_perintah_xlsx_dan_laporan_sama(rk2026, client_as, users):
    soal = _soal()
    assert len(soal) == 127
    c = client_as("sekretaris")
    Pengusulan.objects.create(unit=rk2026.unit, tahun=TAHUN, kategori=Kategori.WBK)
    _t, token = TokenApi.terbitkan("PortalRB")
    admin = Client()
    admin.force_login(users["admin"])
    baris = {s.soal_id: s.baris_excel for s in soal}

    @settings(max_examples=10, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(jawaban_acak(soal))
    def cek(jawaban):
        _isi(rk2026, soal, jawaban)
        html = c.get(URL + "?area=semua").content.decode()
        out = io.StringIO()
        call_command("hitung_lke", unit="dinsos-mojokerto", tahun=TAHUN, stdout=out)
        data = json.loads(out.getvalue())
        wb = load_workbook(io.BytesIO(c.get(URL + "lke.xlsx").content))
        rows = {}
        for r in wb["LKE"].iter_rows(min_row=4, values_only=True):
            if r[0]:  # a Hasil komponen and its one question share the kode: the komponen first
                rows.setdefault(r[0], r)
        ring = {r[0]: r[1] for r in wb["Ringkasan"].iter_rows(values_only=True) if r and r[0]}
        laporan = isi_laporan(rk2026, 2)["lke"]
        usulan = next(r for r in admin.get("/lke/pengusulan/", {"tahun": TAHUN}).context["rows"]
                      if r["unit"] == rk2026.unit)
        total = _angka(html, "lke-total")[0]
        assert usulan["skor"].total == total and usulan["wbk"].lulus == laporan.predikat["WBK"].lulus
        assert total == D(str(data["total"])) == D(str(ring["Nilai total"])) == laporan.total
        assert _angka(html, "lke-total-unit")[0] == D(str(data["total_unit"])) == laporan.total_unit
        for bag in ("pemenuhan", "reform", "hasil", "pengungkit"):
            assert _angka(html, f"lke-{bag}")[0] == D(str(data[bag])) == getattr(laporan, bag)
        kom_laporan = {k.komponen.kode: k.nilai for a in laporan.areas for k in a.komponen}
        for kode, k in data["komponen"].items():
            assert _angka(html, f"nilai-komponen-{kode}") == [D(str(k["nilai"]))]
            assert D(str(rows[kode][9])) == D(str(k["nilai"])) == kom_laporan[kode]
        for p, hp in data["predikat"].items():
            assert hp["lulus"] == laporan.predikat[p].lulus
            assert f'data-testid="predikat-{p}"' in html
        # the answers the score was made of, in the official workbook and in PortalRB
        dinilai = _yang_dinilai(rk2026)
        ws = load_workbook(io.BytesIO(lembar_kerja.ekspor(rk=rk2026, lke=laporan.lke)))["Jawaban"]
        assert {sid: (_sama(ws.cell(b, 11).value), _sama(ws.cell(b, 14).value))
                for sid, b in baris.items()} == dinilai
        r = c.get(f"/api/portalrb/lke/jawaban-unit/{rk2026.unit_id}?tahun={TAHUN}",
                  headers={"authorization": f"Bearer {token}"})
        assert r.status_code == 200
        assert {a["soal_id"]: (_sama(a["jawaban_unit"]), _sama(a["jawaban_tpi"]))
                for a in r.json()["answers"]} == dinilai

    cek()
