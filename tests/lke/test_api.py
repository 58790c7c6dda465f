"""PortalRB API: Bearer tokens (hashed, revocable), the shapes of lke.md, isolation between
units, signed evidence links, rate limits, and the Admin that issues tokens."""

import io
import re
import time
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bukti_dukung.models import Berkas, NilaiIsian
from lke.models import JawabanLke, Kategori, Pengusulan, SoalLke, TokenApi, hash_token
from rencana_aksi.models import BuktiDukung, Indikator
from tests.bukti_dukung.conftest import pdf_bytes
from tests.factories import BuktiDukungFactory, UnitKerjaFactory
from tests.laporan.test_ekspor import _unggah

FEB = date(2024, 2, 1)
TIDAK_BERWENANG = {"error": "unauthorized"}
TIDAK_ADA = {"error": "not_found"}


@pytest.fixture
def token(db):
    return TokenApi.terbitkan("PortalRB")


@pytest.fixture
def api(token):
    """A client that sends the Bearer token."""
    c = Client(headers={"authorization": f"Bearer {token[1]}"})
    return c


@pytest.fixture
def usulan(dinsos, dinkes):
    afirmasi = UnitKerjaFactory(nama="Kecamatan Afirmasi")
    return {
        "dinsos": Pengusulan.objects.create(unit=dinsos, tahun=2024, kategori=Kategori.WBK),
        "dinkes": Pengusulan.objects.create(unit=dinkes, tahun=2024, kategori=Kategori.WBBM),
        "afirmasi": Pengusulan.objects.create(unit=afirmasi, tahun=2024, afirmasi=True,
                                              kategori=Kategori.WBK_AFIRMASI),
        "lain": Pengusulan.objects.create(unit=UnitKerjaFactory(), tahun=2023, kategori=Kategori.WBK),
    }


def _url(name, *args, tahun=2024):
    url = reverse(f"portalrb:{name}", args=args)
    return f"{url}?tahun={tahun}" if tahun else url


@pytest.fixture
def lke_data(rk_dinsos, rk_dinkes, users, usulan):
    """Four questions with a PortalRB soal_id: one with approved (and pending) evidence and
    answers by dinsos, its TPI and dinkes; one computed from numeric inputs; one survey; one
    unanswered."""
    bd = (BuktiDukung.objects.filter(
        rencana_aksi__indikator__komponen__area_rencana__rencana_kerja=rk_dinsos,
        rencana_aksi__target_bulan__bulan=FEB, rencana_aksi__indikator__tautan_lke__isnull=False)
        .distinct().order_by("pk").first())
    bukti = bd.rencana_aksi.indikator.tautan_lke.soal
    disetujui = _unggah(bd, users, "sk tim.pdf", pdf_bytes("disetujui"))
    menunggu = _unggah(BuktiDukungFactory(rencana_aksi=bd.rencana_aksi, nama="Notulen"), users,
                       "notulen.pdf", pdf_bytes("menunggu"), setujui=False)

    ind = Indikator.objects.filter(komponen__area_rencana__rencana_kerja=rk_dinsos,
                                   isian__label="Jumlah pelanggaran tahun ini").get()
    angka = ind.tautan_lke.soal
    isian = {s.label: s for s in ind.isian.all()}
    NilaiIsian.objects.create(isian=isian["Jumlah pelanggaran tahun sebelumnya"], nilai=Decimal(8))
    NilaiIsian.objects.create(isian=isian["Jumlah pelanggaran tahun ini"], nilai=Decimal(1))

    survei = SoalLke.objects.filter(komponen__area__lke__tahun=2024, jenis__aturan="survei").first()
    kosong = (SoalLke.objects.filter(komponen__area__lke__tahun=2024)
              .exclude(pk__in=[bukti.pk, angka.pk, survei.pk])
              .exclude(tautan__indikator__komponen__area_rencana__rencana_kerja=rk_dinsos).first())
    for s, sid in [(bukti, "PRB-1"), (angka, "PRB-2"), (survei, "PRB-3"), (kosong, " PRB-4 ")]:
        SoalLke.objects.filter(pk=s.pk).update(soal_id=sid)

    ya, tidak = list(bukti.jenis.nilai)[0], list(bukti.jenis.nilai)[-1]
    JawabanLke.objects.create(unit=rk_dinsos.unit, soal=bukti, jawaban_unit=ya, catatan_unit="SK ada",
                              jawaban_tpi=tidak, catatan_tpi="SK belum ditandatangani")
    JawabanLke.objects.create(unit=rk_dinsos.unit, soal=angka, jawaban_unit="10")
    JawabanLke.objects.create(unit=rk_dinsos.unit, soal=survei, jawaban_unit="3,6")
    JawabanLke.objects.create(unit=rk_dinkes.unit, soal=bukti, jawaban_unit=tidak,
                              catatan_unit="catatan dinkes", catatan_tpi="TPI dinkes")
    return SimpleNamespace(bukti=bukti, angka=angka, survei=survei, kosong=kosong, ya=ya,
                           tidak=tidak, disetujui=disetujui, menunggu=menunggu)


