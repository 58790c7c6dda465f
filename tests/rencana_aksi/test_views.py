"""The plan in the browser: access per role, filters, edits, conflicts, imports."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rencana_aksi.models import Komponen, RencanaAksi, RencanaKerja

PLAN = reverse("rencana_aksi:rencana", args=["dinsos-mojokerto", 2024])
PLAN_DINKES = reverse("rencana_aksi:rencana", args=["dinkes-mojokerto", 2024])


def _ra(unit, **kw):
    return RencanaAksi.objects.milik_unit(unit).filter(**kw).order_by("pk").first()


# --- access -----------------------------------------------------------------------------

def test_anonymous_is_sent_to_login(client):
    resp = client.get(PLAN)
    assert resp.status_code == 302 and resp["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("username", ["sekretaris", "anggota1", "kepaladinas", "tpi", "admin"])
def test_dinsos_roles_see_the_whole_plan(client_as, username):
    resp = client_as(username).get(PLAN + "?area=semua")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "Dinas Sosial Kabupaten Mojokerto" in body
    assert "SK Tim Kerja ZI telah dibuat sesuai prosedur yang telah ditetapkan" in body
    assert "Jumlah pelanggaran tahun ini" in body
    assert body.count('data-testid="rencana-aksi"') == 110


def _ra_di_halaman(body):
    return body.count('data-testid="rencana-aksi"')


def test_rencana_dibuka_per_area(client_as, rk_dinsos):
    from rencana_aksi.models import RencanaAksi

    c = client_as("sekretaris")
    per_area = {kode: RencanaAksi.objects.filter(
        indikator__komponen__area_rencana__rencana_kerja=rk_dinsos,
        indikator__komponen__area_rencana__area__kode=kode).count()
        for kode in ("I", "II", "III", "IV", "V", "VI")}
    body = c.get(PLAN).content.decode()
    assert _ra_di_halaman(body) == per_area["I"] < 110  # the first area only
    assert 'data-testid="area-I"' in body and 'aria-current="page"' in body
    assert '<option value="I" selected>' in body  # the filter says what is shown
    for kode, n in per_area.items():
        assert _ra_di_halaman(c.get(PLAN, {"area": kode}).content.decode()) == n
    assert sum(per_area.values()) == 110
    assert _ra_di_halaman(c.get(PLAN, {"area": "semua"}).content.decode()) == 110
    # a filter from another page without an area looks through every area
    semua = c.get(PLAN, {"q": "SK"}).content.decode()
    assert _ra_di_halaman(semua) > _ra_di_halaman(c.get(PLAN, {"q": "SK", "area": "I"})
                                                  .content.decode())
    assert '<option value="semua" selected>' in semua


@pytest.mark.parametrize("username", ["sekretaris2", "anggota3"])
def test_other_unit_gets_404(client_as, username, rk_dinsos):
    c = client_as(username)
    assert c.get(PLAN).status_code == 404
    ra = _ra(rk_dinsos.unit)
    assert c.get(reverse("rencana_aksi:rencana_aksi_ubah", args=[ra.pk])).status_code == 404
    k = Komponen.objects.filter(area_rencana__rencana_kerja=rk_dinsos).first()
    assert c.post(reverse("rencana_aksi:komponen_ubah", args=[k.pk]), {}).status_code == 404
    assert c.get(reverse("rencana_aksi:ekspor_json", args=["dinsos-mojokerto", 2024])).status_code == 404
    assert c.get(reverse("rencana_aksi:impor", args=["dinsos-mojokerto", 2024])).status_code == 404


def test_tpi_reads_both_units_but_cannot_edit(client_as, rk_dinsos):
    c = client_as("tpi")
    assert "Dinas Kesehatan Kabupaten Mojokerto" in c.get(PLAN_DINKES).content.decode()
    ra = _ra(rk_dinsos.unit)
    assert c.get(reverse("rencana_aksi:rencana_aksi_ubah", args=[ra.pk])).status_code == 403
    body = c.get(PLAN).content.decode()
    assert '/ubah/' not in body and 'Tambah indikator' not in body


@pytest.mark.parametrize("username", ["anggota1", "kepaladinas"])
def test_read_only_roles_cannot_edit(client_as, username, rk_dinsos):
    ra = _ra(rk_dinsos.unit)
    resp = client_as(username).post(reverse("rencana_aksi:rencana_aksi_ubah", args=[ra.pk]),
                                    {"teks": "x", "versi": ra.versi})
    assert resp.status_code == 403
    ra.refresh_from_db()
    assert ra.teks != "x"


def test_plan_list_redirects_single_unit_user_and_lists_for_admin(client_as):
    resp = client_as("anggota3").get(reverse("rencana_aksi:daftar"))
    assert resp["Location"] == PLAN_DINKES
    resp = client_as("admin").get(reverse("rencana_aksi:daftar"))
    assert resp.status_code == 200
    body = resp.content.decode()
    assert PLAN in body and PLAN_DINKES in body


def test_login_page_is_indonesian(client, users):
    body = client.get(reverse("login")).content.decode()
    assert "Nama pengguna" in body and "Kata sandi" in body and "Masuk ke aplikasi" in body
    resp = client.post(reverse("login"), {"username": "sekretaris", "password": "salah"})
    assert "Nama pengguna atau kata sandi salah." in resp.content.decode()
    resp = client.post(reverse("login"), {"username": "sekretaris", "password": "demo12345"})
    assert resp.status_code == 302
    resp = client.post(reverse("logout"))
    assert resp.status_code == 302 and client.get(PLAN).status_code == 302


# --- query counts ------------------------------------------------------------------------

def test_plan_page_query_count_is_constant(client_as, django_assert_max_num_queries, rk_dinsos):
    c = client_as("sekretaris")
    c.get(PLAN)  # warm the session
    with django_assert_max_num_queries(18) as small:
        c.get(PLAN + "?area=I")
    with django_assert_max_num_queries(18) as full:
        c.get(PLAN + "?area=")
    with django_assert_max_num_queries(18):
        c.get(PLAN + "?bulan=2024-03&q=SK")
    # the area filter costs one lookup of the area code, nothing per row
    assert len(full.captured_queries) + 1 == len(small.captured_queries)


def test_plan_page_queries_do_not_grow_with_rows(client_as, django_assert_max_num_queries):
    """The small dinkes plan and the full dinsos plan cost the same number of queries."""
    c = client_as("tpi")
    c.get(PLAN_DINKES)  # warm the session (it remembers the unit last visited)
    with django_assert_max_num_queries(18) as small:
        c.get(PLAN_DINKES)
    c.get(PLAN)
    with django_assert_max_num_queries(18) as full:
        c.get(PLAN)
    assert len(small.captured_queries) == len(full.captured_queries)


# --- filters ------------------------------------------------------------------------------

def test_filter_by_month(client_as, rk_dinsos):
    body = client_as("sekretaris").get(PLAN + "?bulan=2024-04").content.decode()
    expected = RencanaAksi.objects.milik_unit(rk_dinsos.unit).filter(
        target_bulan__bulan=date(2024, 4, 1)).count()
    assert body.count('data-testid="rencana-aksi"') == expected > 0
    assert "Menetapkan Agen Perubahan" in body  # April 2024
    assert "Pembentukan Tim Kerja ZI dalam unit kerja" not in body  # Februari only


def test_filter_by_area_and_search(client_as):
    c = client_as("sekretaris")
    body = c.get(PLAN + "?area=V").content.decode()
    assert "Pengendalian Gratifikasi" in body and "Tim Kerja ZI" not in body
    body = c.get(PLAN + "?q=whistle").content.decode()
    assert "<mark>Whistle</mark> Blowing System" in body  # matches are highlighted
    assert body.count('data-testid="rencana-aksi"') == 3
    body = c.get(PLAN + "?q=tidak-ada-yang-cocok").content.decode()
    assert 'data-testid="kosong"' in body


def test_filter_by_pic_uses_komponen_pic(client_as, users, rk_dinsos):
    k = Komponen.objects.get(area_rencana__rencana_kerja=rk_dinsos, area_rencana__bagian__kode="B",
                             area_rencana__area__kode="VI", nomor=2)
    k.pic = users["anggota2"]
    k.save()
    ra = _ra(rk_dinsos.unit, teks="Pembentukan Tim Kerja ZI dalam unit kerja")
    ra.pic = users["anggota2"]
    ra.save()
    body = client_as("sekretaris").get(PLAN + f"?pic={users['anggota2'].pk}").content.decode()
    assert "Penanganan Pengaduan Pelayanan dan Konsultasi" in body
    assert "Pembentukan Tim Kerja ZI dalam unit kerja" in body


def test_bad_filter_values_do_not_crash(client_as):
    resp = client_as("sekretaris").get(PLAN + "?bulan=2024-13&pic=abc&area=X")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "Filter bulan &#x27;2024-13&#x27; tidak dikenal dan diabaikan." in body
    assert "Filter area &#x27;X&#x27; tidak dikenal" in body
    resp = client_as("sekretaris").get(PLAN + "?bulan=2024-13", HTTP_HX_REQUEST="true",
                                       HTTP_HX_TARGET="pohon")
    assert "tidak dikenal dan diabaikan" in resp.content.decode()  # also in the fragment


def test_htmx_request_renders_only_the_tree(client_as):
    resp = client_as("sekretaris").get(PLAN + "?area=I", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="pohon")
    body = resp.content.decode()
    assert "<html" not in body and "Tim Kerja" in body
    assert "HX-Request" in resp["Vary"]


# --- edits and conflicts -----------------------------------------------------------------

def _bd_data(rows):
    """Formset data for the evidence list: rows of (id or "", nama[, delete])."""
    data = {"bd-TOTAL_FORMS": len(rows), "bd-INITIAL_FORMS": 0}
    for i, row in enumerate(rows):
        data[f"bd-{i}-id"], data[f"bd-{i}-nama"] = row[0], row[1]
        if len(row) > 2 and row[2]:
            data[f"bd-{i}-DELETE"] = "on"
    return data


def _form_data(ra, **over):
    """What the edit form sends back when the user changes only `over`."""
    from django.contrib.auth import get_user_model

    from rencana_aksi.forms import RencanaAksiForm

    form = RencanaAksiForm(instance=ra, tahun=2024, anggota=get_user_model().objects.none())
    data = {"teks": ra.teks, "target_waktu": ra.target_waktu, "pic": "", "versi": ra.versi,
            "bulan": [d.strftime("%Y-%m") for d in ra.bulan_list()],
            "awal": form.initial["awal"]}
    data.update(_bd_data([(b.pk, b.nama) for b in ra.bukti_dukung.filter(isian__isnull=True)]))
    if ra.per_kejadian:
        data["per_kejadian"] = "on"
    data.update(over)
    return data


def test_sekretaris_assigns_pic_and_edits_target(client_as, users, rk_dinsos):
    ra = _ra(rk_dinsos.unit, teks="Pembentukan Tim Kerja ZI dalam unit kerja")
    url = reverse("rencana_aksi:rencana_aksi_ubah", args=[ra.pk])
    c = client_as("sekretaris")
    resp = c.post(url, _form_data(ra, pic=users["anggota1"].pk, target_waktu="Maret – April 2024"))
    assert resp.status_code == 302
    ra.refresh_from_db()
    assert ra.pic == users["anggota1"] and ra.versi == 2
    assert [str(t) for t in ra.target_bulan.all()] == ["2024-03", "2024-04"]
    assert not ra.bulan_manual
    assert ra.history.count() >= 2  # audited


def test_pic_must_be_a_member_of_the_unit(client_as, users, rk_dinsos):
    ra = _ra(rk_dinsos.unit)
    resp = client_as("sekretaris").post(reverse("rencana_aksi:rencana_aksi_ubah", args=[ra.pk]),
                                        _form_data(ra, pic=users["anggota3"].pk))
    assert resp.status_code == 400
    assert "Masukkan pilihan yang valid" in resp.content.decode()
    ra.refresh_from_db()
    assert ra.pic is None


def test_unreadable_target_is_set_by_hand(client_as, rk_dinsos):
    ra = _ra(rk_dinsos.unit, target_waktu="Sesuai surat edaran Pemda")
    url = reverse("rencana_aksi:rencana_aksi_ubah", args=[ra.pk])
    c = client_as("sekretaris")
    assert "tidak dapat dibaca sebagai bulan" in c.get(url).content.decode()
    assert "bulan perlu diatur" in c.get(PLAN + "?q=surat+edaran").content.decode()
    resp = c.post(url, _form_data(ra, per_kejadian="", bulan=[]))
    assert resp.status_code == 302  # nothing changed: still flagged
    ra.refresh_from_db()
    assert ra.perlu_atur_bulan
    resp = c.post(url, _form_data(ra, bulan=["2024-06", "2024-12"], per_kejadian="on"))
    assert resp.status_code == 302
    ra.refresh_from_db()
    assert ra.per_kejadian and ra.bulan_manual
    resp = c.post(url, _form_data(ra, bulan=[], per_kejadian=""))  # unticking everything
    assert resp.status_code == 400
    assert resp.status_code == 400
    assert "Pilih paling sedikit satu bulan" in resp.content.decode()
    resp = c.post(url, _form_data(ra, per_kejadian="", bulan=["2024-06", "2024-12"]))
    assert resp.status_code == 302
    ra.refresh_from_db()
    assert ra.bulan_manual and not ra.perlu_atur_bulan
    assert [str(t) for t in ra.target_bulan.all()] == ["2024-06", "2024-12"]
    assert ra.target_waktu == "Sesuai surat edaran Pemda"  # the original text stays


def test_second_editor_gets_conflict_and_loses_nothing(client_as, client, users, rk_dinsos):
    from django.test import Client

    ra = _ra(rk_dinsos.unit, teks="Pembentukan Tim Kerja ZI dalam unit kerja")
    url = reverse("rencana_aksi:rencana_aksi_ubah", args=[ra.pk])
    first, second = Client(), Client()
    first.force_login(users["sekretaris"])
    second.force_login(users["admin"])
    loaded = _form_data(ra)  # both opened the form at version 1
    assert first.post(url, {**loaded, "teks": "Versi pertama"}).status_code == 302
    resp = second.post(url, {**loaded, "teks": "Versi kedua yang panjang"})
    assert resp.status_code == 409
    body = resp.content.decode()
    assert "sudah diubah oleh Sekretaris Tim ZI Dinsos pada" in body
    assert "Versi kedua yang panjang" in body  # the second user's text is still in the form
    assert 'data-testid="versi-terbaru"' in body and "Versi pertama" in body  # what was saved
    ra.refresh_from_db()
    assert ra.teks == "Versi pertama" and ra.versi == 2
    # the form now carries the latest version: saving again deliberately overwrites
    assert f'name="versi" value="{ra.versi}"' in body
    assert second.post(url, {**loaded, "versi": ra.versi, "teks": "Versi kedua"}).status_code == 302
    ra.refresh_from_db()
    assert ra.teks == "Versi kedua"


def test_komponen_conflict(users, rk_dinsos):
    from django.test import Client

    k = Komponen.objects.filter(area_rencana__rencana_kerja=rk_dinsos).order_by("pk").first()
    url = reverse("rencana_aksi:komponen_ubah", args=[k.pk])
    a, b = Client(), Client()
    a.force_login(users["sekretaris"])
    b.force_login(users["admin"])
    data = {"nama": k.nama, "pic": users["anggota1"].pk, "versi": k.versi}
    assert a.post(url, data).status_code == 302
    resp = b.post(url, {**data, "pic": users["anggota2"].pk})
    assert resp.status_code == 409
    k.refresh_from_db()
    assert k.pic == users["anggota1"]


# --- import in the browser -----------------------------------------------------------------

def _xlsx(rows):
    wb = openpyxl.Workbook()
    wb.active.append(["BAGIAN", "AREA", "NO", "KOMPONEN", "INDIKATOR", "RENCANA AKSI",
                      "BUKTI DUKUNG", "TARGET WAKTU"])
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("rencana.xlsx", buf.getvalue())


def test_import_xlsx_in_the_browser(client_as, rk_dinsos):
    url = reverse("rencana_aksi:impor", args=["dinsos-mojokerto", 2026])
    f = _xlsx([["A PEMENUHAN", "I MANAJEMEN PERUBAHAN", 1, "Tim Kerja", "Ind", "Aksi", "SK",
                "Maret 2026"]])
    resp = client_as("sekretaris").post(url, {"berkas": f, "tahun": 2026})
    assert resp.status_code == 302
    rk = RencanaKerja.objects.get(unit=rk_dinsos.unit, tahun=2026)
    assert [str(t) for t in RencanaAksi.objects.get(
        indikator__komponen__area_rencana__rencana_kerja=rk).target_bulan.all()] == ["2026-03"]


def test_import_malformed_xlsx_shows_rows_and_keeps_plan(client_as, rk_dinsos):
    url = reverse("rencana_aksi:impor", args=["dinsos-mojokerto", 2024])
    n = RencanaAksi.objects.milik_unit(rk_dinsos.unit).count()
    f = _xlsx([["A PEMENUHAN", "I MANAJEMEN PERUBAHAN", "x", "Tim Kerja", "Ind", "Aksi", "SK", ""]])
    resp = client_as("sekretaris").post(url, {"berkas": f, "ganti": "on", "tahun": 2024})
    assert resp.status_code == 400
    body = resp.content.decode()
    assert "Impor dibatalkan; tidak ada data yang diubah" in body
    assert "Baris 2: NO harus bilangan bulat 1-999" in body
    assert RencanaAksi.objects.milik_unit(rk_dinsos.unit).count() == n


def test_import_wrong_file_type(client_as):
    url = reverse("rencana_aksi:impor", args=["dinsos-mojokerto", 2025])
    f = SimpleUploadedFile("virus.exe", b"MZ\x90\x00")
    resp = client_as("sekretaris").post(url, {"berkas": f, "tahun": 2025})
    assert resp.status_code == 400
    assert "Berkas &#x27;virus.exe&#x27; bukan XLSX, YAML atau JSON." in resp.content.decode()
    f = SimpleUploadedFile("rencana.xlsx", b"MZ\x90\x00 not a workbook")
    resp = client_as("sekretaris").post(url, {"berkas": f, "tahun": 2025})
    assert "bukan spreadsheet XLSX yang sah" in resp.content.decode()
    assert not RencanaKerja.objects.filter(tahun=2025).exists()


def test_export_downloads(client_as, rk_dinsos):
    c = client_as("anggota1")
    resp = c.get(reverse("rencana_aksi:ekspor_xlsx", args=["dinsos-mojokerto", 2024]))
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    rows = list(wb.active.iter_rows(min_row=2, values_only=True))
    plan_rows = [r for r in rows if r[8] is None]
    # one row per bukti dukung, plus one per action that shares the evidence cell above
    shared = RencanaAksi.objects.milik_unit(rk_dinsos.unit).filter(bukti_dukung__isnull=True).count()
    assert shared > 0
    assert len(plan_rows) == 116 + shared
    assert {r[9] for r in rows if r[8] is not None} == {"jumlah", "persentase"}
    resp = c.get(reverse("rencana_aksi:ekspor_json", args=["dinsos-mojokerto", 2024]))
    assert resp.json()["unit"]["kode"] == "dinsos-mojokerto"


def test_pendahuluan_page(client_as):
    body = client_as("kepaladinas").get(
        reverse("rencana_aksi:pendahuluan", args=["dinsos-mojokerto", 2024])).content.decode()
    assert "1.1 Latar Belakang" in body
    assert "Kepala Dinas menetapkan melalui" in body
    assert "Pelaporan kegiatan TIM ZI" in body


def test_edit_evidence_list_keeps_rows_that_stay(client_as, rk_dinsos):
    ra = _ra(rk_dinsos.unit, teks__startswith="Mensosialisasikan kepada seluruh pegawai")
    first, second = ra.bukti_dukung.order_by("urutan")
    url = reverse("rencana_aksi:rencana_aksi_ubah", args=[ra.pk])
    data = _form_data(ra)
    data.update(_bd_data([(first.pk, "Bukti publikasi (banner, SS website)"),
                          (second.pk, second.nama, True), ("", "Foto kegiatan sosialisasi"),
                          ("", "   ")]))
    resp = client_as("sekretaris").post(url, data)
    assert resp.status_code == 302
    rows = list(ra.bukti_dukung.order_by("urutan").values_list("pk", "nama"))
    assert rows[0] == (first.pk, "Bukti publikasi (banner, SS website)")  # same row, renamed
    assert [n for _pk, n in rows] == ["Bukti publikasi (banner, SS website)",
                                      "Foto kegiatan sosialisasi"]


def test_evidence_ids_of_another_action_are_not_touched(client_as, rk_dinsos):
    ra = _ra(rk_dinsos.unit, teks="Pembentukan Tim Kerja ZI dalam unit kerja")
    other = _ra(rk_dinsos.unit, teks="Penyusunan dokumen rencana kerja pembangunan ZI")
    stranger = other.bukti_dukung.first()
    data = _form_data(ra)
    data.update(_bd_data([(stranger.pk, "dibajak")]))
    client_as("sekretaris").post(reverse("rencana_aksi:rencana_aksi_ubah", args=[ra.pk]), data)
    stranger.refresh_from_db()
    assert stranger.nama == "Dokumen Rencana Kerja ZI" and stranger.rencana_aksi == other
    assert list(ra.bukti_dukung.values_list("nama", flat=True)) == ["dibajak"]


def test_edit_indikator_and_add_action(client_as, users, rk_dinsos):
    ra = _ra(rk_dinsos.unit, teks="Pembentukan Tim Kerja ZI dalam unit kerja")
    ind = ra.indikator
    c = client_as("sekretaris")
    url = reverse("rencana_aksi:indikator_ubah", args=[ind.pk])
    kosong = {"isian-TOTAL_FORMS": 0, "isian-INITIAL_FORMS": 0}
    assert c.post(url, {"teks": "Teks indikator baru", "versi": ind.versi, **kosong}
                  ).status_code == 302
    resp = c.post(url, {"teks": "Teks lama menimpa", "versi": ind.versi, **kosong})
    assert resp.status_code == 409
    ind.refresh_from_db()
    assert ind.teks == "Teks indikator baru"
    resp = c.post(reverse("rencana_aksi:rencana_aksi_tambah", args=[ind.pk]), {
        "teks": "Sosialisasi SK Tim", "target_waktu": "Maret, Juni 2024",
        "pic": users["anggota1"].pk, "bukti_dukung": "Notulen\n\n  Daftar hadir  \n"})
    assert resp.status_code == 302
    new = ind.rencana_aksi.order_by("-urutan").first()
    assert new.teks == "Sosialisasi SK Tim" and new.pic == users["anggota1"]
    assert [str(t) for t in new.target_bulan.all()] == ["2024-03", "2024-06"]
    assert list(new.bukti_dukung.values_list("nama", flat=True)) == ["Notulen", "Daftar hadir"]
    assert client_as("anggota1").post(
        reverse("rencana_aksi:rencana_aksi_tambah", args=[ind.pk]), {"teks": "x"}).status_code == 403


def test_copy_plan_in_the_browser(client_as, rk_dinsos, dinkes):
    c = client_as("sekretaris")
    url = reverse("rencana_aksi:salin", args=["dinsos-mojokerto", 2024])
    form = c.get(url).content.decode()
    assert "Dinas Kesehatan" not in form  # a Sekretaris copies only within the own unit
    resp = c.post(url, {"unit": rk_dinsos.unit.pk, "tahun": 2025})
    assert resp["Location"] == reverse("rencana_aksi:rencana", args=["dinsos-mojokerto", 2025])
    resp = c.post(url, {"unit": rk_dinsos.unit.pk, "tahun": 2025})
    assert resp.status_code == 400 and "sudah ada" in resp.content.decode()
    resp = c.post(url, {"unit": rk_dinsos.unit.pk, "tahun": 2025, "ganti": "on"})
    assert resp.status_code == 302
    resp = c.post(url, {"unit": dinkes.pk, "tahun": 2026})
    assert resp.status_code == 400
    assert not RencanaKerja.objects.filter(unit=dinkes, tahun=2026).exists()
    admin = client_as("admin")
    assert admin.post(url, {"unit": dinkes.pk, "tahun": 2026}).status_code == 302
    assert RencanaKerja.objects.filter(unit=dinkes, tahun=2026).exists()


def test_admin_home_offers_import_for_units_without_plan(client_as):
    from organisasi.models import UnitKerja

    UnitKerja.objects.create(kode="bappeda-mojokerto", nama="Bappeda Kabupaten Mojokerto")
    body = client_as("admin").get(reverse("rencana_aksi:daftar")).content.decode()
    assert "Bappeda Kabupaten Mojokerto" in body
    assert "/rencana/bappeda-mojokerto/" in body and "/impor/" in body
    body = client_as("tpi").get(reverse("rencana_aksi:daftar")).content.decode()
    assert "Bappeda" not in body


def test_edit_returns_to_the_filtered_plan(client_as, rk_dinsos):
    ra = _ra(rk_dinsos.unit, teks="Pembentukan Tim Kerja ZI dalam unit kerja")
    url = reverse("rencana_aksi:rencana_aksi_ubah", args=[ra.pk])
    c = client_as("sekretaris")
    nxt = PLAN + "?area=I&q=tim"
    body = c.get(url, {"next": nxt}).content.decode()
    assert 'href="/rencana/dinsos-mojokerto/2024/?area=I&amp;q=tim#ra-' in body  # Batal
    resp = c.post(url, {**_form_data(ra), "next": nxt})
    assert resp["Location"] == f"{nxt}#ra-{ra.pk}"
    ra.refresh_from_db()
    for bad in ("https://evil.example/", "//evil.example/x", "/admin/", PLAN_DINKES):
        resp = c.post(url, {**_form_data(ra), "next": bad})
        assert resp["Location"] == f"{PLAN}?area=I#ra-{ra.pk}"  # the area of the edited row
        ra.refresh_from_db()


def test_filter_actions_whose_months_need_setting(client_as, rk_dinsos):
    c = client_as("sekretaris")
    body = c.get(PLAN + "?perlu_atur=1").content.decode()
    assert body.count('data-testid="rencana-aksi"') == 3
    assert 'data-testid="jumlah-perlu-atur">3<' in body
    ra = _ra(rk_dinsos.unit, target_waktu="Sesuai surat edaran Pemda")
    c.post(reverse("rencana_aksi:rencana_aksi_ubah", args=[ra.pk]),
           _form_data(ra, bulan=["2024-06"]))
    body = c.get(PLAN + "?perlu_atur=1").content.decode()
    assert body.count('data-testid="rencana-aksi"') == 2
    assert 'data-testid="jumlah-perlu-atur">2<' in body


def test_search_text_is_escaped(client_as):
    body = client_as("sekretaris").get(PLAN + "?q=<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)</script>" not in body


def test_error_pages_are_indonesian(client_as, rk_dinsos, settings):
    ra = _ra(rk_dinsos.unit)
    resp = client_as("kepaladinas").get(reverse("rencana_aksi:rencana_aksi_ubah", args=[ra.pk]))
    assert resp.status_code == 403 and "Akses ditolak" in resp.content.decode()
    settings.DEBUG = False
    resp = client_as("anggota3").get(PLAN)
    assert resp.status_code == 404 and "Halaman tidak ditemukan" in resp.content.decode()


def test_sekretaris_edits_pendahuluan_and_lampiran(client_as, rk_dinsos):
    url = reverse("rencana_aksi:pendahuluan_ubah", args=["dinsos-mojokerto", 2024])
    c = client_as("sekretaris")
    form = c.get(url).content.decode()
    assert "Kepala Dinas menetapkan melalui" in form  # the list as lines
    data = {"pendahuluan": "BAB I\n\nTeks baru.", "versi": rk_dinsos.versi,
            "mekanisme_penetapan_tim": "Langkah satu\n\n  Langkah   dua \n",
            "target_prioritas": "Target A"}
    assert c.post(url, data).status_code == 302
    rk_dinsos.refresh_from_db()
    assert rk_dinsos.mekanisme_penetapan_tim == ["Langkah satu", "Langkah dua"]
    assert rk_dinsos.target_prioritas == ["Target A"]
    resp = c.post(url, {**data, "target_prioritas": "Menimpa"})  # stale version
    assert resp.status_code == 409
    rk_dinsos.refresh_from_db()
    assert rk_dinsos.target_prioritas == ["Target A"]
    assert client_as("kepaladinas").post(url, data).status_code == 403
    assert client_as("sekretaris2").get(url).status_code == 404


def test_month_boxes_offer_every_month_the_action_has(client_as, rk_dinsos):
    """A target in the next year (or any other) is never dropped by saving the form."""
    ra = _ra(rk_dinsos.unit, teks="Pembentukan Tim Kerja ZI dalam unit kerja")
    url = reverse("rencana_aksi:rencana_aksi_ubah", args=[ra.pk])
    c = client_as("sekretaris")
    assert c.post(url, _form_data(ra, target_waktu="Desember 2024 – Januari 2025")).status_code == 302
    ra.refresh_from_db()
    assert [str(t) for t in ra.target_bulan.all()] == ["2024-12", "2025-01"]
    assert c.post(url, _form_data(ra, teks="Teks baru")).status_code == 302
    ra.refresh_from_db()
    assert [str(t) for t in ra.target_bulan.all()] == ["2024-12", "2025-01"]
    assert not ra.bulan_manual
    assert c.post(url, _form_data(ra, target_waktu="Setiap bulan 2027")).status_code == 302
    ra.refresh_from_db()
    assert c.post(url, _form_data(ra, teks="Lagi")).status_code == 302
    ra.refresh_from_db()
    assert len(ra.target_bulan.all()) == 12 and not ra.bulan_manual


def test_unicode_digits_in_pic_filter(client_as):
    body = client_as("sekretaris").get(PLAN + "?pic=²&area=semua").content.decode()
    assert "bukan anggota tim unit ini" in body  # ignored with a warning, not a crash
    assert body.count('data-testid="rencana-aksi"') == 110


def test_inactive_unit_is_closed_everywhere(client_as, rk_dinsos):
    unit = rk_dinsos.unit
    unit.is_active = False
    unit.save()
    ra = _ra(unit)
    c = client_as("sekretaris")
    assert c.get(PLAN).status_code == 404
    assert c.get(reverse("rencana_aksi:rencana_aksi_ubah", args=[ra.pk])).status_code == 404
    assert c.post(reverse("rencana_aksi:rencana_aksi_ubah", args=[ra.pk]),
                  _form_data(ra, teks="x")).status_code == 404
    k = ra.indikator.komponen
    assert c.get(reverse("rencana_aksi:komponen_ubah", args=[k.pk])).status_code == 404


def test_search_highlight_does_not_break_entities(client_as, rk_dinsos):
    ra = _ra(rk_dinsos.unit)
    ra.teks = "SOP & Maklumat <b>pelayanan</b>"
    ra.save()
    body = client_as("sekretaris").get(PLAN + "?q=amp").content.decode()
    assert "&<mark>amp</mark>;" not in body
    body = client_as("sekretaris").get(PLAN + "?q=maklumat").content.decode()
    assert "SOP &amp; <mark>Maklumat</mark> &lt;b&gt;pelayanan&lt;/b&gt;" in body


def test_saving_again_after_a_conflict_follows_the_users_text(users, rk_dinsos):
    """The loser of a conflict changed only the target text: saving again must read his
    text, not take the months he loaded as a manual choice."""
    from django.test import Client

    ra = _ra(rk_dinsos.unit, teks="Pembentukan Tim Kerja ZI dalam unit kerja")  # Februari 2024
    url = reverse("rencana_aksi:rencana_aksi_ubah", args=[ra.pk])
    a, b = Client(), Client()
    a.force_login(users["sekretaris"])
    b.force_login(users["admin"])
    loaded = _form_data(ra)
    assert a.post(url, {**loaded, "target_waktu": "Maret 2024"}).status_code == 302
    resp = b.post(url, {**loaded, "target_waktu": "April 2024"})
    assert resp.status_code == 409
    ra.refresh_from_db()
    assert b.post(url, {**loaded, "target_waktu": "April 2024", "versi": ra.versi}).status_code == 302
    ra.refresh_from_db()
    assert [str(t) for t in ra.target_bulan.all()] == ["2024-04"] and not ra.bulan_manual


def test_changing_only_the_text_reads_it_again_even_after_manual_months(client_as, rk_dinsos):
    ra = _ra(rk_dinsos.unit, teks="Pembentukan Tim Kerja ZI dalam unit kerja")
    url = reverse("rencana_aksi:rencana_aksi_ubah", args=[ra.pk])
    c = client_as("sekretaris")
    assert c.post(url, _form_data(ra, bulan=["2024-07"])).status_code == 302
    ra.refresh_from_db()
    assert ra.bulan_manual
    assert c.post(url, _form_data(ra, teks="Teks saja")).status_code == 302  # months stay
    ra.refresh_from_db()
    assert ra.bulan_manual and [str(t) for t in ra.target_bulan.all()] == ["2024-07"]
    assert c.post(url, _form_data(ra, target_waktu="Mei, Juni 2024")).status_code == 302
    ra.refresh_from_db()
    assert not ra.bulan_manual
    assert [str(t) for t in ra.target_bulan.all()] == ["2024-05", "2024-06"]


def test_import_into_another_year_from_the_plan_page(client_as, rk_dinsos):
    """The import page of the 2024 plan can bring the 2025 plan (year chosen on the form)."""
    url = reverse("rencana_aksi:impor", args=["dinsos-mojokerto", 2024])
    c = client_as("sekretaris")
    assert 'name="tahun" value="2024"' in c.get(url).content.decode()
    f = _xlsx([["A PEMENUHAN", "I MANAJEMEN PERUBAHAN", 1, "Tim Kerja", "Ind", "Aksi", "SK",
                "Maret 2025"]])
    resp = c.post(url, {"berkas": f, "tahun": 2025})
    assert resp["Location"] == reverse("rencana_aksi:rencana", args=["dinsos-mojokerto", 2025])
    f = _xlsx([["A PEMENUHAN", "I MANAJEMEN PERUBAHAN", 1, "Tim Kerja", "Ind", "Aksi", "SK", ""]])
    resp = c.post(url, {"berkas": f, "tahun": 2025})
    body = resp.content.decode()
    assert resp.status_code == 400
    assert "Rencana kerja Dinas Sosial Kabupaten Mojokerto tahun 2025 sudah ada" in body


def test_pendahuluan_keeps_paragraphs_from_a_browser(client_as, rk_dinsos):
    url = reverse("rencana_aksi:pendahuluan_ubah", args=["dinsos-mojokerto", 2024])
    text = rk_dinsos.pendahuluan.replace("\n", "\r\n") + "\r\n\r\nParagraf tambahan."
    resp = client_as("sekretaris").post(url, {
        "pendahuluan": text, "versi": rk_dinsos.versi,
        "mekanisme_penetapan_tim": "\r\n".join(rk_dinsos.mekanisme_penetapan_tim),
        "target_prioritas": "\r\n".join(rk_dinsos.target_prioritas)})
    assert resp.status_code == 302
    rk_dinsos.refresh_from_db()
    assert "\r" not in rk_dinsos.pendahuluan
    assert rk_dinsos.pendahuluan.endswith("\n\nParagraf tambahan.")
    body = client_as("sekretaris").get(reverse("rencana_aksi:pendahuluan",
                                               args=["dinsos-mojokerto", 2024])).content.decode()
    assert '<h3 class="h6 mt-3">1.1 Latar Belakang</h3>' in body
    assert "<p>Paragraf tambahan.</p>" in body


def test_delete_action_with_confirmation_and_version(client_as, users, rk_dinsos):
    ra = _ra(rk_dinsos.unit, teks="Menentukan rencana aksi tahun 2024")
    url = reverse("rencana_aksi:rencana_aksi_hapus", args=[ra.pk])
    from django.test import Client

    anggota = Client()
    anggota.force_login(users["anggota1"])
    assert anggota.post(url, {"versi": ra.versi}).status_code == 403
    c = client_as("sekretaris")
    assert "Hapus rencana aksi?" in c.get(url).content.decode()
    stale = ra.versi
    services_ra = RencanaAksi.objects.get(pk=ra.pk)
    from rencana_aksi import services

    services.ubah_rencana_aksi(rencana_aksi=services_ra, versi=stale, teks="Diubah orang lain",
                               target_waktu=ra.target_waktu, pic=None)
    resp = c.post(url, {"versi": stale})
    assert resp.status_code == 409 and RencanaAksi.objects.filter(pk=ra.pk).exists()
    resp = c.post(url, {"versi": stale + 1, "next": PLAN + "?area=I"})
    assert resp.status_code == 302 and resp["Location"].startswith(PLAN + "?area=I#indikator-")
    assert not RencanaAksi.objects.filter(pk=ra.pk).exists()
    assert RencanaAksi.history.filter(id=ra.pk, history_type="-").exists()  # audited


def test_add_indikator_with_its_first_action(client_as, users, rk_dinsos):
    k = Komponen.objects.get(area_rencana__rencana_kerja=rk_dinsos, area_rencana__bagian__kode="A",
                             area_rencana__area__kode="I", nomor=1)
    url = reverse("rencana_aksi:indikator_tambah", args=[k.pk])
    c = client_as("sekretaris")
    resp = c.post(url, {"teks": "", "ra-teks": ""})
    assert resp.status_code == 400
    assert k.indikator.count() == 1
    resp = c.post(url, {"teks": "Tim kerja melakukan rapat rutin", "ra-teks": "Rapat tim",
                        "ra-target_waktu": "Setiap triwulan", "ra-bukti_dukung": "Notulen"})
    assert resp.status_code == 302
    ind = k.indikator.order_by("-urutan").first()
    assert ind.teks == "Tim kerja melakukan rapat rutin" and ind.urutan == 2
    ra = ind.rencana_aksi.get()
    assert [str(t) for t in ra.target_bulan.all()] == ["2024-03", "2024-06", "2024-09", "2024-12"]
    assert client_as("kepaladinas").post(url, {"teks": "x"}).status_code == 403


def test_edit_page_shows_who_changed_what(client_as, users, rk_dinsos, django_assert_max_num_queries):
    ra = _ra(rk_dinsos.unit, teks="Pembentukan Tim Kerja ZI dalam unit kerja")
    url = reverse("rencana_aksi:rencana_aksi_ubah", args=[ra.pk])
    c = client_as("sekretaris")
    c.post(url, _form_data(ra, pic=users["anggota2"].pk))
    ra.refresh_from_db()
    c.post(url, _form_data(ra, teks="Pembentukan Tim ZI", pic=users["anggota2"].pk))
    with django_assert_max_num_queries(20):
        body = c.get(url).content.decode()
    riwayat = body[body.index('data-testid="riwayat"'):]
    assert "Sekretaris Tim ZI Dinsos" in riwayat
    assert "Anggota Tim ZI Dua" in riwayat  # the PIC by name, not by id
    assert "Pembentukan Tim ZI" in riwayat


def test_sekretaris_edits_numeric_sub_rows(client_as, rk_dinsos):
    from rencana_aksi.models import Indikator

    ind = Indikator.objects.filter(komponen__area_rencana__rencana_kerja=rk_dinsos,
                                   isian__label="Jumlah pelanggaran tahun ini").distinct().get()
    rows = list(ind.isian.order_by("urutan"))
    url = reverse("rencana_aksi:indikator_ubah", args=[ind.pk])
    data = {"teks": ind.teks, "versi": ind.versi, "isian-TOTAL_FORMS": 4, "isian-INITIAL_FORMS": 0}
    for i, s in enumerate(rows):
        data.update({f"isian-{i}-id": s.pk, f"isian-{i}-label": s.label,
                     f"isian-{i}-jenis": s.jenis})
    data["isian-2-DELETE"] = "on"
    data.update({"isian-3-id": "", "isian-3-label": "Jumlah pegawai", "isian-3-jenis": "jumlah"})
    resp = client_as("sekretaris").post(url, data)
    assert resp.status_code == 302
    labels = list(ind.isian.order_by("urutan").values_list("label", "pk"))
    assert [x for x, _pk in labels] == ["Jumlah pelanggaran tahun sebelumnya",
                                        "Jumlah pelanggaran tahun ini", "Jumlah pegawai"]
    assert labels[0][1] == rows[0].pk  # kept rows keep their id (and numbers)
