"""The send-back loop per question: the TPI sends back, the unit marks it fixed (the frozen
copy refreshed), the TPI closes or sends back again; each step in its window."""

import io
import json
import re
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from unittest.mock import patch

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from evaluasi import akses, selectors, services
from evaluasi.jendela import ZONA
from evaluasi.models import (
    Langkah,
    Pengembalian,
    PenugasanTPI,
    PesertaEvaluasi,
    SalinanJawaban,
    StatusPengembalian,
)
from lke.models import SoalLke
from organisasi.models import UnitKerja

from .test_ajukan import jawab, soal

URL = "/evaluasi/2024/unit/dinsos-mojokerto/"
KEMBALIKAN, DAFTAR, PERIKSA = URL + "kembalikan/", URL + "dikembalikan/", URL + "periksa-ulang/"


def hari(ps, langkah, tambah=0, jam=12):
    """An instant (Asia/Jakarta) on the `tambah`-th day of a step's window."""
    mulai, _selesai = ps.putaran.jendela(langkah)
    return datetime.combine(mulai + timedelta(days=tambah), time(jam), tzinfo=ZONA)


def tepi(d):
    """00:00 Asia/Jakarta of day `d`."""
    return datetime.combine(d, time.min, tzinfo=ZONA)


@contextmanager
def pada(saat):
    with patch("django.utils.timezone.now", return_value=saat):
        yield


@pytest.fixture
def diajukan(ps_dinsos, users, dinsos):
    jawab(users["sekretaris"], dinsos, "A.I.1.a", "Ya", "SK nomor 12")
    services.ajukan_penilaian(peserta=ps_dinsos, user=users["sekretaris"])
    ps_dinsos.refresh_from_db()
    return ps_dinsos


def kirim(ps, users, kode="A.I.1.a", alasan="SK belum ditandatangani"):
    return services.kembalikan_soal(peserta=ps, soal=soal(kode), alasan=alasan,
                                    oleh=users["tpi"], saat=hari(ps, Langkah.EVALUASI))


def perbaiki(p, users, catatan="SK sudah ditandatangani"):
    return services.tandai_diperbaiki(pengembalian=p, catatan=catatan, oleh=users["anggota1"],
                                      saat=hari(p.peserta, Langkah.PERBAIKAN))


def rekap():
    out = io.StringIO()
    call_command("rekap_evaluasi", tahun=2024, stdout=out)
    return {r["unit"]: r["dikembalikan_terbuka"] for r in json.loads(out.getvalue())}


def _jumlah(nav, nama):
    m = re.search(rf'id="{nama}" hx-swap-oob="true"[^>]*data-jumlah="(\d+)"', nav)
    return int(m[1]) if m else None


