"""The PortalRB contract, driven by a client that behaves like PortalRB (Bearer, JSON only,
retries at once / after 60 s / after 120 s, 429 honoured): the three endpoints for a unit
proposed for 2026, the error shapes, the evidence links its evaluators open days later;
and the Admin's tools around it: the proposals page with its forecast, the commands
`token_portalrb` and `usulkan_unit`."""

import io
import logging
import time
import zipfile
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bukti_dukung.models import NilaiIsian
from lke import selectors
from lke.models import JawabanLke, Kategori, Macam, Pengusulan, SoalLke, TokenApi, hash_token
from lke.skor import koma
from organisasi.models import UnitKerja
from rencana_aksi.models import RencanaKerja
from rencana_aksi.services import salin_rencana_kerja
from tests.factories import UnitKerjaFactory
from tests.lke.portalrb_klien import ANGKA_2026, KlienPortalRB, siapkan_2026

WBK = "/api/portalrb/pengusulan/unit-wbk"
WBBM = "/api/portalrb/pengusulan/unit-wbbm"


def jawaban_url(unit_id):
    return f"/api/portalrb/lke/jawaban-unit/{unit_id}"


@pytest.fixture
def jam(monkeypatch):
    """A clock for the rate limits that only the client's sleep moves; the sleep."""
    import django_ratelimit.core

    t = [1_700_000_000.0]
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: t[0]))

    def tidur(detik):
        t[0] += detik

    tidur.t = t
    return tidur


@pytest.fixture
def token(db):
    return TokenApi.terbitkan("PortalRB KemenPANRB")


@pytest.fixture
def klien(token, jam):
    return KlienPortalRB(Client(), token[1], jam)


@pytest.fixture
def data(rk_dinsos, users):
    return siapkan_2026(rk_dinsos, users)


def _galat(status, body, harap_status, code):
    assert status == harap_status
    assert body["error"] is True and body["code"] == code
    assert set(body) == {"error", "code", "message"} and body["message"]
    return body


# --- a pull --------------------------------------------------------------------------------

def test_a_pull_lists_the_unit_and_sends_all_127_answers(klien, data):
    unit = data.unit
    status, body = klien.get(WBK, {"tahun": 2026})
    assert status == 200
    assert body == {"tahun": 2026, "units": [
        {"id": str(unit.pk), "nama": unit.nama, "kategori": "WBK", "afirmasi": False}]}
    assert klien.get(WBBM, {"tahun": 2026}) == (200, {"tahun": 2026, "units": []})

    status, body = klien.get(jawaban_url(body["units"][0]["id"]), {"tahun": 2026})
    assert status == 200 and klien.jeda == [] and klien.percobaan == 3
    assert (body["unit_id"], body["nama_unit"], body["tahun"]) == (str(unit.pk), unit.nama, 2026)
    answers = body["answers"]
    assert len(answers) == 127
    assert [a["soal_id"] for a in answers] == list(range(1, 128))
    assert all(type(a["soal_id"]) is int for a in answers)
    a = {x["soal_id"]: x for x in answers}
    # choice answers as stored; the TPI's beside, each with its note
    assert (a[1]["jawaban_unit"], a[1]["jawaban_tpi"]) == ("Ya", "Tidak")
    assert (a[1]["catatan_unit"], a[1]["catatan_tpi"]) == ("SK tim ada", "SK belum ditandatangani")
    assert a[2]["jawaban_unit"] == "B" and a[14]["jawaban_unit"] == "A"
    assert a[126]["jawaban_unit"] == "B"
    # survey indices as numbers
    assert a[125]["jawaban_unit"] == 3.6 and a[125]["jawaban_tpi"] is None
    assert (a[127]["jawaban_unit"], a[127]["jawaban_tpi"]) == (3.2, 3.45)
    # a count row: the plan's count for the unit, the TPI's own count beside
    assert (a[112]["jawaban_unit"], a[112]["jawaban_tpi"]) == (9, 7)
    assert a[112]["catatan_tpi"] == "dua belum selesai"
    # every row without an answer is empty, not missing
    assert a[5] == {"soal_id": 5, "jawaban_unit": None, "jawaban_tpi": None, "catatan_unit": None,
                    "catatan_tpi": None, "bukti_dukung_unit": None}


