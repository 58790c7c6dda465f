"""PortalRB API: Bearer tokens (hashed, revocable), the shapes of lke.md (integer soal_id,
string unit ids, JSON errors with a code word), isolation between units, signed evidence
links (lifetime per token, revocation), rate limits, and the Admin that issues tokens."""

import io
import re
import time
import zipfile
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bukti_dukung.models import Berkas, NilaiIsian
from lke.models import JawabanLke, Kategori, Pengusulan, SoalLke, TokenApi, hash_token
from tests.factories import UnitKerjaFactory
from tests.lke.portalrb_klien import siapkan_2026

KUNCI = {"soal_id", "jawaban_unit", "jawaban_tpi", "catatan_unit", "bukti_dukung_unit",
         "catatan_tpi"}


def _galat(resp, status, code):
    """The error shape of the contract: JSON, the code word, a message that says nothing."""
    assert resp.status_code == status
    assert resp["Content-Type"] == "application/json"
    assert resp["Cache-Control"] == "no-store"
    body = resp.json()
    assert set(body) == {"error", "code", "message"}
    assert body["error"] is True and body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    return body


@pytest.fixture
def token(db):
    return TokenApi.terbitkan("PortalRB")


@pytest.fixture
def api(token):
    """A client that sends the Bearer token."""
    return Client(headers={"authorization": f"Bearer {token[1]}"})


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


def _url(name, *args, tahun=2026):
    url = reverse(f"portalrb:{name}", args=args)
    return f"{url}?tahun={tahun}" if tahun else url


@pytest.fixture
def data(rk_dinsos, users, dinkes):
    """2026: Dinas Sosial proposed with its plan, answers, counts and evidence
    (tests/lke/portalrb_klien.py); Dinas Kesehatan proposed without a 2026 plan, with a few
    typed answers."""
    d = siapkan_2026(rk_dinsos, users)
    Pengusulan.objects.create(unit=dinkes, tahun=2026, kategori=Kategori.WBBM)
    JawabanLke.objects.create(unit=dinkes, soal=d.soal[1], jawaban_unit="Tidak",
                              catatan_unit="catatan dinkes", catatan_tpi="TPI dinkes")
    JawabanLke.objects.create(unit=dinkes, soal=d.soal[102], jawaban_unit="3")
    return d


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
        _galat(resp, 401, "UNAUTHORIZED")
        assert resp["WWW-Authenticate"] == "Bearer"


def test_401_with_a_revoked_token_same_body(api, token):
    assert api.get(_url("unit_wbk")).status_code == 200
    TokenApi.objects.filter(pk=token[0].pk).update(dicabut_pada=timezone.now())
    body = _galat(api.get(_url("unit_wbk")), 401, "UNAUTHORIZED")
    assert body == Client().get(_url("unit_wbk")).json()


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
    _galat(resp, 405, "INVALID_REQUEST")
    assert resp["Allow"] == "GET"
    for bad in ["24", "abcd", "２０２４", "1999", "2101", "", "2024.0"]:
        _galat(api.get(reverse("portalrb:unit_wbk"), {"tahun": bad}), 422, "INVALID_REQUEST")
    _galat(api.get(_url("jawaban_unit", usulan["dinsos"].unit_id, tahun="x")), 422,
           "INVALID_REQUEST")
    _galat(api.get("/api/portalrb/lke/jawaban-unit/abc"), 404, "DATA_NOT_FOUND")
    _galat(api.get("/api/portalrb/tidak-ada"), 404, "DATA_NOT_FOUND")


# --- proposed units ------------------------------------------------------------------------

def test_unit_wbk_shape(api, usulan):
    resp = api.get(_url("unit_wbk", tahun=2024))
    assert resp.status_code == 200 and resp["Cache-Control"] == "no-store"
    dinsos, afirmasi = usulan["dinsos"].unit, usulan["afirmasi"].unit
    assert resp.json() == {"tahun": 2024, "units": [
        {"id": str(dinsos.pk), "nama": dinsos.nama, "kategori": "WBK", "afirmasi": False},
        {"id": str(afirmasi.pk), "nama": "Kecamatan Afirmasi", "kategori": "WBK-AFIRMASI",
         "afirmasi": True},
    ]}


