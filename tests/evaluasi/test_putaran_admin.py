"""The Admin's pages: create, edit and copy a round, assign TPI, extend a window; with
hostile input answered by a form error, never a 500."""

from datetime import date

import pytest

from evaluasi import jendela
from evaluasi.models import PenugasanTPI, PerpanjanganJendela, PesertaEvaluasi, PutaranEvaluasi
from organisasi.models import Keanggotaan, Peran, UnitKerja

from .conftest import buat_putaran

TANGGAL = {"mandiri_mulai": "2025-03-01", "mandiri_selesai": "2025-03-31",
           "evaluasi_mulai": "2025-04-01", "evaluasi_selesai": "2025-04-30",
           "perbaikan_mulai": "2025-05-01", "perbaikan_selesai": "2025-05-15",
           "pemeriksaan_mulai": "2025-05-16", "pemeriksaan_selesai": "2025-05-31"}


def data(dinsos, dinkes, **kw):
    return {"tahun": "2025", "nama": "Evaluasi ZI 2025", **TANGGAL,
            "unit": [dinsos.pk, dinkes.pk], **kw}


def test_admin_membuat_putaran(client_as, dinsos, dinkes, users):
    c = client_as("admin")
    assert c.get("/evaluasi/putaran/baru/").status_code == 200
    r = c.post("/evaluasi/putaran/baru/", data(dinsos, dinkes))
    assert r.status_code == 302 and r["Location"] == "/evaluasi/2025/"
    p = PutaranEvaluasi.objects.get(tahun=2025)
    assert (p.mandiri_mulai, p.pemeriksaan_selesai, p.dibuat_oleh) == (
        date(2025, 3, 1), date(2025, 5, 31), users["admin"])
    assert set(p.peserta.values_list("unit__kode", flat=True)) == {"dinsos-mojokerto",
                                                                  "dinkes-mojokerto"}
    assert p.history.count() == 1
    r = c.get("/evaluasi/2025/")
    assert r.status_code == 200 and 'data-testid="unit-dinkes-mojokerto"' in r.content.decode()


@pytest.mark.parametrize(("ubah", "pesan"), [
    ({"nama": "Evaluasi\x00"}, "Karakter null"),
    ({"mandiri_selesai": "2025-02-01"}, "sebelum tanggal mulainya"),
    ({"evaluasi_mulai": "2025-02-01", "evaluasi_selesai": "2025-02-10"}, "tidak boleh mulai"),
    ({"mandiri_mulai": "2025-13-45"}, "tanggal yang valid"),
    ({"mandiri_mulai": "2025-03-01\x00"}, ""),
    ({"unit": ["999999"]}, "tidak ditemukan atau tidak aktif"),
    ({"unit": ["abc"]}, "bukan unit kerja"),
    ({"tahun": "1999"}, "antara 2000 dan 2100"),
    ({"tahun": "²⁰²⁵"}, ""),
    ({"pemeriksaan_selesai": "9999-12-31"}, "Tanggal harus antara 01-01-2024 dan 31-12-2028"),
    ({"mandiri_mulai": "0001-01-01"}, "Tanggal harus antara 01-01-2024 dan 31-12-2028"),
])
def test_masukan_liar_jadi_galat_formulir(client_as, dinsos, dinkes, ubah, pesan):
    r = client_as("admin").post("/evaluasi/putaran/baru/", data(dinsos, dinkes, **ubah))
    assert r.status_code == 400
    assert pesan in r.content.decode()
    assert not PutaranEvaluasi.objects.filter(tahun=2025).exists()


def test_unit_tidak_aktif_tidak_dapat_dipilih(client_as, dinsos, dinkes):
    mati = UnitKerja.objects.create(kode="mati", nama="Unit Mati", is_active=False)
    r = client_as("admin").post("/evaluasi/putaran/baru/", data(dinsos, dinkes, unit=[mati.pk]))
    assert r.status_code == 400 and "tidak ditemukan atau tidak aktif" in r.content.decode()


def test_tahun_ganda_ditolak(client_as, putaran, dinsos, dinkes):
    r = client_as("admin").post("/evaluasi/putaran/baru/", data(dinsos, dinkes, tahun="2024"))
    assert r.status_code == 400 and "sudah ada" in r.content.decode()