def test_putaran_penuh_lewat_halaman(client_as, diajukan, users, dinsos):
    ps, a = diajukan, soal("A.I.1.a")
    with pada(hari(ps, Langkah.EVALUASI)):
        tpi = client_as("tpi")  # signed in at the frozen time: the session lasts 12 hours
        html = tpi.get(URL + "salinan/").content.decode()
        assert f'{KEMBALIKAN}?soal={a.pk}"' in html
        r = tpi.get(KEMBALIKAN, {"soal": a.pk})
        assert r.status_code == 200 and "SK nomor 12" in r.content.decode()
        r = tpi.post(KEMBALIKAN, {"soal": a.pk, "alasan": "SK belum ditandatangani"})
        assert r.status_code == 302 and r["Location"] == URL + "salinan/"
    p = Pengembalian.objects.get(peserta=ps)
    assert (p.status, p.ke, p.dikembalikan_oleh) == ("dikembalikan", 1, users["tpi"])
    assert selectors.jumlah_dikembalikan_terbuka(ps) == 1
    # the unit changes this answer and another one after its submission
    jawab(users["sekretaris"], dinsos, "A.I.1.a", "Tidak", "SK baru", versi=1)
    jawab(users["sekretaris"], dinsos, "A.I.1.b", "A")
    with pada(hari(ps, Langkah.PERBAIKAN)):
        unit = client_as("anggota1")
        html = unit.get(DAFTAR).content.decode()
        assert "SK belum ditandatangani" in html
        lke = reverse("lke:lke", args=["dinsos-mojokerto", 2024])
        assert f'href="{lke}?area=A.I#soal-{a.pk}"' in html
        assert reverse("rencana_aksi:rencana", args=["dinsos-mojokerto", 2024]) in html
        r = unit.post(DAFTAR, {"butir": p.pk, "catatan": "SK sudah ditandatangani"})
        assert r.status_code == 302 and r["Location"] == DAFTAR
    p.refresh_from_db()
    assert (p.status, p.diperbaiki_oleh, p.catatan_perbaikan) == (
        "diperbaiki", users["anggota1"], "SK sudah ditandatangani")
    # the frozen copy of this question follows the unit's answer; the others do not
    beku = selectors.jawaban_untuk_tpi(ps)
    assert (beku[a.pk].jawaban, beku[a.pk].catatan) == ("Tidak", "SK baru")
    assert beku[soal("A.I.1.b").pk].jawaban == ""
    jawab(users["sekretaris"], dinsos, "A.I.1.a", "Ya", "lagi", versi=2)
    assert selectors.jawaban_untuk_tpi(ps)[a.pk].jawaban == "Tidak"
    # the TPI sends it back again; the Admin gives the unit more days to fix it
    services.perpanjang(peserta=ps, langkah=Langkah.PERBAIKAN, alasan="dikembalikan lagi",
                        oleh=users["admin"], selesai=ps.putaran.pemeriksaan_selesai)
    with pada(hari(ps, Langkah.PEMERIKSAAN)):
        html = client_as("tpi").get(PERIKSA).content.decode()
        assert 'data-testid="butir-A.I.1.a"' in html and "SK sudah ditandatangani" in html
        r = tpi.post(PERIKSA, {"butir": p.pk, "aksi": "kembalikan", "alasan": "Belum ada nomor"})
        assert r.status_code == 302
        baru = Pengembalian.objects.get(peserta=ps, ke=2)
        assert baru.status == "dikembalikan" and baru.alasan == "Belum ada nomor"
        assert selectors.jumlah_dikembalikan_terbuka(ps) == 1
        r = client_as("anggota1").post(DAFTAR, {"butir": baru.pk,
                                                "catatan": "Nomor ditambahkan"})
        assert r.status_code == 302
        r = client_as("tpi").post(PERIKSA, {"butir": baru.pk, "aksi": "tutup"})
        assert r.status_code == 302
    p.refresh_from_db()
    baru.refresh_from_db()
    assert (p.status, p.diperiksa_oleh) == ("dikembalikan_lagi", users["tpi"])
    assert (baru.status, baru.diperiksa_oleh) == ("ditutup", users["tpi"])
    assert selectors.jumlah_dikembalikan_terbuka(ps) == 0
    # every step has its time and person, oldest first
    langkah = selectors.linimasa(selectors.pengembalian_peserta(ps)[a.pk])
    assert [(x["langkah"], x["oleh"].username, x["teks"]) for x in langkah] == [
        ("Dikembalikan", "tpi", "SK belum ditandatangani"),
        ("Sudah diperbaiki", "anggota1", "SK sudah ditandatangani"),
        ("Dikembalikan lagi", "tpi", "Belum ada nomor"),
        ("Sudah diperbaiki", "anggota1", "Nomor ditambahkan"),
        ("Ditutup", "tpi", "")]
    assert all(x["pada"] for x in langkah)
    assert Pengembalian.history.filter(id=p.pk).count() == 3


def test_linimasa_tampil_pada_soal(client_as, diajukan, users):
    p = perbaiki(kirim(diajukan, users), users)
    with pada(hari(diajukan, Langkah.PEMERIKSAAN)):
        html = client_as("tpi").get(PERIKSA).content.decode()
        r = client_as("tpi").get(KEMBALIKAN, {"soal": p.soal_id})
    blok = html.split('data-testid="linimasa"')[1].split("</ol>")[0]
    assert blok.index("Dikembalikan") < blok.index("Sudah diperbaiki")
    assert p.dikembalikan_pada.astimezone(ZONA).strftime("%d-%m-%Y %H:%M") in blok
    assert "SK belum ditandatangani" in blok and "SK sudah ditandatangani" in blok
    # and on the send-back page of the question
    assert 'data-testid="linimasa"' in r.content.decode()


# --- who may do what ------------------------------------------------------------------