def test_unit_wbbm_shape(api, usulan):
    dinkes = usulan["dinkes"].unit
    assert api.get(_url("unit_wbbm", tahun=2024)).json() == {"tahun": 2024, "units": [
        {"id": str(dinkes.pk), "nama": dinkes.nama, "kategori": "WBBM", "afirmasi": False}]}


def test_other_years_and_default_year(api, usulan):
    lain = usulan["lain"].unit
    assert [u["id"] for u in api.get(_url("unit_wbk", tahun=2023)).json()["units"]] == [str(lain.pk)]
    body = api.get(_url("unit_wbk", tahun=None)).json()
    assert body == {"tahun": timezone.localdate().year, "units": []}


def test_no_trailing_slash_needed(api, usulan):
    assert api.get("/api/portalrb/pengusulan/unit-wbk?tahun=2024").json()["tahun"] == 2024
    assert api.get("/api/portalrb/pengusulan/unit-wbk/?tahun=2024").json()["tahun"] == 2024


# --- answers ---------------------------------------------------------------------------

def test_jawaban_unit_shape_and_values(api, data, dinsos):
    resp = api.get(_url("jawaban_unit", dinsos.pk))
    assert resp.status_code == 200 and resp["Cache-Control"] == "no-store"
    body = resp.json()
    assert set(body) == {"unit_id", "nama_unit", "tahun", "answers"}
    assert body["unit_id"] == str(dinsos.pk) and body["nama_unit"] == dinsos.nama
    assert body["tahun"] == 2026
    assert [a["soal_id"] for a in body["answers"]] == list(range(1, 128))
    assert all(set(a) == KUNCI for a in body["answers"])
    a = _per_soal(resp)
    assert a[1]["jawaban_unit"] == "Ya" and a[1]["jawaban_tpi"] == "Tidak"
    assert a[1]["catatan_unit"] == "SK tim ada" and a[1]["catatan_tpi"] == "SK belum ditandatangani"
    assert a[1]["bukti_dukung_unit"].startswith("http://testserver/api/portalrb/bukti/")
    assert a[2]["jawaban_unit"] == "B" and a[126]["jawaban_unit"] == "B"
    # counts from the plan's inputs (the typed "99" ignored), as JSON integers
    assert a[102]["jawaban_unit"] == 8 and type(a[102]["jawaban_unit"]) is int
    assert a[112]["jawaban_unit"] == 9 and a[112]["jawaban_tpi"] == 7
    assert a[125]["jawaban_unit"] == 3.6 and a[127]["jawaban_tpi"] == 3.45
    assert a[3] == {"soal_id": 3, "jawaban_unit": None, "jawaban_tpi": None,
                    "catatan_unit": None, "bukti_dukung_unit": None, "catatan_tpi": None}


def test_count_row_without_input_is_null(api, data, dinsos):
    NilaiIsian.objects.filter(isian=data.isian[102]).delete()
    assert _per_soal(api.get(_url("jawaban_unit", dinsos.pk)))[102]["jawaban_unit"] is None


def test_answers_of_one_unit_only(api, data, dinsos, dinkes):
    resp = api.get(_url("jawaban_unit", dinkes.pk))
    a = _per_soal(resp)
    assert resp.json()["unit_id"] == str(dinkes.pk)
    assert a[1]["jawaban_unit"] == "Tidak" and a[1]["jawaban_tpi"] is None
    assert a[1]["catatan_unit"] == "catatan dinkes" and a[1]["catatan_tpi"] == "TPI dinkes"
    assert a[1]["bukti_dukung_unit"] is None  # dinsos's evidence is not dinkes's
    # no 2026 plan: its typed count, not dinsos's plan input
    assert a[102]["jawaban_unit"] == 3 and a[112]["jawaban_unit"] is None
    assert a[125]["jawaban_unit"] is None
    text = api.get(_url("jawaban_unit", dinsos.pk)).content.decode()
    assert "dinkes" not in text