def _per_soal(resp):
    return {a["soal_id"]: a for a in resp.json()["answers"]}


def _isi_zip(resp):
    assert resp.streaming
    return zipfile.ZipFile(io.BytesIO(b"".join(resp.streaming_content)))


# --- authentication ------------------------------------------------------------------------

@pytest.mark.parametrize("header", [None, "Bearer zi_salah", "Basic dXNlcjpwYXNz", "Bearer "])
def test_401_without_or_with_a_wrong_token(db, usulan, header):
    c = Client(headers={"authorization": header} if header else {})
    for name, args in [("unit_wbk", []), ("unit_wbbm", []), ("jawaban_unit", [usulan["dinsos"].unit_id])]:
        resp = c.get(_url(name, *args))
        assert resp.status_code == 401
        assert resp.json() == TIDAK_BERWENANG
        assert resp["WWW-Authenticate"] == "Bearer"
        assert resp["Cache-Control"] == "no-store"


def test_401_with_a_revoked_token_same_body(api, token):
    assert api.get(_url("unit_wbk")).status_code == 200
    TokenApi.objects.filter(pk=token[0].pk).update(dicabut_pada=timezone.now())
    resp = api.get(_url("unit_wbk"))
    assert resp.status_code == 401 and resp.json() == TIDAK_BERWENANG


def test_token_is_stored_only_hashed(token):
    obj, raw = token
    row = TokenApi.objects.filter(pk=obj.pk).values().get()
    assert row["hash"] == hash_token(raw)
    assert not any(raw in str(v) for v in row.values())
    assert raw.startswith(row["awalan"]) and len(row["awalan"]) < len(raw) // 3


def test_last_used_is_updated_at_most_once_a_minute(api, token):
    obj = token[0]
    api.get(_url("unit_wbk"))
    first = TokenApi.objects.get(pk=obj.pk).terakhir_dipakai
    assert first is not None
    api.get(_url("unit_wbk"))
    assert TokenApi.objects.get(pk=obj.pk).terakhir_dipakai == first
    TokenApi.objects.filter(pk=obj.pk).update(terakhir_dipakai=first - timedelta(minutes=2))
    api.get(_url("unit_wbk"))
    assert TokenApi.objects.get(pk=obj.pk).terakhir_dipakai > first - timedelta(minutes=2)


def test_only_get_and_json_errors(api, usulan):
    resp = api.post(_url("unit_wbk"))
    assert resp.status_code == 405 and resp.json() == {"error": "method_not_allowed"}
    assert resp["Allow"] == "GET"
    resp = api.get(_url("unit_wbk", tahun="24"))
    assert resp.status_code == 400 and resp.json() == {"error": "invalid_tahun"}
    resp = api.get("/api/portalrb/lke/jawaban-unit/abc")
    assert resp.status_code == 404 and resp.json() == TIDAK_ADA


# --- proposed units ------------------------------------------------------------------------

def test_unit_wbk_shape(api, usulan):
    resp = api.get(_url("unit_wbk"))
    assert resp.status_code == 200 and resp["Cache-Control"] == "no-store"
    dinsos, afirmasi = usulan["dinsos"].unit, usulan["afirmasi"].unit
    assert resp.json() == {"tahun": 2024, "units": [
        {"id": dinsos.pk, "nama": dinsos.nama, "kategori": "WBK", "afirmasi": False},
        {"id": afirmasi.pk, "nama": "Kecamatan Afirmasi", "kategori": "WBK-AFIRMASI",
         "afirmasi": True},
    ]}