@pytest.mark.parametrize(("username", "kembalikan", "daftar", "perbaiki", "periksa", "tutup"), [
    ("tpi", 200, 200, 403, 200, 400),
    ("admin", 403, 200, 403, 200, 403),
    ("sekretaris", 403, 200, 400, 403, 403),
    ("anggota1", 403, 200, 400, 403, 403),
    ("kepaladinas", 403, 200, 403, 403, 403),
    ("sekretaris2", 404, 404, 404, 404, 404),
    ("anggota3", 404, 404, 404, 404, 404),
])
def test_matriks_izin(client_as, diajukan, username, kembalikan, daftar, perbaiki, periksa,
                      tutup):
    with pada(hari(diajukan, Langkah.EVALUASI)):
        c = client_as(username)
        assert c.get(KEMBALIKAN).status_code == kembalikan
        assert c.post(KEMBALIKAN, {}).status_code == (400 if kembalikan == 200 else kembalikan)
        assert c.get(DAFTAR).status_code == daftar
        assert c.post(DAFTAR, {}).status_code == perbaiki
        assert c.get(PERIKSA).status_code == periksa
        assert c.post(PERIKSA, {}).status_code == tutup
    assert not Pengembalian.objects.exists()


def test_tpi_tanpa_penugasan_tidak_melihat(client_as, putaran, ps_dinkes):
    # the TPI holds the TPI role in Dinas Kesehatan but is not assigned to it
    c = client_as("tpi")
    base = "/evaluasi/2024/unit/dinkes-mojokerto/"
    for url in ["kembalikan/", "dikembalikan/", "periksa-ulang/"]:
        assert c.get(base + url).status_code == 404, url
        assert c.post(base + url, {}).status_code == 404, url


def test_unit_bukan_peserta(client_as, putaran):
    url = "/evaluasi/2023/unit/dinsos-mojokerto/dikembalikan/"
    r = client_as("anggota1").get(url)
    assert r.status_code == 200 and 'data-testid="bukan-peserta"' in r.content.decode()
    assert client_as("anggota1").post(url, {}).status_code == 404
    assert client_as("sekretaris2").get(url).status_code == 404


# --- windows at 00:00 Asia/Jakarta -------------------------------------------------------

def test_kembalikan_pada_tepi_jendela(diajukan, users):
    ps, a = diajukan, soal("A.I.1.a")
    buka = tepi(ps.putaran.evaluasi_mulai)
    tutup = tepi(ps.putaran.evaluasi_selesai + timedelta(days=1))
    for saat in (buka - timedelta(seconds=1), tutup):
        with pytest.raises(ValidationError, match="evaluasi TPI tidak sedang terbuka"):
            services.kembalikan_soal(peserta=ps, soal=a, alasan="x", oleh=users["tpi"],
                                     saat=saat)
    p = services.kembalikan_soal(peserta=ps, soal=a, alasan="x", oleh=users["tpi"], saat=buka)
    assert p.dikembalikan_pada == buka
    services.kembalikan_soal(peserta=ps, soal=soal("A.I.1.b"), alasan="x", oleh=users["tpi"],
                             saat=tutup - timedelta(seconds=1))


def test_perbaiki_pada_tepi_jendela(diajukan, users):
    p = kirim(diajukan, users)
    buka = tepi(diajukan.putaran.perbaikan_mulai)
    tutup = tepi(diajukan.putaran.perbaikan_selesai + timedelta(days=1))
    for saat in (buka - timedelta(seconds=1), tutup):
        with pytest.raises(ValidationError, match="perbaikan unit tidak sedang terbuka"):
            services.tandai_diperbaiki(pengembalian=p, catatan="x", oleh=users["anggota1"],
                                       saat=saat)
    services.tandai_diperbaiki(pengembalian=p, catatan="x", oleh=users["anggota1"],
                               saat=tutup - timedelta(seconds=1))


def test_periksa_pada_tepi_jendela(diajukan, users):
    p = perbaiki(kirim(diajukan, users), users)
    buka = tepi(diajukan.putaran.pemeriksaan_mulai)
    tutup = tepi(diajukan.putaran.pemeriksaan_selesai + timedelta(days=1))
    for saat in (buka - timedelta(seconds=1), tutup):
        with pytest.raises(ValidationError, match="pemeriksaan akhir TPI tidak sedang terbuka"):
            services.tutup_pengembalian(pengembalian=p, oleh=users["tpi"], saat=saat)
        with pytest.raises(ValidationError, match="pemeriksaan akhir TPI tidak sedang terbuka"):
            services.kembalikan_lagi(pengembalian=p, alasan="x", oleh=users["tpi"], saat=saat)
    services.tutup_pengembalian(pengembalian=p, oleh=users["tpi"], saat=buka)