def test_unit_not_proposed_or_unknown_is_404_same_body(api, data, dinkes):
    outsider = UnitKerjaFactory()
    Pengusulan.objects.filter(unit=dinkes).delete()
    bodies = [_galat(api.get(_url("jawaban_unit", unit_id)), 404, "DATA_NOT_FOUND")
              for unit_id in [outsider.pk, dinkes.pk, 987654321, 999999999999999999]]
    assert all(b == bodies[0] for b in bodies)


def test_404_for_another_year_or_a_year_without_lke(api, data, dinsos):
    _galat(api.get(_url("jawaban_unit", dinsos.pk, tahun=2025)), 404, "DATA_NOT_FOUND")
    Pengusulan.objects.create(unit=dinsos, tahun=2023, kategori=Kategori.WBK)  # no LKE 2023
    _galat(api.get(_url("jawaban_unit", dinsos.pk, tahun=2023)), 404, "DATA_NOT_FOUND")


def test_a_year_whose_lke_has_no_soal_id_sends_no_answers(api, usulan, dinsos):
    # LKE 2024 predates PortalRB's master ids
    body = api.get(_url("jawaban_unit", dinsos.pk, tahun=2024)).json()
    assert body["tahun"] == 2024 and body["answers"] == []


def test_query_count_does_not_grow_with_answers(api, data, dinsos, django_assert_max_num_queries):
    url = _url("jawaban_unit", dinsos.pk)
    with CaptureQueriesContext(connection) as few:
        assert len(api.get(url).json()["answers"]) == 127
    for s in SoalLke.objects.filter(komponen__area__lke__tahun=2026, macam="soal").exclude(
            jawaban__unit=dinsos):
        JawabanLke.objects.create(unit=dinsos, soal=s, jawaban_unit=list(s.jenis.nilai)[0],
                                  catatan_unit="isi", jawaban_tpi=list(s.jenis.nilai)[-1])
    with django_assert_max_num_queries(len(few.captured_queries)):
        a = _per_soal(api.get(url))
    assert sum(1 for x in a.values() if x["jawaban_tpi"] is not None) > 90


# --- evidence links ------------------------------------------------------------------------

def _tautan(api, unit, soal_id=1):
    return _per_soal(api.get(_url("jawaban_unit", unit.pk)))[soal_id]["bukti_dukung_unit"]


def _mati(resp):
    assert resp.status_code == 404
    assert resp["Content-Type"].startswith("text/html")
    assert "tidak ditemukan, sudah kedaluwarsa, atau sudah dicabut" in resp.content.decode()


def test_link_page_names_unit_question_and_files(api, data, dinsos):
    resp = Client().get(_tautan(api, dinsos))  # no login, no token
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/html")
    assert resp["Cache-Control"] == "no-store" and resp["Referrer-Policy"] == "no-referrer"
    html = resp.content.decode()
    soal = data.soal[1]
    for teks in [dinsos.nama, "2026", "A.I.1.a", "soal_id 1", soal.judul[:40], "sk tim.pdf"]:
        assert teks in html, teks
    assert "notulen.pdf" not in html  # pending, not approved


def test_zip_of_the_approved_evidence_only(api, data, dinsos):
    url = _tautan(api, dinsos)
    resp = Client().get(url, {"unduh": "1"})
    assert resp.status_code == 200 and resp["Content-Type"] == "application/zip"
    assert resp["Content-Disposition"].startswith("attachment; filename=")
    assert "bukti-1-dinsos-mojokerto-2026" in resp["Content-Disposition"]
    assert resp["X-Content-Type-Options"] == "nosniff"
    zf = _isi_zip(resp)
    assert zf.testzip() is None
    disetujui = Berkas.objects.get(pengajuan=data.disetujui)
    names = zf.namelist()
    assert len(names) == 1 and names[0].endswith(" sk tim.pdf")
    assert zf.read(names[0]) == disetujui.berkas.open().read()