def test_ubah_putaran_dan_unitnya(client_as, putaran, dinsos, dinkes, users):
    c = client_as("admin")
    assert c.get("/evaluasi/2024/ubah/").status_code == 200
    r = c.post("/evaluasi/2024/ubah/", {"nama": "Putaran baru", **TANGGAL, "unit": [dinsos.pk],
                                        "tahun": "2030"})
    assert r.status_code == 302
    putaran.refresh_from_db()
    # the year stays: it is not a field of the edit form
    assert (putaran.tahun, putaran.nama, putaran.mandiri_mulai) == (2024, "Putaran baru",
                                                                   date(2025, 3, 1))
    assert list(putaran.peserta.values_list("unit__kode", flat=True)) == ["dinsos-mojokerto"]


def test_unit_yang_sudah_mengajukan_tetap(client_as, putaran, ps_dinsos, dinkes, users):
    ps_dinsos.diajukan_pada, ps_dinsos.diajukan_oleh = ps_dinsos.putaran.dibuat_pada, users["sekretaris"]
    ps_dinsos.save()
    r = client_as("admin").post("/evaluasi/2024/ubah/", {"nama": "X", **TANGGAL,
                                                        "unit": [dinkes.pk]})
    assert r.status_code == 400 and "tidak dapat dikeluarkan" in r.content.decode()
    putaran.refresh_from_db()
    assert putaran.nama == "Evaluasi ZI 2024" and putaran.peserta.count() == 2


def test_salin_putaran_tahun_lalu(client_as, putaran, ps_dinsos, users):
    PerpanjanganJendela.objects.create(peserta=ps_dinsos, langkah="mandiri",
                                       selesai=date(2027, 1, 1), alasan="x")
    putaran.mandiri_mulai = date(2024, 2, 29)
    putaran.save()
    Keanggotaan.objects.filter(user=users["tpi"], unit__kode="dinsos-mojokerto",
                               peran=Peran.TPI).delete()  # the role was taken away since
    c = client_as("admin")
    r = c.post("/evaluasi/putaran/salin/", {"tahun": "2025"})
    assert r.status_code == 302 and r["Location"] == "/evaluasi/2025/"
    baru = PutaranEvaluasi.objects.get(tahun=2025)
    assert baru.nama == "Evaluasi ZI 2025"
    assert baru.mandiri_mulai == date(2025, 2, 28)
    assert baru.evaluasi_selesai == putaran.evaluasi_selesai.replace(
        year=putaran.evaluasi_selesai.year + 1)
    assert sorted(baru.peserta.values_list("unit__kode", flat=True)) == [
        "dinkes-mojokerto", "dinsos-mojokerto"]
    t = PenugasanTPI.objects.get(peserta__putaran=baru)
    assert (t.user, t.ketua, t.peserta.unit.kode) == (users["tpi"], True, "dinsos-mojokerto")
    assert Keanggotaan.objects.filter(user=users["tpi"], unit__kode="dinsos-mojokerto",
                                      peran=Peran.TPI).exists()  # as an assignment grants it
    assert not PerpanjanganJendela.objects.filter(peserta__putaran=baru).exists()
    assert not baru.peserta.filter(diajukan_pada__isnull=False).exists()
    # again: the year exists; a year with no round before it; garbage
    for tahun, pesan in [("2025", "sudah ada"), ("2030", "Belum ada putaran"),
                         ("x\x00", "Tahun harus antara")]:
        r = c.post("/evaluasi/putaran/salin/", {"tahun": tahun})
        assert r.status_code == 400 and pesan in r.content.decode(), tahun


def test_atur_tpi(client_as, putaran, ps_dinkes, users, dinkes):
    lain = Keanggotaan.objects.create(user=users["anggota2"], unit=dinkes, peran=Peran.TPI).user
    url = "/evaluasi/2024/unit/dinkes-mojokerto/tpi/"
    c = client_as("admin")
    assert c.get(url).status_code == 200
    r = c.post(url, {"tpi": [users["tpi"].pk, lain.pk]})
    assert r.status_code == 400 and "Pilih ketua" in r.content.decode()
    r = c.post(url, {"tpi": [users["tpi"].pk], "ketua": lain.pk})
    assert r.status_code == 400 and "salah satu TPI" in r.content.decode()
    # not a TPI, unknown, garbage
    for bad in [users["anggota1"].pk, 999999, "x\x00"]:
        r = c.post(url, {"tpi": [bad]})
        assert r.status_code == 400, bad
    r = c.post(url, {"tpi": [users["tpi"].pk, lain.pk], "ketua": lain.pk})
    assert r.status_code == 302
    assert {(t.user.username, t.ketua) for t in ps_dinkes.penugasan.all()} == {
        ("tpi", False), ("anggota2", True)}
    # the ketua changes hands; one ketua per unit
    c.post(url, {"tpi": [users["tpi"].pk, lain.pk], "ketua": users["tpi"].pk})
    assert {(t.user.username, t.ketua) for t in ps_dinkes.penugasan.all()} == {
        ("tpi", True), ("anggota2", False)}
    # an empty form removes every TPI
    assert c.post(url, {}).status_code == 302
    assert not ps_dinkes.penugasan.exists()