def test_unit_wbbm_shape(api, usulan):
    dinkes = usulan["dinkes"].unit
    assert api.get(_url("unit_wbbm")).json() == {"tahun": 2024, "units": [
        {"id": dinkes.pk, "nama": dinkes.nama, "kategori": "WBBM", "afirmasi": False}]}


def test_other_years_and_default_year(api, usulan):
    lain = usulan["lain"].unit
    assert [u["id"] for u in api.get(_url("unit_wbk", tahun=2023)).json()["units"]] == [lain.pk]
    body = api.get(_url("unit_wbk", tahun=None)).json()
    assert body == {"tahun": timezone.localdate().year, "units": []}


def test_no_trailing_slash_needed(api, usulan):
    assert api.get("/api/portalrb/pengusulan/unit-wbk?tahun=2024").status_code == 200
    assert api.get("/api/portalrb/pengusulan/unit-wbk/?tahun=2024").status_code == 200


# --- answers ---------------------------------------------------------------------------

def test_jawaban_unit_shape_and_values(api, lke_data, dinsos):
    resp = api.get(_url("jawaban_unit", dinsos.pk))
    assert resp.status_code == 200 and resp["Cache-Control"] == "no-store"
    body = resp.json()
    assert set(body) == {"tahun", "answers"} and body["tahun"] == 2024
    # only questions with a soal_id, in LKE order
    ordered = sorted([lke_data.bukti, lke_data.angka, lke_data.survei, lke_data.kosong],
                     key=lambda s: (s.komponen.area.urutan, s.komponen.nomor, s.urutan))
    ids = {lke_data.bukti.pk: "PRB-1", lke_data.angka.pk: "PRB-2", lke_data.survei.pk: "PRB-3",
           lke_data.kosong.pk: "PRB-4"}
    assert [a["soal_id"] for a in body["answers"]] == [ids[s.pk] for s in ordered]
    keys = {"soal_id", "jawaban_unit", "jawaban_tpi", "catatan_unit", "bukti_dukung_unit",
            "catatan_tpi"}
    assert all(set(a) == keys for a in body["answers"])
    a = _per_soal(resp)
    assert a["PRB-1"]["jawaban_unit"] == lke_data.ya and a["PRB-1"]["jawaban_tpi"] == lke_data.tidak
    assert a["PRB-1"]["catatan_unit"] == "SK ada"
    assert a["PRB-1"]["catatan_tpi"] == "SK belum ditandatangani"
    assert a["PRB-1"]["bukti_dukung_unit"].startswith("http://testserver/api/portalrb/bukti/")
    # penurunan pelanggaran: (8 - 1) / 8, from the plan's numeric inputs, not the typed "10"
    assert a["PRB-2"]["jawaban_unit"] == "87.50"
    assert a["PRB-3"]["jawaban_unit"] == "3.6"
    assert a["PRB-4"] == {"soal_id": "PRB-4", "jawaban_unit": None, "jawaban_tpi": None,
                          "catatan_unit": None, "bukti_dukung_unit": None, "catatan_tpi": None}


def test_numeric_question_without_inputs_is_null(api, lke_data, dinsos):
    NilaiIsian.objects.filter(isian__indikator__tautan_lke__soal=lke_data.angka).delete()
    assert _per_soal(api.get(_url("jawaban_unit", dinsos.pk)))["PRB-2"]["jawaban_unit"] is None


def test_answers_of_one_unit_only(api, lke_data, dinsos, dinkes):
    a = _per_soal(api.get(_url("jawaban_unit", dinkes.pk)))
    assert a["PRB-1"]["jawaban_unit"] == lke_data.tidak and a["PRB-1"]["jawaban_tpi"] is None
    assert a["PRB-1"]["catatan_unit"] == "catatan dinkes"
    assert a["PRB-1"]["bukti_dukung_unit"] is None  # dinsos's evidence is not dinkes's
    assert a["PRB-2"]["jawaban_unit"] is None and a["PRB-3"]["jawaban_unit"] is None
    text = api.get(_url("jawaban_unit", dinsos.pk)).content.decode()
    assert "dinkes" not in text


def test_unit_not_proposed_or_unknown_is_404_same_body(api, lke_data, dinkes):
    outsider = UnitKerjaFactory()
    Pengusulan.objects.filter(unit=dinkes).delete()
    for unit_id in [outsider.pk, dinkes.pk, 987654321]:
        resp = api.get(_url("jawaban_unit", unit_id))
        assert resp.status_code == 404 and resp.json() == TIDAK_ADA


