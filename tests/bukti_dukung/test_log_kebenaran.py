"""The audit log and the review page's history tell the truth: who did each thing, and
each changed field before -> after in words. A refused upload leaves no trace."""

import contextlib
import csv
import html
import io
import re
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from simple_history.models import HistoricalRecords

from bukti_dukung import services
from bukti_dukung.models import Berkas, NilaiIsian, Pengajuan
from bukti_dukung.selectors import _sumber_log
from organisasi.models import nama_pengguna
from rencana_aksi import services as rencana
from rencana_aksi.models import Indikator, Isian, Komponen

from .conftest import berkas, pdf_bytes, png_bytes

FEB = date(2024, 2, 1)
LOG = reverse("bukti_dukung:log", args=["dinsos-mojokerto"])
CSV = reverse("bukti_dukung:log_csv", args=["dinsos-mojokerto"])


@contextlib.contextmanager
def sebagai(user):
    """Changes made by `user`, as the history middleware records them in a request."""
    HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        del HistoricalRecords.context.request


def _client(users, name):
    c = Client()
    c.force_login(users[name])
    return c


def _teks(body):
    """The page's text: tags removed, entities read, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def _baris_log(body):
    """The text of each log row."""
    return [_teks(r) for r in re.findall(r'<tr data-testid="log">(.*?)</tr>', body, re.S)]


def _log(users, **params):
    return _baris_log(_client(users, "sekretaris").get(LOG, params).content.decode())


def _satu(rows, *parts):
    hits = [r for r in rows if all(p in r for p in parts)]
    assert hits, f"no row with {parts} in {rows[:5]}"
    return hits[0]


def _unggah(sk, user, name="sk.pdf", data=None):
    return services.unggah_bukti(bukti_dukung=sk, user=user, bulan=FEB,
                                 files=[berkas(name, data or pdf_bytes(name))])


def _jumlah_riwayat():
    return {s.key: s.model.history.count() for s in _sumber_log()}


# -- the log: before -> after of each kind of change ------------------------------------


def test_ganti_pic_komponen(ra_feb, users):
    k = ra_feb.indikator.komponen
    lama = k.pic
    with sebagai(users["sekretaris"]):
        rencana.ubah_komponen(komponen=k, versi=k.versi, nama=k.nama, pic=users["anggota2"])
    row = _satu(_log(users, jenis="komponen"), "Diubah")
    assert nama_pengguna(users["sekretaris"]) in row
    assert (f"Penanggung jawab (PIC): {nama_pengguna(lama)} → "
            f"{nama_pengguna(users['anggota2'])}") in row
    assert "Nama:" not in row  # unchanged fields are not listed


def test_ubah_teks_rencana_aksi_dan_indikator(ra_feb, users):
    lama = ra_feb.teks
    with sebagai(users["sekretaris"]):
        rencana.ubah_rencana_aksi(rencana_aksi=ra_feb, versi=ra_feb.versi, teks="Tim ZI dibentuk",
                                  target_waktu=ra_feb.target_waktu, pic=ra_feb.pic)
        ind = Indikator.objects.get(pk=ra_feb.indikator_id)
        teks_ind = ind.teks
        rencana.ubah_indikator(indikator=ind, versi=ind.versi, teks="Indikator baru")
    row = _satu(_log(users, jenis="rencana_aksi"), "Diubah")
    assert f"Rencana aksi: {lama} → Tim ZI dibentuk" in row
    assert nama_pengguna(users["sekretaris"]) in row
    row = _satu(_log(users, jenis="indikator"), "Diubah")
    assert f"Indikator: {teks_ind} → Indikator baru" in row


def test_ubah_bulan_target(ra_feb, users):
    lama = ra_feb.target_waktu
    with sebagai(users["sekretaris"]):
        rencana.ubah_rencana_aksi(rencana_aksi=ra_feb, versi=ra_feb.versi, teks=ra_feb.teks,
                                  target_waktu="Maret", pic=ra_feb.pic)
        ra_feb.refresh_from_db()
        rencana.ubah_rencana_aksi(rencana_aksi=ra_feb, versi=ra_feb.versi, teks=ra_feb.teks,
                                  target_waktu="Maret", pic=ra_feb.pic,
                                  bulan=[date(2024, 3, 1), date(2024, 4, 1)])
    rows = _log(users, jenis="rencana_aksi")
    assert f"Target waktu (teks asli): {lama} → Maret" in rows[1]
    assert "Bulan diatur manual: Tidak → Ya" in rows[0]
    # the months themselves: February dropped, March kept, April added, each by its author
    bulan = _log(users, jenis="bulan_target")
    april = _satu(bulan, "April 2024", "Dibuat")
    assert nama_pengguna(users["sekretaris"]) in april and ra_feb.teks[:30] in april
    _satu(bulan, "Februari 2024", "Dihapus")
    assert not [r for r in bulan if "Maret 2024" in r and "Dihapus" in r]


def test_unggah_setujui_dan_minta_perbaikan(sk, users):
    p = _unggah(sk, users["anggota1"]).pengajuan
    anggota, sekretaris = nama_pengguna(users["anggota1"]), nama_pengguna(users["sekretaris"])
    rows = _log(users)
    row = _satu(rows, "Berkas bukti", "Dibuat")
    assert anggota in row and "Nama berkas: sk.pdf" in row and "Versi unggahan: 1" in row
    row = _satu(rows, "Pengajuan bukti dukung", "Dibuat")
    assert anggota in row and "SK Tim Kerja ZI · Februari 2024" in row
    assert "Status: Menunggu tinjauan" in row

    services.minta_perbaikan(pengajuan=p, versi=p.versi, user=users["sekretaris"],
                             komentar="SK belum ditandatangani")
    row = _log(users, jenis="pengajuan")[0]
    assert sekretaris in row and anggota not in row
    assert "Status: Menunggu tinjauan → Perlu perbaikan" in row
    assert "Komentar peninjau: — → SK belum ditandatangani" in row

    p = _unggah(sk, users["anggota1"], "sk-ttd.pdf").pengajuan
    row = _log(users, jenis="pengajuan")[0]
    assert anggota in row and "Status: Perlu perbaikan → Menunggu tinjauan" in row
    assert "Versi unggahan: 1 → 2" in row
    assert "SK belum ditandatangani" not in row  # the comment is the reviewer's, not hers

    services.setujui(pengajuan=p, versi=p.versi, user=users["sekretaris"])
    row = _log(users, jenis="pengajuan")[0]
    assert sekretaris in row and "Status: Menunggu tinjauan → Disetujui" in row
    assert "Komentar peninjau: SK belum ditandatangani → —" in row


def test_isian_angka(ra_feb, users):
    isian = Isian.objects.create(indikator=ra_feb.indikator, urutan=9, label="Persen pegawai terlatih",
                                 jenis="persentase")
    ind = ra_feb.indikator
    services.simpan_isian(indikator=ind, user=users["anggota1"], nilai={isian.pk: Decimal("12.5")},
                          versi={})
    n = NilaiIsian.objects.get(isian=isian)
    services.simpan_isian(indikator=ind, user=users["anggota1"], nilai={isian.pk: Decimal("15")},
                          versi={isian.pk: n.versi})
    rows = _log(users, jenis="nilai_isian")
    assert "Persen pegawai terlatih" in rows[0] and "Nilai: 12,5 → 15" in rows[0]
    assert nama_pengguna(users["anggota1"]) in rows[0]


def test_hapus_berkas_dan_rencana_aksi(sk, ra_feb, users):
    b = _unggah(sk, users["anggota1"]).diterima[0]
    services.hapus_berkas(berkas=b, user=users["anggota1"], alasan="Salah unggah")
    row = _log(users, jenis="berkas")[0]
    assert "Dihapus" in row and "Alasan menghapus: — → Salah unggah" in row
    assert nama_pengguna(users["anggota1"]) in row

    with sebagai(users["sekretaris"]):
        ra = rencana.tambah_rencana_aksi(indikator=ra_feb.indikator, teks="Aksi sementara",
                                         target_waktu="Juni")
        rencana.hapus_rencana_aksi(rencana_aksi=ra, versi=ra.versi)
    row = _log(users, jenis="rencana_aksi")[0]
    assert "Dihapus" in row and "Aksi sementara" in row and "Target waktu (teks asli): Juni" in row
    assert nama_pengguna(users["sekretaris"]) in row


# -- the review page: every line by its real author -------------------------------------


def test_riwayat_tinjau_menyebut_penulis_sebenarnya(sk, users):
    p = _unggah(sk, users["anggota1"]).pengajuan
    services.minta_perbaikan(pengajuan=p, versi=p.versi, user=users["sekretaris"],
                             komentar="SK belum ditandatangani")
    p = _unggah(sk, users["anggota1"], "sk-ttd.pdf").pengajuan
    body = _client(users, "sekretaris").get(reverse("bukti_dukung:tinjau", args=[p.pk])).content
    ul = re.search(r'data-testid="riwayat">(.*?)</ul>', body.decode(), re.S).group(1)
    lines = [_teks(li) for li in re.findall(r"<li>(.*?)</li>", ul, re.S)]
    anggota, sekretaris = nama_pengguna(users["anggota1"]), nama_pengguna(users["sekretaris"])
    dengan_komentar = [x for x in lines if "SK belum ditandatangani" in x]
    assert len(dengan_komentar) == 1
    assert sekretaris in dengan_komentar[0] and "Perlu perbaikan" in dengan_komentar[0]
    assert anggota not in dengan_komentar[0]
    assert any(anggota in x and "Menunggu tinjauan · versi 2" in x for x in lines)
    assert any(anggota in x and "mengunggah “sk-ttd.pdf” (versi 2)" in x for x in lines)
    assert any(anggota in x and "mengunggah “sk.pdf” (versi 1)" in x for x in lines)
    # the replaced version is marked on the review page
    assert "Diganti oleh versi 2" in body.decode()


def test_versi_lama_ditandai_diganti_di_halaman_bukti(sk, ra_feb, users):
    p = _unggah(sk, users["anggota1"]).pengajuan
    url = reverse("bukti_dukung:rencana_aksi", args=[ra_feb.pk])
    assert "Diganti oleh versi" not in _client(users, "anggota1").get(url).content.decode()
    services.minta_perbaikan(pengajuan=p, versi=p.versi, user=users["sekretaris"],
                             komentar="Kurang stempel")
    assert "Diganti oleh versi" not in _client(users, "anggota1").get(url).content.decode()
    _unggah(sk, users["anggota1"], "sk2.pdf")
    body = _client(users, "anggota1").get(url).content.decode()
    assert body.count('data-testid="diganti"') == 1
    assert "Diganti oleh versi 2" in _teks(body)


# -- a refused upload leaves nothing ----------------------------------------------------


@pytest.mark.parametrize("kasus", ["jenis", "kosong", "terlalu-besar", "zip-berbahaya"])
def test_unggahan_ditolak_tanpa_catatan(kasus, sk, users, settings):
    settings.ZI_MAKS_UKURAN_MB = 1
    data = {"jenis": berkas("program.exe", b"MZ" + b"\0" * 64),
            "kosong": berkas("kosong.pdf", b""),
            "terlalu-besar": berkas("besar.pdf", pdf_bytes("x" * (1024 * 1024 + 10))),
            "zip-berbahaya": berkas("a.docx", b"PK\x03\x04" + b"\0" * 40)}[kasus]
    sebelum = _jumlah_riwayat()
    hasil = services.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=FEB, files=[data])
    assert hasil.diterima == [] and len(hasil.ditolak) == 1 and hasil.pengajuan is None
    assert _jumlah_riwayat() == sebelum
    assert not Pengajuan.objects.exists()


@pytest.mark.parametrize("kasus", ["jenis", "kosong", "terlalu-besar"])
def test_unggahan_ditolak_lewat_halaman_tanpa_catatan(kasus, sk, users, settings):
    settings.ZI_MAKS_UKURAN_MB = 1
    f = {"jenis": berkas("program.exe", b"MZ" + b"\0" * 64),
         "kosong": berkas("kosong.pdf", b""),
         "terlalu-besar": berkas("besar.pdf", pdf_bytes("x" * (1024 * 1024 + 10)))}[kasus]
    sebelum = _jumlah_riwayat()
    resp = _client(users, "anggota1").post(reverse("bukti_dukung:unggah", args=[sk.pk]),
                                           {"bulan": "2024-02", "berkas": [f]}, follow=True)
    assert "ditolak" in resp.content.decode()
    assert _jumlah_riwayat() == sebelum
    assert not Pengajuan.objects.exists()


def test_kejadian_ditolak_tanpa_catatan(rk_dinsos, users):
    from rencana_aksi.models import RencanaAksi

    ra = RencanaAksi.objects.milik_unit(rk_dinsos.unit).filter(per_kejadian=True).first()
    bd = ra.bukti_dukung.first()
    sebelum = _jumlah_riwayat()
    hasil = services.unggah_bukti(bukti_dukung=bd, user=users["anggota1"],
                                  tanggal_kejadian=date(2024, 5, 2), uraian_kejadian="Rapat",
                                  files=[berkas("x.exe", b"MZ" + b"\0" * 64)])
    assert hasil.pengajuan is None and hasil.ditolak
    assert _jumlah_riwayat() == sebelum


def test_isi_sama_dan_bukti_disetujui_tanpa_catatan(sk, users):
    p = _unggah(sk, users["anggota1"]).pengajuan
    sebelum = _jumlah_riwayat()
    hasil = _unggah(sk, users["anggota2"])  # the same content again
    assert hasil.diterima == [] and "isinya sama" in hasil.ditolak[0]
    assert _jumlah_riwayat() == sebelum
    p.refresh_from_db()
    services.setujui(pengajuan=p, versi=p.versi, user=users["sekretaris"])
    sebelum = _jumlah_riwayat()
    with pytest.raises(services.ValidationError):
        _unggah(sk, users["anggota1"], "lain.png", png_bytes())
    assert _jumlah_riwayat() == sebelum


def test_unggahan_sebagian_tetap_tercatat(sk, users):
    hasil = services.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=FEB, files=[
        berkas("x.exe", b"MZ" + b"\0" * 64), berkas("sk.pdf", pdf_bytes())])
    assert [b.nama_asli for b in hasil.diterima] == ["sk.pdf"]
    assert Berkas.history.count() == 1 and hasil.pengajuan.history.count() == 1
    assert hasil.pengajuan.history.earliest().history_user == users["anggota1"]


# -- paging, CSV, hostile input, queries ------------------------------------------------


def _banyak_perubahan(ra_feb, users, n):
    k = Komponen.objects.get(pk=ra_feb.indikator.komponen_id)
    with sebagai(users["sekretaris"]):
        for i in range(n):
            k = rencana.ubah_komponen(komponen=k, versi=k.versi, nama=f"Komponen ke-{i}",
                                      pic=users["anggota1"] if i % 2 else users["anggota2"])
    return k


def test_halaman_dan_saringan_dijaga(ra_feb, users):
    _banyak_perubahan(ra_feb, users, 60)
    c = _client(users, "sekretaris")
    pengguna = users["sekretaris"].pk
    body = c.get(LOG, {"jenis": "komponen", "pengguna": pengguna}).content.decode()
    assert len(_baris_log(body)) == 50
    assert "Komponen ke-59" in body and "Komponen ke-5 " not in _teks(body)
    assert f"jenis=komponen&amp;pengguna={pengguna}&amp;halaman=2" in body
    assert "60 perubahan tercatat" in _teks(body)
    body2 = c.get(LOG, {"jenis": "komponen", "pengguna": pengguna, "halaman": 2}).content.decode()
    rows = _baris_log(body2)
    assert len(rows) == 10
    assert "Komponen ke-0" in rows[-1] and "Komponen ke-8 → Komponen ke-9" in rows[0]
    assert f"{CSV}?jenis=komponen&amp;pengguna={pengguna}" in body2


@pytest.mark.parametrize("params", [
    {"halaman": "abc"}, {"halaman": "999999"}, {"halaman": "-1"}, {"halaman": "1e999"},
    {"halaman": "²"}, {"halaman": "a\x00b"}, {"jenis": "a\x00b"}, {"pengguna": "\x00"},
    {"sejak": "2024-13-45"}, {"sampai": "\x00"}, {"page": "abc"}, {"halaman": ["2", "x"]},
])
def test_masukan_liar_bukan_500(params, ra_feb, users):
    _banyak_perubahan(ra_feb, users, 3)
    c = _client(users, "sekretaris")
    c.raise_request_exception = False
    r = c.get(LOG, params)
    assert r.status_code == 200
    assert _baris_log(r.content.decode())
    r = c.get(CSV, params)
    assert r.status_code == 200 and r.content.decode("utf-8-sig").startswith("waktu,")


def test_halaman_terlalu_besar_menjadi_halaman_terakhir(ra_feb, users):
    _banyak_perubahan(ra_feb, users, 60)
    body = _client(users, "sekretaris").get(LOG, {"jenis": "komponen", "halaman": 999999,
                                                  "pengguna": users["sekretaris"].pk})
    rows = _baris_log(body.content.decode())
    assert rows and "Komponen ke-0" in rows[-1]


def _csv(resp):
    assert resp["Content-Type"].startswith("text/csv")
    assert "attachment" in resp["Content-Disposition"]
    return list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))


def test_csv_seluruh_log_tersaring_dan_aman(ra_feb, users):
    _banyak_perubahan(ra_feb, users, 60)
    with sebagai(users["sekretaris"]):
        rencana.ubah_rencana_aksi(rencana_aksi=ra_feb, versi=ra_feb.versi, teks="=HYPERLINK(1)",
                                  target_waktu=ra_feb.target_waktu, pic=ra_feb.pic)
    c = _client(users, "sekretaris")
    rows = _csv(c.get(CSV, {"jenis": "komponen", "pengguna": users["sekretaris"].pk}))
    assert rows[0] == ["waktu", "pengguna", "jenis", "objek", "aksi", "perubahan"]
    assert len(rows) == 61  # every entry, not one page
    assert {r[2] for r in rows[1:]} == {"Komponen"}
    assert rows[1][1] == nama_pengguna(users["sekretaris"]) and rows[1][4] == "Diubah"
    assert "Nama: Komponen ke-58 → Komponen ke-59" in rows[1][5]
    assert f"{nama_pengguna(users['anggota2'])} → {nama_pengguna(users['anggota1'])}" in rows[1][5]
    # Asia/Jakarta time, as the page shows it
    h = Komponen.history.filter(history_user=users["sekretaris"]).latest("history_id")
    from django.utils import timezone
    assert rows[1][0] == f"{timezone.localtime(h.history_date):%Y-%m-%d %H:%M:%S}"
    assert h.history_date.utcoffset() is not None
    # formula injection: a cell that starts like a formula stays text
    rows = _csv(c.get(CSV, {"jenis": "rencana_aksi", "pengguna": users["sekretaris"].pk}))
    assert rows[1][3] == "'=HYPERLINK(1)"
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


@pytest.mark.parametrize("who,status", [("anggota1", 403), ("kepaladinas", 403), ("tpi", 403),
                                        ("sekretaris2", 404), ("admin", 200),
                                        ("sekretaris", 200)])
def test_csv_izin_sama_dengan_log(who, status, users):
    c = _client(users, who)
    assert c.get(CSV).status_code == status
    assert c.get(LOG).status_code == status


def test_csv_anonim_ke_halaman_masuk(db):
    r = Client().get(CSV)
    assert r.status_code == 302 and r["Location"].startswith("/masuk/")


def test_jumlah_query_log_tidak_tumbuh(sk, ra_feb, users, django_assert_max_num_queries):
    c = _client(users, "sekretaris")
    _unggah(sk, users["anggota1"])
    c.get(LOG)
    with django_assert_max_num_queries(25) as sedikit:
        c.get(LOG)
    p = Pengajuan.objects.get()
    services.minta_perbaikan(pengajuan=p, versi=p.versi, user=users["sekretaris"],
                             komentar="perbaiki")
    _unggah(sk, users["anggota1"], "b.pdf")
    _banyak_perubahan(ra_feb, users, 70)
    isian = Isian.objects.create(indikator=ra_feb.indikator, urutan=9, label="Jumlah",
                                 jenis="jumlah")
    services.simpan_isian(indikator=ra_feb.indikator, user=users["anggota1"],
                          nilai={isian.pk: Decimal("3")}, versi={})
    with django_assert_max_num_queries(25) as banyak:
        body = c.get(LOG).content.decode()
    assert len(_baris_log(body)) == 50
    # one query per audited model and per kind of row named, not per entry
    assert len(banyak.captured_queries) <= len(sedikit.captured_queries) + 4


# -- the unit's settings page -----------------------------------------------------------

PENGATURAN = reverse("bukti_dukung:pengaturan_unit", args=["dinsos-mojokerto"])


def test_pengaturan_unit_get_dan_post(users, dinsos):
    c = _client(users, "sekretaris")
    body = c.get(PENGATURAN).content.decode()
    assert 'name="unggah_hanya_pic"' in body and 'data-testid="remah"' in body
    assert "Anggota hanya mengunggah untuk tugasnya" in body
    resp = c.post(PENGATURAN, {"unggah_hanya_pic": "on"}, follow=True)
    assert resp.redirect_chain == [(PENGATURAN, 302)]
    assert "Pengaturan unit disimpan." in resp.content.decode()
    dinsos.refresh_from_db()
    assert dinsos.unggah_hanya_pic
    assert 'checked' in c.get(PENGATURAN).content.decode()
    c.post(PENGATURAN, {})
    dinsos.refresh_from_db()
    assert not dinsos.unggah_hanya_pic


@pytest.mark.parametrize("who,status", [("anggota1", 403), ("kepaladinas", 403), ("tpi", 403),
                                        ("sekretaris2", 404), ("anggota3", 404)])
def test_pengaturan_unit_hanya_sekretaris_unitnya(who, status, users, dinsos):
    c = _client(users, who)
    assert c.get(PENGATURAN).status_code == status
    assert c.post(PENGATURAN, {"unggah_hanya_pic": "on"}).status_code == status
    dinsos.refresh_from_db()
    assert not dinsos.unggah_hanya_pic
    r = Client().get(PENGATURAN)
    assert r.status_code == 302 and r["Location"].startswith("/masuk/")


def test_antrean_menautkan_pengaturan_tanpa_formulirnya(sk, users):
    _unggah(sk, users["anggota1"])
    body = _client(users, "sekretaris").get(
        reverse("bukti_dukung:antrean", args=["dinsos-mojokerto"])).content.decode()
    assert 'name="unggah_hanya_pic"' not in body
    assert f'href="{PENGATURAN}"' in body
    assert body.count('data-testid="antrean"') == 1