def test_tpi_baru_diberi_peran_di_unit(client_as, putaran, ps_dinkes, users, dinsos, dinkes):
    baru = Keanggotaan.objects.create(user=users["anggota2"], unit=dinsos, peran=Peran.TPI).user
    client_as("admin").post("/evaluasi/2024/unit/dinkes-mojokerto/tpi/", {"tpi": [baru.pk]})
    assert PenugasanTPI.objects.get(peserta=ps_dinkes).ketua
    assert Keanggotaan.objects.filter(user=baru, unit=dinkes, peran=Peran.TPI).exists()


def test_peran_dari_penugasan_ikut_dicabut(client_as, putaran, ps_dinkes, users, dinsos, dinkes):
    """The TPI role an assignment granted goes with the last assignment (so the TPI no
    longer reads the unit); a role the Admin gave stays."""
    baru = Keanggotaan.objects.create(user=users["anggota2"], unit=dinsos, peran=Peran.TPI).user
    c = client_as("admin")
    url = "/evaluasi/2024/unit/dinkes-mojokerto/tpi/"
    c.post(url, {"tpi": [baru.pk]})
    assert Keanggotaan.objects.filter(user=baru, unit=dinkes, peran=Peran.TPI).exists()
    assert client_as("anggota2").get("/rencana/dinkes-mojokerto/2024/").status_code == 200
    c = client_as("admin")
    assert c.post(url, {}).status_code == 302  # no TPI for the unit any more
    assert not Keanggotaan.objects.filter(user=baru, unit=dinkes, peran=Peran.TPI).exists()
    assert client_as("anggota2").get("/rencana/dinkes-mojokerto/2024/").status_code == 404
    # the role it had before (Dinas Sosial, from the Admin) is not touched by assignments
    ps_dinsos = putaran.peserta.get(unit=dinsos)
    c = client_as("admin")
    c.post("/evaluasi/2024/unit/dinsos-mojokerto/tpi/", {"tpi": [baru.pk, users["tpi"].pk],
                                                          "ketua": users["tpi"].pk})
    assert PenugasanTPI.objects.filter(peserta=ps_dinsos, user=baru).exists()
    c.post("/evaluasi/2024/unit/dinsos-mojokerto/tpi/", {"tpi": [users["tpi"].pk]})
    assert Keanggotaan.objects.filter(user=baru, unit=dinsos, peran=Peran.TPI).exists()
    # a unit taken out of the round takes the granted role with it
    c.post(url, {"tpi": [baru.pk]})
    assert Keanggotaan.objects.filter(user=baru, unit=dinkes, peran=Peran.TPI).exists()
    r = c.post("/evaluasi/2024/ubah/", {"nama": "X", **{
        f: getattr(putaran, f).isoformat() for f in TANGGAL}, "unit": [dinsos.pk]})
    assert r.status_code == 302
    assert not Keanggotaan.objects.filter(user=baru, unit=dinkes, peran=Peran.TPI).exists()