def test_404_for_another_year_or_a_year_without_lke(api, lke_data, dinsos):
    assert api.get(_url("jawaban_unit", dinsos.pk, tahun=2023)).status_code == 404
    Pengusulan.objects.create(unit=dinsos, tahun=2023, kategori=Kategori.WBK)  # no LKE 2023
    resp = api.get(_url("jawaban_unit", dinsos.pk, tahun=2023))
    assert resp.status_code == 404 and resp.json() == TIDAK_ADA


def test_proposed_unit_without_a_plan_sends_its_typed_answers(api, lke_data):
    baru = UnitKerjaFactory()
    Pengusulan.objects.create(unit=baru, tahun=2024, kategori=Kategori.WBK)
    JawabanLke.objects.create(unit=baru, soal=lke_data.bukti, jawaban_unit=lke_data.ya)
    a = _per_soal(api.get(_url("jawaban_unit", baru.pk)))
    assert a["PRB-1"]["jawaban_unit"] == lke_data.ya and a["PRB-1"]["bukti_dukung_unit"] is None


def test_query_count_does_not_grow_per_question(api, lke_data, dinsos, django_assert_max_num_queries):
    url = _url("jawaban_unit", dinsos.pk)
    with CaptureQueriesContext(connection) as few:
        assert len(api.get(url).json()["answers"]) == 4
    semua = SoalLke.objects.filter(komponen__area__lke__tahun=2024, soal_id="")
    n = semua.count()
    for s in semua:
        SoalLke.objects.filter(pk=s.pk).update(soal_id=f"X-{s.pk}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(url).json()["answers"]) == n + 4
    assert n > 50


# --- evidence links ------------------------------------------------------------------------

def _tautan(api, unit):
    return _per_soal(api.get(_url("jawaban_unit", unit.pk)))["PRB-1"]["bukti_dukung_unit"]


def test_signed_link_downloads_the_approved_evidence_only(api, lke_data, dinsos):
    url = _tautan(api, dinsos)
    resp = Client().get(url)  # no login, no token
    assert resp.status_code == 200 and resp["Content-Type"] == "application/zip"
    assert resp["Content-Disposition"].startswith("attachment; filename=")
    assert "PRB-1" in resp["Content-Disposition"]
    assert resp["X-Content-Type-Options"] == "nosniff"
    zf = _isi_zip(resp)
    assert zf.testzip() is None
    disetujui = Berkas.objects.get(pengajuan=lke_data.disetujui)
    names = zf.namelist()
    assert len(names) == 1 and names[0].endswith("/2024-02 sk tim.pdf")
    assert zf.read(names[0]) == disetujui.berkas.open().read()
    assert b"menunggu" not in b"".join(zf.read(n) for n in names)


def test_tampered_link_is_404(api, lke_data, dinsos):
    url = _tautan(api, dinsos)
    head, sig = url.rstrip("/").rsplit(":", 1)
    for bad in [f"{head}:{sig[:-1]}{'A' if sig[-1] != 'A' else 'B'}/",
                url.replace("/bukti/", "/bukti/x")]:
        resp = Client().get(bad)
        assert resp.status_code == 404 and resp.json() == TIDAK_ADA


def test_expired_link_is_404(api, lke_data, dinsos, monkeypatch, settings):
    from django.core import signing

    url = _tautan(api, dinsos)
    settings.ZI_PORTALRB_TAUTAN_HARI = 7
    nanti = time.time()
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: nanti + 6 * 86400))
    assert Client().get(url).status_code == 200
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: nanti + 7 * 86400 + 5))
    resp = Client().get(url)
    assert resp.status_code == 404 and resp.json() == TIDAK_ADA


def test_link_stops_when_the_unit_is_withdrawn(api, lke_data, dinsos):
    url = _tautan(api, dinsos)
    Pengusulan.objects.filter(unit=dinsos).delete()
    assert Client().get(url).status_code == 404


# --- rate limits ---------------------------------------------------------------------------

@pytest.fixture
def jam_tetap(monkeypatch):
    """The rate-limit window does not roll over during the test."""
    import django_ratelimit.core

    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: 1_700_000_000.0))