def test_count_rows_carry_the_evidence_of_their_input(api, data, dinsos):
    a = _per_soal(api.get(_url("jawaban_unit", dinsos.pk)))
    assert all(a[s]["bukti_dukung_unit"] for s in (102, 103, 104))
    html = Client().get(a[103]["bukti_dukung_unit"]).content.decode()
    assert "B.III.3.angka.2" in html and "rekap disiplin.pdf" in html


def test_tampered_link_is_404(api, data, dinsos):
    url = _tautan(api, dinsos)
    head, sig = url.rstrip("/").rsplit(":", 1)
    for bad in [f"{head}:{sig[:-1]}{'A' if sig[-1] != 'A' else 'B'}/",
                url.replace("/bukti/", "/bukti/x")]:
        _mati(Client().get(bad))
        _mati(Client().get(bad, {"unduh": "1"}))


def _nanti(monkeypatch, detik):
    nanti = time.time() + detik
    monkeypatch.setattr("lke.api.time", SimpleNamespace(time=lambda: nanti))


def test_link_lives_for_the_days_of_its_token(api, token, data, dinsos, monkeypatch):
    url = _tautan(api, dinsos)
    assert token[0].tautan_hari == 30
    _nanti(monkeypatch, 29 * 86400)
    assert Client().get(url).status_code == 200
    _nanti(monkeypatch, 30 * 86400 + 5)
    _mati(Client().get(url))
    _mati(Client().get(url, {"unduh": "1"}))
    # the Admin sets it per token: 60 days revive the link, 7 end it sooner
    TokenApi.objects.filter(pk=token[0].pk).update(tautan_hari=60)
    assert Client().get(url).status_code == 200
    TokenApi.objects.filter(pk=token[0].pk).update(tautan_hari=7)
    _nanti(monkeypatch, 8 * 86400)
    _mati(Client().get(url))


def test_links_revoked_by_the_admin_action_token_stays(client_as, api, token, data, dinsos):
    lama = _tautan(api, dinsos)
    resp = client_as("admin").post(reverse("admin:lke_tokenapi_changelist"), {
        "action": "cabut_tautan", "_selected_action": [token[0].pk]}, follow=True)
    assert "Tautan bukti dari 1 token dicabut" in resp.content.decode()
    obj = TokenApi.objects.get(pk=token[0].pk)
    assert obj.tautan_sejak is not None and obj.dicabut_pada is None
    _mati(Client().get(lama))
    baru = _tautan(api, dinsos)  # the token still works, and its new links too
    assert baru != lama and Client().get(baru).status_code == 200


def test_link_stops_when_the_unit_is_withdrawn(api, data, dinsos):
    url = _tautan(api, dinsos)
    Pengusulan.objects.filter(unit=dinsos).delete()
    _mati(Client().get(url))


def test_link_stops_when_its_token_is_revoked(api, token, data, dinsos):
    url = _tautan(api, dinsos)
    assert Client().get(url).status_code == 200
    TokenApi.objects.filter(pk=token[0].pk).update(dicabut_pada=timezone.now())
    _mati(Client().get(url))


def test_link_without_trailing_slash_works(api, data, dinsos):
    url = _tautan(api, dinsos)
    assert "sk tim.pdf" in Client().get(url.rstrip("/")).content.decode()


def test_link_uses_the_public_base_url(api, data, dinsos, settings):
    settings.ZI_PORTALRB_URL_DASAR = "https://zi.contoh.go.id"
    assert _tautan(api, dinsos).startswith("https://zi.contoh.go.id/api/portalrb/bukti/")


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
    _galat(resp, 429, "RATE_LIMITED")
    assert 1 <= int(resp["Retry-After"]) <= 60
    # per token: another one is not affected
    other = Client(headers={"authorization": f"Bearer {TokenApi.terbitkan('Lain')[1]}"})
    assert other.get(_url("unit_wbk")).status_code == 200