def test_counts_are_the_numbers_of_the_plan(klien, data):
    _status, body = klien.get(jawaban_url(data.unit.pk), {"tahun": 2026})
    a = {x["soal_id"]: x for x in body["answers"]}
    nilai = dict(NilaiIsian.objects.filter(isian__in=data.isian.values()).values_list("isian_id", "nilai"))
    count_rows = list(SoalLke.objects.filter(komponen__area__lke__tahun=2026, macam=Macam.ANGKA)
                      .values_list("soal_id", flat=True))
    assert len(count_rows) == 22 and set(count_rows) <= set(data.isian)
    for sid in count_rows:
        harap = nilai.get(data.isian[sid].pk)
        got = a[sid]["jawaban_unit"]
        if harap is None:
            assert got is None, sid
        else:
            assert type(got) is int and got == int(harap), sid
    # 89 and 90 share one input; 102's typed "99" is not the plan's count
    assert a[89]["jawaban_unit"] == a[90]["jawaban_unit"] == ANGKA_2026[89]
    assert a[102]["jawaban_unit"] == 8 and a[103]["jawaban_unit"] == 1
    NilaiIsian.objects.filter(isian=data.isian[103]).update(nilai=Decimal("2.50"))
    _status, body = klien.get(jawaban_url(data.unit.pk), {"tahun": 2026})
    assert {x["soal_id"]: x for x in body["answers"]}[103]["jawaban_unit"] == 2.5


def test_the_answers_match_the_score_the_app_shows(klien, data):
    skor = selectors.skor_rencana(data.rk)[0]
    _status, body = klien.get(jawaban_url(data.unit.pk), {"tahun": 2026})
    a = {x["soal_id"]: x for x in body["answers"]}
    for ns in skor.soal():
        if ns.soal.angka:
            assert a[ns.soal.soal_id]["jawaban_unit"] == (
                None if ns.angka_unit is None else float(ns.angka_unit)), ns.soal.soal_id
        elif ns.jawaban:
            assert a[ns.soal.soal_id]["catatan_unit"] == (ns.jawaban.catatan_unit or None)


# --- errors --------------------------------------------------------------------------------

def test_error_shapes_and_no_retry_for_4xx(token, jam, data):
    salah = KlienPortalRB(Client(), "zi_salah", jam)
    _galat(*salah.get(WBK, {"tahun": 2026}), 401, "UNAUTHORIZED")
    assert salah.percobaan == 1 and salah.jeda == []

    klien = KlienPortalRB(Client(), token[1], jam)
    _galat(*klien.get(jawaban_url(987654), {"tahun": 2026}), 404, "DATA_NOT_FOUND")
    _galat(*klien.get(jawaban_url(data.unit.pk), {"tahun": 2025}), 404, "DATA_NOT_FOUND")
    _galat(*klien.get(WBK, {"tahun": "26"}), 422, "INVALID_REQUEST")
    _galat(*klien.get(jawaban_url(data.unit.pk), {"tahun": "dua ribu"}), 422, "INVALID_REQUEST")
    _galat(*klien.get("/api/portalrb/lke/lain"), 404, "DATA_NOT_FOUND")
    assert klien.percobaan == 5 and klien.jeda == []

    TokenApi.objects.filter(pk=token[0].pk).update(dicabut_pada=timezone.now())
    _galat(*klien.get(WBK, {"tahun": 2026}), 401, "UNAUTHORIZED")


def test_405_is_json_too(token, data):
    resp = Client(headers={"authorization": f"Bearer {token[1]}"}).post(WBK)
    assert resp["Content-Type"] == "application/json" and resp["Allow"] == "GET"
    _galat(resp.status_code, resp.json(), 405, "INVALID_REQUEST")