def test_429_after_the_token_limit(api, usulan, settings, jam_tetap):
    settings.ZI_PORTALRB_BATAS_TOKEN = "2/m"
    assert [api.get(_url("unit_wbk")).status_code for _ in range(2)] == [200, 200]
    resp = api.get(_url("unit_wbk"))
    assert resp.status_code == 429 and resp.json() == {"error": "rate_limited"}
    assert 1 <= int(resp["Retry-After"]) <= 60
    # per token: another one is not affected
    other = Client(headers={"authorization": f"Bearer {TokenApi.terbitkan('Lain')[1]}"})
    assert other.get(_url("unit_wbk")).status_code == 200


def test_429_after_failed_attempts_per_ip(token, usulan, settings, jam_tetap):
    settings.ZI_PORTALRB_BATAS_GAGAL = "2/m"
    bad = Client(headers={"authorization": "Bearer zi_salah"})
    assert [bad.get(_url("unit_wbk")).status_code for _ in range(2)] == [401, 401]
    resp = bad.get(_url("unit_wbk"))
    assert resp.status_code == 429 and resp.json() == {"error": "rate_limited"}
    assert int(resp["Retry-After"]) >= 1
    good = Client(headers={"authorization": f"Bearer {token[1]}"})
    assert good.get(_url("unit_wbk")).status_code == 429  # same IP: blocked for the window
    assert good.get(_url("unit_wbk"), REMOTE_ADDR="10.1.2.3").status_code == 200


# --- Admin ---------------------------------------------------------------------------------

def test_admin_issues_a_token_shown_once(client_as, usulan):
    c = client_as("admin")
    add = c.get(reverse("admin:lke_tokenapi_add")).content.decode()
    assert 'name="nama"' in add and "hash" not in add
    resp = c.post(reverse("admin:lke_tokenapi_add"), {"nama": "PortalRB KemenPANRB"}, follow=True)
    assert resp.status_code == 200
    text = resp.content.decode()
    raw = re.search(r"tidak akan ditampilkan lagi: (zi_[A-Za-z0-9_-]+)", text).group(1)
    obj = TokenApi.objects.get(nama="PortalRB KemenPANRB")
    assert obj.hash == hash_token(raw) and obj.dibuat_oleh.username == "admin"
    assert raw not in str(TokenApi.objects.filter(pk=obj.pk).values().get())
    # shown once: neither the token nor its hash on any later page
    for url in [reverse("admin:lke_tokenapi_change", args=[obj.pk]),
                reverse("admin:lke_tokenapi_changelist")]:
        page = c.get(url).content.decode()
        assert raw not in page and obj.hash not in page
    api = Client(headers={"authorization": f"Bearer {raw}"})
    assert api.get(_url("unit_wbk")).status_code == 200


def test_admin_revokes_a_token(client_as, api, token, usulan):
    resp = client_as("admin").post(reverse("admin:lke_tokenapi_changelist"), {
        "action": "cabut", "_selected_action": [token[0].pk]}, follow=True)
    assert "1 token dicabut." in resp.content.decode()
    assert TokenApi.objects.get(pk=token[0].pk).dicabut_pada is not None
    assert api.get(_url("unit_wbk")).status_code == 401


def test_admin_adds_a_proposal_with_its_author(client_as, dinsos):
    c = client_as("admin")
    assert c.get(reverse("admin:lke_pengusulan_add")).status_code == 200
    assert c.get(reverse("admin:lke_pengusulan_changelist") + "?tahun=2024").status_code == 200
    resp = c.post(reverse("admin:lke_pengusulan_add"), {
        "unit": dinsos.pk, "tahun": 2025, "kategori": "WBBM"})
    assert resp.status_code == 302
    p = Pengusulan.objects.get(unit=dinsos, tahun=2025)
    assert p.kategori == "WBBM" and p.dibuat_oleh.username == "admin"


def test_link_stops_when_its_token_is_revoked(api, token, lke_data, dinsos):
    from django.utils import timezone

    url = _tautan(api, dinsos)
    assert Client().get(url).status_code == 200
    TokenApi.objects.filter(pk=token[0].pk).update(dicabut_pada=timezone.now())
    resp = Client().get(url)
    assert resp.status_code == 404 and resp.json() == TIDAK_ADA


def test_link_without_trailing_slash_works(api, lke_data, dinsos):
    url = _tautan(api, dinsos)
    assert Client().get(url.rstrip("/")).status_code == 200