def test_429_after_failed_attempts_per_ip(token, usulan, settings, jam_tetap):
    settings.ZI_PORTALRB_BATAS_GAGAL = "2/m"
    bad = Client(headers={"authorization": "Bearer zi_salah"})
    assert [bad.get(_url("unit_wbk")).status_code for _ in range(2)] == [401, 401]
    resp = bad.get(_url("unit_wbk"))
    _galat(resp, 429, "RATE_LIMITED")
    assert int(resp["Retry-After"]) >= 1
    good = Client(headers={"authorization": f"Bearer {token[1]}"})
    assert good.get(_url("unit_wbk")).status_code == 429  # same IP: blocked for the window
    assert good.get(_url("unit_wbk"), REMOTE_ADDR="10.1.2.3").status_code == 200


# --- Admin ---------------------------------------------------------------------------------

def test_admin_issues_a_token_shown_once(client_as, usulan):
    c = client_as("admin")
    add = c.get(reverse("admin:lke_tokenapi_add")).content.decode()
    assert 'name="nama"' in add and 'name="tautan_hari"' in add and "hash" not in add
    resp = c.post(reverse("admin:lke_tokenapi_add"), {"nama": "PortalRB KemenPANRB",
                                                      "tautan_hari": "45"}, follow=True)
    assert resp.status_code == 200
    text = resp.content.decode()
    raw = re.search(r"tidak akan ditampilkan lagi: (zi_[A-Za-z0-9_-]+)", text).group(1)
    obj = TokenApi.objects.get(nama="PortalRB KemenPANRB")
    assert obj.hash == hash_token(raw) and obj.dibuat_oleh.username == "admin"
    assert obj.tautan_hari == 45
    assert raw not in str(TokenApi.objects.filter(pk=obj.pk).values().get())
    # shown once: neither the token nor its hash on any later page
    for url in [reverse("admin:lke_tokenapi_change", args=[obj.pk]),
                reverse("admin:lke_tokenapi_changelist")]:
        page = c.get(url).content.decode()
        assert raw not in page and obj.hash not in page
    api = Client(headers={"authorization": f"Bearer {raw}"})
    assert api.get(_url("unit_wbk")).status_code == 200


def test_admin_sets_the_link_lifetime_of_a_token(client_as, token):
    c = client_as("admin")
    resp = c.post(reverse("admin:lke_tokenapi_change", args=[token[0].pk]),
                  {"nama": "PortalRB", "tautan_hari": "90"})
    assert resp.status_code == 302
    assert TokenApi.objects.get(pk=token[0].pk).tautan_hari == 90
    resp = c.post(reverse("admin:lke_tokenapi_change", args=[token[0].pk]),
                  {"nama": "PortalRB", "tautan_hari": "0"})
    assert resp.status_code == 200  # refused: 1-366 days
    assert TokenApi.objects.get(pk=token[0].pk).tautan_hari == 90


def test_admin_revokes_a_token(client_as, api, token, usulan):
    resp = client_as("admin").post(reverse("admin:lke_tokenapi_changelist"), {
        "action": "cabut", "_selected_action": [token[0].pk]}, follow=True)
    assert "1 token dicabut." in resp.content.decode()
    assert TokenApi.objects.get(pk=token[0].pk).dicabut_pada is not None
    _galat(api.get(_url("unit_wbk")), 401, "UNAUTHORIZED")


def test_admin_adds_a_proposal_with_its_author(client_as, dinsos):
    c = client_as("admin")
    assert 'name="kategori"' in c.get(reverse("admin:lke_pengusulan_add")).content.decode()
    resp = c.post(reverse("admin:lke_pengusulan_add"), {
        "unit": dinsos.pk, "tahun": 2025, "kategori": "WBBM"})
    assert resp.status_code == 302
    p = Pengusulan.objects.get(unit=dinsos, tahun=2025)
    assert p.kategori == "WBBM" and p.dibuat_oleh.username == "admin"
    assert dinsos.nama in c.get(reverse("admin:lke_pengusulan_changelist") + "?tahun=2025").content.decode()