def test_429_is_honoured_then_the_pull_goes_on(klien, data, settings, jam):
    settings.ZI_PORTALRB_BATAS_TOKEN = "3/m"
    for path in (WBK, WBBM, jawaban_url(data.unit.pk)):
        assert klien.get(path, {"tahun": 2026})[0] == 200
    mulai = jam.t[0]
    status, body = klien.get(WBK, {"tahun": 2026})
    assert status == 200 and body["units"][0]["id"] == str(data.unit.pk)
    assert klien.percobaan == 5 and len(klien.jeda) == 1
    assert 1 <= klien.jeda[0] <= 60 and jam.t[0] == mulai + klien.jeda[0]


def test_429_body(token, data, settings, jam):
    settings.ZI_PORTALRB_BATAS_TOKEN = "1/m"
    c = Client(headers={"authorization": f"Bearer {token[1]}", "accept": "application/json"})
    assert c.get(WBK, {"tahun": 2026}).status_code == 200
    resp = c.get(WBK, {"tahun": 2026})
    assert resp["Content-Type"] == "application/json" and int(resp["Retry-After"]) >= 1
    _galat(resp.status_code, resp.json(), 429, "RATE_LIMITED")


def test_a_server_error_is_retried_three_times_and_leaks_nothing(klien, data, monkeypatch,
                                                                 caplog):
    def rusak(*args, **kwargs):
        raise RuntimeError("koneksi ke basis data putus: password=rahasia")

    monkeypatch.setattr("lke.api.skor_rencana", rusak)
    with caplog.at_level(logging.ERROR, logger="lke.api"):
        status, body = klien.get(jawaban_url(data.unit.pk), {"tahun": 2026})
    _galat(status, body, 500, "SERVER_ERROR")
    assert "rahasia" not in body["message"] and "RuntimeError" not in body["message"]
    assert klien.percobaan == 4 and klien.jeda == [0, 60, 120]
    gagal = [r for r in caplog.records if r.name == "lke.api"]
    assert len(gagal) == 4 and gagal[0].exc_info[0] is RuntimeError


def test_a_passing_failure_is_retried_at_once(klien, data, monkeypatch):
    asli, n = selectors.skor_rencana, [0]

    def sekali_gagal(*args, **kwargs):
        n[0] += 1
        if n[0] == 1:
            raise RuntimeError("sementara")
        return asli(*args, **kwargs)

    monkeypatch.setattr("lke.api.skor_rencana", sekali_gagal)
    status, body = klien.get(jawaban_url(data.unit.pk), {"tahun": 2026})
    assert status == 200 and len(body["answers"]) == 127
    assert klien.jeda == [0] and klien.percobaan == 2


# --- evidence links, opened by PortalRB's evaluators ---------------------------------------

def _nanti(monkeypatch, hari):
    nanti = time.time() + hari * 86400
    monkeypatch.setattr("lke.api.time", SimpleNamespace(time=lambda: nanti))