def test_di_luar_jendela_halaman_menolak(client_as, diajukan, users):
    a = soal("A.I.1.a")
    # 00:00 WIB the day after the evaluation window: refused, in Indonesian
    with pada(tepi(diajukan.putaran.evaluasi_selesai + timedelta(days=1))):
        c = client_as("tpi")
        assert 'data-testid="tertutup"' in c.get(KEMBALIKAN).content.decode()
        r = c.post(KEMBALIKAN, {"soal": a.pk, "alasan": "x"})
        assert r.status_code == 400
        assert "Jendela evaluasi TPI tidak sedang terbuka" in r.content.decode()
    p = kirim(diajukan, users)
    with pada(tepi(diajukan.putaran.perbaikan_mulai) - timedelta(seconds=1)):
        r = client_as("anggota1").post(DAFTAR, {"butir": p.pk, "catatan": "x"})
        assert r.status_code == 400
        assert "Jendela perbaikan unit tidak sedang terbuka" in r.content.decode()
    perbaiki(p, users)
    with pada(tepi(diajukan.putaran.pemeriksaan_mulai) - timedelta(seconds=1)):
        r = client_as("tpi").post(PERIKSA, {"butir": p.pk, "aksi": "tutup"})
        assert r.status_code == 400
        assert "Jendela pemeriksaan akhir TPI tidak sedang terbuka" in r.content.decode()
    p.refresh_from_db()
    assert p.status == "diperbaiki"


def test_belum_diajukan_tidak_bisa_dikembalikan(ps_dinsos, users):
    with pytest.raises(ValidationError, match="belum mengajukan"):
        kirim(ps_dinsos, users)


# --- hostile input ----------------------------------------------------------------------

@pytest.fixture
def butir_dinkes(ps_dinkes, users):
    """A send-back of another unit (made directly: Dinas Kesehatan has no TPI)."""
    return Pengembalian.objects.create(peserta=ps_dinkes, soal=soal("A.I.1.a"), alasan="x",
                                       dikembalikan_pada=hari(ps_dinkes, Langkah.EVALUASI))


def test_masukan_jahat_kembalikan(client_as, diajukan, users):
    lain = SoalLke.objects.exclude(komponen__area__lke__tahun=2024).first()
    with pada(hari(diajukan, Langkah.EVALUASI)):
        c = client_as("tpi")
        a = soal("A.I.1.a").pk
        for data, pesan in [
            ({"soal": a, "alasan": ""}, "Tulis alasan"),
            ({"soal": a, "alasan": "   "}, "Tulis alasan"),
            ({"soal": a, "alasan": "SK\x00"}, "Karakter null"),
            ({"soal": a, "alasan": "x" * 4001}, "Paling banyak 4000"),
            ({"soal": "1\x00", "alasan": "x"}, "Karakter null"),
            ({"soal": "999999", "alasan": "x"}, "Soal tidak ditemukan"),
            ({"alasan": "x"}, "Pilih soal"),
        ] + ([({"soal": lain.pk, "alasan": "x"}, "Soal tidak ditemukan")] if lain else []):
            r = c.post(KEMBALIKAN, data)
            assert r.status_code == 400, data
            assert pesan in r.content.decode(), data
        # a GET with a broken ?soal= shows the empty form
        assert c.get(KEMBALIKAN, {"soal": "x\x00"}).status_code == 200
        assert c.post(KEMBALIKAN, {"soal": a, "alasan": "x"}).status_code == 302
        r = c.post(KEMBALIKAN, {"soal": a, "alasan": "lagi"})
        assert r.status_code == 400 and "sudah dikembalikan dan belum ditutup" in r.content.decode()
    assert Pengembalian.objects.count() == 1