def test_perpanjang_jendela_satu_unit(client_as, putaran, ps_dinsos, users):
    url = "/evaluasi/2024/unit/dinsos-mojokerto/perpanjang/"
    c = client_as("admin")
    akhir = putaran.mandiri_selesai
    for bad, pesan in [({"langkah": "mandiri", "selesai": akhir.isoformat(), "alasan": "x"},
                        "harus sesudah"),
                       ({"langkah": "lain", "selesai": "2027-01-01", "alasan": "x"},
                        "Pilih salah satu langkah"),
                       ({"langkah": "mandiri", "selesai": "2027-02-31", "alasan": "x"},
                        "tanggal yang valid"),
                       ({"langkah": "mandiri", "selesai": "2027-01-01", "alasan": "a\x00"},
                        "Karakter null"),
                       ({"langkah": "mandiri", "selesai": "2027-01-01", "alasan": ""},
                        "Tulis alasannya"),
                       ({"langkah": "mandiri", "selesai": "9999-12-31", "alasan": "x"},
                        "Tanggal harus antara 01-01-2023 dan 31-12-2027")]:
        r = c.post(url, bad)
        assert r.status_code == 400 and pesan in r.content.decode(), bad
    r = c.post(url, {"langkah": "mandiri", "selesai": "2027-01-01", "alasan": "Banjir"})
    assert r.status_code == 302
    c.post(url, {"langkah": "mandiri", "selesai": "2027-02-01", "alasan": "Banjir lagi"})
    p = PerpanjanganJendela.objects.get(peserta=ps_dinsos)
    assert (p.selesai, p.dibuat_oleh) == (date(2027, 2, 1), users["admin"])
    # both changes are logged and shown
    assert p.history.count() == 2
    html = c.get(url).content.decode()
    assert "Banjir lagi" in html and "Banjir<" in html


def test_hapus_perpanjangan(client_as, putaran, ps_dinsos, users):
    """The Admin removes an extension with a reason: the window is the round's again, the
    removal is in the log; a bad removal is an Indonesian form error that changes nothing."""
    url = "/evaluasi/2024/unit/dinsos-mojokerto/perpanjang/"
    c = client_as("admin")
    c.post(url, {"langkah": "mandiri", "selesai": "2027-01-01", "alasan": "Banjir"})
    assert jendela.rentang(ps_dinsos, "mandiri")[1] == date(2027, 1, 1)
    for bad, pesan, di in [({"hapus": "mandiri", "alasan": ""}, "Tulis alasan penghapusan",
                            "galat-hapus-mandiri"),
                           ({"hapus": "mandiri", "alasan": "x" * 1001}, "1000",
                            "galat-hapus-mandiri"),
                           ({"hapus": "evaluasi", "alasan": "x"}, "tidak sedang diperpanjang",
                            "galat-hapus"),
                           ({"hapus": "<script>", "alasan": "x"}, "Pilih salah satu langkah",
                            "galat-hapus")]:
        r = c.post(url, bad)
        body = r.content.decode()
        assert r.status_code == 400 and pesan in body and f'data-testid="{di}"' in body, bad
    r = c.post(url, {"hapus": "mandiri", "alasan": "x" * 1001})
    assert 'value="' + "x" * 1000 + '"' in r.content.decode()  # the reason typed stays
    assert PerpanjanganJendela.objects.filter(peserta=ps_dinsos).exists()
    assert 'data-testid="hapus-mandiri"' in c.get(url).content.decode()
    r = c.post(url, {"hapus": "mandiri", "alasan": "Salah unit"})
    assert r.status_code == 302
    ps_dinsos.refresh_from_db()
    assert not PerpanjanganJendela.objects.filter(peserta=ps_dinsos).exists()
    assert jendela.rentang(PesertaEvaluasi.objects.get(pk=ps_dinsos.pk), "mandiri")[1] == \
        putaran.mandiri_selesai
    html = c.get(url).content.decode()
    assert "dihapus" in html and "Salah unit" in html
    assert 'data-testid="hapus-mandiri"' not in html
    r = client_as("sekretaris").post(url, {"hapus": "mandiri", "alasan": "x"})
    assert r.status_code == 403


def test_id_tahun_lain_tidak_dikenal(client_as, dinsos, dinkes, users):
    buat_putaran(tahun=2023, units=[dinsos], tpi=users["tpi"])
    buat_putaran(tahun=2024, units=[dinkes])
    c = client_as("admin")
    # Dinas Sosial is in the 2023 round only
    assert c.get("/evaluasi/2024/unit/dinsos-mojokerto/tpi/").status_code == 404
    assert c.post("/evaluasi/2024/unit/dinsos-mojokerto/perpanjang/",
                  {"langkah": "mandiri", "selesai": "2027-01-01", "alasan": "x"}).status_code == 404
    assert c.get("/evaluasi/2022/").status_code == 404
    assert PesertaEvaluasi.objects.get(putaran__tahun=2023).perpanjangan.count() == 0