def test_evaluators_open_the_link_days_later(klien, data, monkeypatch):
    _status, body = klien.get(jawaban_url(data.unit.pk), {"tahun": 2026})
    url = body["answers"][0]["bukti_dukung_unit"]
    _nanti(monkeypatch, 20)
    resp = Client().get(url)
    assert resp.status_code == 200
    html = resp.content.decode()
    for teks in [data.unit.nama, "2026", "A.I.1.a", "soal_id 1", data.soal[1].judul[:40],
                 "sk tim.pdf", "?unduh=1"]:
        assert teks in html, teks
    assert "notulen.pdf" not in html
    zipped = Client().get(url, {"unduh": "1"})
    assert zipped["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content))).namelist()
    assert len(names) == 1 and names[0].endswith(" sk tim.pdf")
    _nanti(monkeypatch, 31)
    resp = Client().get(url)
    assert resp.status_code == 404 and "kedaluwarsa" in resp.content.decode()


# --- the proposals page --------------------------------------------------------------------

def _terbaik(unit):
    """Answers worth full marks on every row of 2026, typed (a unit without a plan)."""
    for s in SoalLke.objects.filter(komponen__area__lke__tahun=2026).select_related("jenis"):
        if s.angka:
            jawab = "0"  # 0 / 0 counts as 1, also for the decrease of violations
        elif s.jenis.aturan == "survei":
            jawab = "4"
        else:
            jawab = next(k for k, v in s.jenis.nilai.items() if v == "1")
        JawabanLke.objects.create(unit=unit, soal=s, jawaban_unit=jawab)


def _baris(html, kode):
    return html.split(f'data-testid="unit-{kode}"', 1)[1].split("</tr>", 1)[0]


def test_admin_sees_every_unit_with_its_forecast(client_as, data, dinkes):
    teladan = UnitKerjaFactory(nama="Kecamatan Teladan")
    _terbaik(teladan)
    Pengusulan.objects.create(unit=teladan, tahun=2026, kategori=Kategori.WBBM)
    resp = client_as("admin").get(reverse("lke:pengusulan"), {"tahun": 2026})
    assert resp.status_code == 200
    rows = {r["unit"].pk: r for r in resp.context["rows"]}
    assert set(UnitKerja.objects.filter(is_active=True).values_list("pk", flat=True)) == set(rows)
    harap = {
        data.unit.pk: selectors.skor_rencana(data.rk)[0],
        dinkes.pk: selectors.skor_rencana(RencanaKerja(unit=dinkes, tahun=2026))[0],
        teladan.pk: selectors.skor_rencana(RencanaKerja(unit=teladan, tahun=2026))[0],
    }
    html = resp.content.decode()
    for pk, skor in harap.items():
        r = rows[pk]
        assert r["skor"].total == skor.total
        assert r["wbk"].lulus == skor.predikat["WBK"].lulus
        assert r["wbbm"].lulus == skor.predikat["WBBM"].lulus
        assert koma(skor.total) in html
    assert harap[teladan.pk].total == 100 and rows[teladan.pk]["wbbm"].lulus
    assert not rows[data.unit.pk]["wbk"].lulus
    assert rows[data.unit.pk]["usulan"].kategori == "WBK" and rows[dinkes.pk]["usulan"] is None
    dinsos_html, teladan_html = _baris(html, data.unit.kode), _baris(html, teladan.kode)
    assert dinsos_html.count("belum memenuhi") == 2 and "<strong>WBK</strong>" in dinsos_html
    assert "tanpa rencana kerja" not in dinsos_html
    assert teladan_html.count(">memenuhi<") == 2 and "belum" not in teladan_html
    assert "tanpa rencana kerja" in teladan_html and "<strong>WBBM</strong>" in teladan_html
    assert "tidak diusulkan" in _baris(html, dinkes.kode)


def test_the_forecast_counts_the_tpi_answers(client_as, data):
    sebelum = client_as("admin").get(reverse("lke:pengusulan"), {"tahun": 2026})
    total = {r["unit"].pk: r["skor"].total for r in sebelum.context["rows"]}[data.unit.pk]
    JawabanLke.objects.filter(unit=data.unit, soal=data.soal[1]).update(jawaban_tpi="Ya")
    sesudah = client_as("admin").get(reverse("lke:pengusulan"), {"tahun": 2026})
    assert {r["unit"].pk: r["skor"].total for r in sesudah.context["rows"]}[data.unit.pk] > total


@pytest.mark.parametrize("role", ["sekretaris", "tpi", "anggota1", "kepaladinas", "sekretaris2"])
def test_others_are_refused(client_as, role, dinsos):
    c = client_as(role)
    assert c.get(reverse("lke:pengusulan")).status_code == 403
    resp = c.post(reverse("lke:pengusulan"), {"unit": dinsos.kode, "tahun": 2026,
                                              "kategori": "WBK"})
    assert resp.status_code == 403 and not Pengusulan.objects.filter(unit=dinsos).exists()


def test_anonymous_is_sent_to_sign_in(client, dinsos):
    resp = client.get(reverse("lke:pengusulan"))
    assert resp.status_code == 302 and resp["Location"].startswith("/masuk/")
    resp = client.post(reverse("lke:pengusulan"), {"unit": dinsos.kode, "tahun": 2026,
                                                   "kategori": "WBK"})
    assert resp.status_code == 302 and not Pengusulan.objects.exists()


def test_admin_proposes_changes_and_withdraws(client_as, dinkes, users):
    c = client_as("admin")
    url = reverse("lke:pengusulan")
    resp = c.post(url, {"aksi": "usulkan", "unit": dinkes.kode, "tahun": "2026",
                        "kategori": "WBK-AFIRMASI"})
    assert resp.status_code == 302 and resp["Location"] == f"{url}?tahun=2026"
    p = Pengusulan.objects.get(unit=dinkes, tahun=2026)
    assert (p.kategori, p.afirmasi, p.dibuat_oleh) == ("WBK-AFIRMASI", True, users["admin"])
    html = c.get(url, {"tahun": 2026}).content.decode()
    assert "WBK-AFIRMASI</strong> · afirmasi" in html and "Tarik usulan" in html

    c.post(url, {"aksi": "usulkan", "unit": dinkes.kode, "tahun": "2026", "kategori": "WBBM",
                 "afirmasi": "on"})
    p = Pengusulan.objects.get(unit=dinkes, tahun=2026)
    assert (p.kategori, p.afirmasi) == ("WBBM", True)
    assert Pengusulan.objects.filter(unit=dinkes).count() == 1

    resp = c.post(url, {"aksi": "tarik", "unit": dinkes.kode, "tahun": "2026"}, follow=True)
    assert "ditarik" in resp.content.decode()
    assert not Pengusulan.objects.filter(unit=dinkes).exists()


@pytest.mark.parametrize("isian,pesan", [
    ({"unit": "tidak-ada", "tahun": "2026", "kategori": "WBK"}, "Unit kerja tidak ditemukan"),
    ({"unit": "dinkes-mojokerto", "tahun": "2026", "kategori": "WBX"}, "Kategori harus"),
    ({"unit": "dinkes-mojokerto", "tahun": "1999", "kategori": "WBK"}, "2000 dan 2100"),
])
def test_a_bad_proposal_is_refused(client_as, isian, pesan):
    resp = client_as("admin").post(reverse("lke:pengusulan"), isian)
    assert resp.status_code == 400 and pesan in resp.content.decode()
    assert not Pengusulan.objects.exists()


def test_a_bad_year_is_400(client_as):
    assert client_as("admin").get(reverse("lke:pengusulan"), {"tahun": "20x6"}).status_code == 400


def test_a_year_without_lke_lists_units_without_forecast(client_as, dinsos):
    resp = client_as("admin").get(reverse("lke:pengusulan"), {"tahun": 2030})
    assert resp.status_code == 200 and 'data-testid="tanpa-lke"' in resp.content.decode()
    assert all(r["skor"] is None for r in resp.context["rows"])


def test_queries_do_not_grow_with_units(client_as, rk_dinsos, rk_dinkes,
                                        django_assert_max_num_queries):
    UnitKerja.objects.exclude(pk__in=[rk_dinsos.unit_id, rk_dinkes.unit_id]).update(is_active=False)
    c = client_as("admin")
    with CaptureQueriesContext(connection) as dua:
        assert len(c.get(reverse("lke:pengusulan"), {"tahun": 2024}).context["rows"]) == 2
    baru = UnitKerjaFactory()
    salin_rencana_kerja(sumber=rk_dinkes, unit=baru, tahun=2024)
    with django_assert_max_num_queries(len(dua.captured_queries)):
        assert len(c.get(reverse("lke:pengusulan"), {"tahun": 2024}).context["rows"]) == 3
    UnitKerjaFactory()  # without a plan: typed answers only
    with django_assert_max_num_queries(len(dua.captured_queries)):
        assert len(c.get(reverse("lke:pengusulan"), {"tahun": 2024}).context["rows"]) == 4


def test_admin_navigation_links_the_page(client_as):
    body = client_as("admin").get(reverse("organisasi:profil")).content.decode()
    assert reverse("lke:pengusulan") in body


# --- commands ------------------------------------------------------------------------------

def test_token_portalrb_prints_the_token_once(db):
    out = io.StringIO()
    call_command("token_portalrb", "PortalRB KemenPANRB", stdout=out)
    raw, pesan = out.getvalue().strip().splitlines()
    obj = TokenApi.objects.get(nama="PortalRB KemenPANRB")
    assert raw.startswith("zi_") and obj.hash == hash_token(raw) and obj.tautan_hari == 30
    assert "tidak akan ditampilkan lagi" in pesan and raw not in pesan
    assert Client(headers={"authorization": f"Bearer {raw}"}).get(WBK).status_code == 200


def test_token_portalrb_sets_the_link_days(db):
    out = io.StringIO()
    call_command("token_portalrb", "Skrip", "--hari", "45", stdout=out)
    assert TokenApi.objects.get(nama="Skrip").tautan_hari == 45
    for args in (["Skrip2", "--hari", "0"], ["Skrip2", "--hari", "abc"], ["  "]):
        with pytest.raises(CommandError):
            call_command("token_portalrb", *args, stdout=io.StringIO())
    assert not TokenApi.objects.filter(nama="Skrip2").exists()


def test_usulkan_unit_records_a_proposal_like_the_page(token, dinsos):
    out = io.StringIO()
    call_command("usulkan_unit", "dinsos-mojokerto", "--tahun", "2026", "--kategori",
                 "WBK-AFIRMASI", stdout=out)
    p = Pengusulan.objects.get(unit=dinsos, tahun=2026)
    assert (p.kategori, p.afirmasi) == ("WBK-AFIRMASI", True)
    assert "diusulkan untuk tahun 2026" in out.getvalue()
    body = Client(headers={"authorization": f"Bearer {token[1]}"}).get(WBK, {"tahun": 2026}).json()
    assert body["units"] == [{"id": str(dinsos.pk), "nama": dinsos.nama,
                              "kategori": "WBK-AFIRMASI", "afirmasi": True}]


def test_usulkan_unit_changes_only_with_ganti(dinsos):
    call_command("usulkan_unit", "dinsos-mojokerto", "--tahun", "2026", "--kategori", "WBK",
                 stdout=io.StringIO())
    with pytest.raises(CommandError, match="--ganti"):
        call_command("usulkan_unit", "dinsos-mojokerto", "--tahun", "2026", "--kategori", "WBBM",
                     stdout=io.StringIO())
    assert Pengusulan.objects.get(unit=dinsos, tahun=2026).kategori == "WBK"
    out = io.StringIO()
    call_command("usulkan_unit", "dinsos-mojokerto", "--tahun", "2026", "--kategori", "WBBM",
                 "--afirmasi", "--ganti", stdout=out)
    p = Pengusulan.objects.get(unit=dinsos, tahun=2026)
    assert (p.kategori, p.afirmasi) == ("WBBM", True) and "diubah" in out.getvalue()


@pytest.mark.parametrize("args,pesan", [
    (["tidak-ada", "--tahun", "2026", "--kategori", "WBK"], "Unit kerja tidak ditemukan"),
    (["dinsos-mojokerto", "--tahun", "2026", "--kategori", "wbk-lain"], "Kategori harus"),
    (["dinsos-mojokerto", "--tahun", "1999", "--kategori", "WBK"], "2000 dan 2100"),
    (["dinsos-mojokerto", "--tahun", "dua", "--kategori", "WBK"], "2000 dan 2100"),
])
def test_usulkan_unit_refuses_bad_input(db, args, pesan):
    with pytest.raises(CommandError, match=pesan):
        call_command("usulkan_unit", *args, stdout=io.StringIO())
    assert not Pengusulan.objects.exists()


def test_usulan_tidak_buta(client_as, dinsos):
    """Proposing a unit whose forecast fails says so (the proposal is still made); a year
    whose LKE carries no soal_id says that PortalRB gets no answers."""
    c = client_as("admin")
    r = c.post(reverse("lke:pengusulan") + "?tahun=2024",
               {"unit": dinsos.kode, "tahun": 2024, "kategori": "WBK"}, follow=True)
    html = r.content.decode()
    assert Pengusulan.objects.filter(unit=dinsos, tahun=2024, kategori="WBK").exists()
    assert "belum memenuhi Menuju WBK" in html and "Nilai total" in html
    assert 'data-testid="tanpa-soal-id"' in html
    assert 'data-testid="tanpa-soal-id"' not in c.get(reverse("lke:pengusulan"),
                                                      {"tahun": 2026}).content.decode()