def test_masukan_jahat_perbaiki_dan_periksa(client_as, diajukan, users, butir_dinkes):
    p = kirim(diajukan, users)
    with pada(hari(diajukan, Langkah.PERBAIKAN)):
        unit = client_as("anggota1")
        for data, pesan in [
            ({"butir": butir_dinkes.pk, "catatan": "x"}, "tidak ditemukan pada unit ini"),
            ({"butir": "1\x00", "catatan": "x"}, "Karakter null"),
            ({"catatan": "x"}, "tidak ditemukan pada unit ini"),
            ({"butir": p.pk, "catatan": ""}, "Tulis apa yang sudah diperbaiki"),
            ({"butir": p.pk, "catatan": "a\x00b"}, "Karakter null"),
        ]:
            r = unit.post(DAFTAR, data)
            assert r.status_code == 400, data
            assert pesan in r.content.decode(), data
    p.refresh_from_db()
    assert p.status == "dikembalikan"
    # not yet fixed: the TPI cannot close it
    with pada(hari(diajukan, Langkah.PEMERIKSAAN)):
        tpi = client_as("tpi")
        assert tpi.post(PERIKSA, {"butir": p.pk, "aksi": "tutup"}).status_code == 400
    perbaiki(p, users)
    butir_dinkes.status = StatusPengembalian.DIPERBAIKI
    butir_dinkes.save()
    with pada(hari(diajukan, Langkah.PEMERIKSAAN)):
        tpi = client_as("tpi")
        for data, pesan in [
            ({"butir": butir_dinkes.pk, "aksi": "tutup"}, "tidak ditemukan pada unit ini"),
            ({"butir": p.pk, "aksi": "hapus"}, "Pilih tutup atau kembalikan lagi"),
            ({"butir": p.pk, "aksi": "kembalikan"}, "Tulis alasan soal ini dikembalikan lagi"),
            ({"butir": p.pk, "aksi": "kembalikan", "alasan": "\x00"}, "Karakter null"),
        ]:
            r = tpi.post(PERIKSA, data)
            assert r.status_code == 400, data
            assert pesan in r.content.decode(), data
        # a reason too long is said once, not also as missing
        r = tpi.post(PERIKSA, {"butir": p.pk, "aksi": "kembalikan", "alasan": "x" * 5000})
        assert r.status_code == 400 and "Paling banyak 4000" in r.content.decode()
        assert "Tulis alasan soal ini dikembalikan lagi" not in r.content.decode()
    butir_dinkes.refresh_from_db()
    assert butir_dinkes.status == "diperbaiki"
    assert Pengembalian.objects.filter(peserta=diajukan).count() == 1


# --- counts -----------------------------------------------------------------------------

def test_jumlah_di_bilah_navigasi(client_as, diajukan, users):
    nav = reverse("navigasi")
    c = client_as("anggota1")
    html = c.get(DAFTAR).content.decode()  # the unit and year of the round become current
    # one "Evaluasi" item: for a member, the questions sent back, with their count
    item = re.search(r'<a [^>]*data-testid="nav-evaluasi"[^>]*>.*?</a>', html, re.S).group(0)
    assert DAFTAR in item and 'id="nav-kembali"' in item
    assert _jumlah(c.get(nav).content.decode(), "nav-kembali") == 0
    p = kirim(diajukan, users)
    kirim(diajukan, users, "A.I.1.b")
    body = c.get(nav).content.decode()
    total = _jumlah(body, "nav-total")
    assert _jumlah(body, "nav-kembali") == 2
    perbaiki(p, users)
    body = c.get(nav).content.decode()
    assert _jumlah(body, "nav-kembali") == 1 and _jumlah(body, "nav-total") == total - 1
    # the Kepala Dinas and the TPI do not fix: no badge
    for username in ("kepaladinas", "tpi"):
        k = client_as(username)
        k.get(URL)
        assert _jumlah(k.get(nav).content.decode(), "nav-kembali") is None


def test_rekap_melaporkan_yang_belum_ditutup(diajukan, users, butir_dinkes):
    assert rekap() == {"dinsos-mojokerto": 0, "dinkes-mojokerto": 1}
    p = kirim(diajukan, users)
    kirim(diajukan, users, "A.I.1.b")
    assert rekap()["dinsos-mojokerto"] == 2
    perbaiki(p, users)
    assert rekap()["dinsos-mojokerto"] == 2  # fixed, not yet closed
    services.tutup_pengembalian(pengembalian=p, oleh=users["tpi"],
                                saat=hari(diajukan, Langkah.PEMERIKSAAN))
    assert rekap()["dinsos-mojokerto"] == 1


def _kirim_banyak(ps, users, kode_list, diperbaiki):
    for kode in kode_list:
        p = kirim(ps, users, kode)
        if diperbaiki:
            perbaiki(p, users)


@pytest.mark.parametrize(("username", "url", "diperbaiki"), [
    ("anggota1", DAFTAR, False), ("tpi", PERIKSA, True)])
def test_jumlah_query_tidak_tumbuh(client_as, diajukan, users, username, url, diperbaiki,
                                   django_assert_max_num_queries):
    kode = list(SoalLke.objects.filter(komponen__area__lke__tahun=2024, macam="soal")
                .order_by("pk").values_list("kode", flat=True)[:8])
    _kirim_banyak(diajukan, users, kode[:2], diperbaiki)
    saat = hari(diajukan, Langkah.PEMERIKSAAN if diperbaiki else Langkah.PERBAIKAN)
    with pada(saat):
        c = client_as(username)
        c.get(url)  # the session's first write
        with django_assert_max_num_queries(20) as sedikit:
            assert c.get(url).status_code == 200
        _kirim_banyak(diajukan, users, kode[2:], diperbaiki)
        with django_assert_max_num_queries(len(sedikit.captured_queries)):
            r = c.get(url)
    assert r.content.decode().count('data-testid="linimasa"') == 8
    assert SalinanJawaban.objects.filter(peserta=diajukan).count() == 127


def test_hanya_pic_atau_sekretaris_menandai_diperbaiki(client_as, diajukan, users):
    """Who may change the answer in the LKE marks it fixed: a member who is not the
    question's PIC sees no form and is refused in words; its PIC (and the Sekretaris) may."""
    p = kirim(diajukan, users, "A.I.1.a")
    pic = akses.pic_soal(diajukan)[soal("A.I.1.a").pk]
    assert users["anggota1"].pk in pic and users["anggota2"].pk not in pic
    with pada(hari(diajukan, Langkah.PERBAIKAN)):
        c = client_as("anggota2")
        html = c.get(DAFTAR).content.decode()
        assert 'data-testid="perbaiki-A.I.1.a"' not in html
        assert 'data-testid="bukan-pic-A.I.1.a"' in html
        r = c.post(DAFTAR, {"butir": p.pk, "catatan": "x"})
        assert r.status_code == 403 and "Hanya Sekretaris atau PIC soal ini" in r.content.decode()
        p.refresh_from_db()
        assert p.status == StatusPengembalian.DIKEMBALIKAN
        assert 'data-testid="perbaiki-A.I.1.a"' in client_as("anggota1").get(DAFTAR).content.decode()
        r = client_as("anggota1").post(DAFTAR, {"butir": p.pk, "catatan": "SK diunggah"})
        assert r.status_code == 302
        p.refresh_from_db()
        assert p.status == StatusPengembalian.DIPERBAIKI


def test_evaluasi_saya_menunjukkan_langkah_dan_antrean(client_as, diajukan, users):
    """The TPI's list says which step is open and what waits for it (re-check), and offers
    the LKE only for a unit that has its plan of the year."""
    p = perbaiki(kirim(diajukan, users, "A.I.1.a"), users)
    kirim(diajukan, users, "A.I.1.b")
    baru = UnitKerja.objects.create(kode="uji-baru", nama="Unit Baru")
    ps = PesertaEvaluasi.objects.create(putaran=diajukan.putaran, unit=baru)
    PenugasanTPI.objects.create(peserta=ps, user=users["tpi"], ketua=True)
    with pada(hari(diajukan, Langkah.PEMERIKSAAN)):
        html = client_as("tpi").get("/evaluasi/saya/").content.decode()
    baris = re.search(r'<tr data-testid="unit-dinsos-mojokerto">.*?</tr>', html, re.S)[0]
    assert "Pemeriksaan akhir TPI" in baris and "1 menunggu periksa ulang" in baris
    assert "1 menunggu perbaikan unit" in baris and 'data-testid="ke-lke"' in baris
    assert p.status == StatusPengembalian.DIPERBAIKI
    lain = re.search(r'<tr data-testid="unit-uji-baru">.*?</tr>', html, re.S)[0]
    assert 'data-testid="tanpa-rencana"' in lain and 'data-testid="ke-lke"' not in lain
