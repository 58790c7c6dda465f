"""The round's windows on the LKE page: the unit writes until it submits (while its window
has not passed), then only the questions sent back to it, in its revision window (and the
final check, for one sent back again); the TPI assigned to the unit in its evaluation and
final-check windows; a unit outside the year's round is not restricted. Closed sides are read-only
with the dates said; a post that arrives after the window closed saves nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from evaluasi import services
from evaluasi.models import PenugasanTPI, PesertaEvaluasi
from lke import lembar_kerja
from lke.jendela import tertutup
from lke.models import JawabanLke
from lke.selectors import lke_tahun
from organisasi import permissions

from .conftest import buat_putaran
from .test_ajukan import soal

URL = "/lke/dinsos-mojokerto/2024/"


def _post(c, sisi, jawaban="Ya"):
    s = soal("A.I.1.a")
    return c.post(f"{URL}soal/{s.pk}/", {"sisi": sisi, "jawaban": jawaban, "catatan": "",
                                          "versi": 0}, HTTP_HX_REQUEST="true")


def _hari(n):
    return timezone.localdate() + timedelta(days=n)


def test_tanpa_putaran_tidak_dibatasi(client_as, dinsos):
    assert tertutup(dinsos, 2024) == {"unit": None, "tpi": None, "kecuali": set()}
    html = client_as("tpi").get(URL).content.decode()
    assert 'data-testid="form-tpi"' in html and 'data-testid="jendela-tertutup"' not in html


def test_sebelum_evaluasi_tpi_hanya_membaca(client_as, dinsos, users):
    buat_putaran(units=[dinsos], tpi=users["tpi"], mulai=_hari(-5))  # self-assessment now
    html = client_as("tpi").get(URL).content.decode()
    assert 'data-testid="form-tpi"' not in html
    assert "Jawaban TPI sedang tertutup: diisi pada jendela Evaluasi TPI" in html
    r = _post(client_as("tpi"), "tpi")
    assert r.status_code == 400 and "Jawaban TPI sedang tertutup: diisi pada jendela" in r.content.decode()
    assert not JawabanLke.objects.exists()
    # the unit writes in its window
    assert 'data-testid="form-unit"' in client_as("sekretaris").get(URL).content.decode()
    assert _post(client_as("sekretaris"), "unit").status_code == 200


def test_setelah_diajukan_unit_menunggu_jendela_perbaikan(client_as, dinsos, users):
    p = buat_putaran(units=[dinsos], tpi=users["tpi"], mulai=_hari(-5))
    services.ajukan_penilaian(peserta=p.peserta.get(), user=users["sekretaris"])
    html = client_as("sekretaris").get(URL).content.decode()
    assert 'data-testid="form-unit"' not in html
    assert "Penilaian mandiri sudah diajukan. Jawaban unit sedang tertutup: soal yang " \
           "dikembalikan TPI dapat diperbaiki pada jendela Perbaikan unit" in html
    r = _post(client_as("sekretaris"), "unit")
    assert r.status_code == 400 and not JawabanLke.objects.exists()


@pytest.mark.parametrize("mulai,unit,tpi", [
    (-20, False, True),    # self-assessment passed (not submitted), TPI evaluating
    (-25, False, False),   # the revision window: the unit only on sent-back questions
                           # (none here: test_perbaikan_hanya_soal_dikembalikan)
    (-36, False, True),    # the final check: only the TPI
    (-60, False, False),   # the round is over
])
def test_setiap_langkah(dinsos, users, mulai, unit, tpi):
    buat_putaran(units=[dinsos], tpi=users["tpi"], mulai=_hari(mulai))
    t = tertutup(dinsos, 2024)
    assert (t["unit"] is None, t["tpi"] is None) == (unit, tpi)


def test_tepi_tengah_malam(dinsos, users):
    from evaluasi.jendela import ZONA, batas

    p = buat_putaran(units=[dinsos], tpi=users["tpi"], mulai=_hari(-5))
    awal, _akhir = batas(p.evaluasi_mulai, p.evaluasi_selesai)
    assert tertutup(dinsos, 2024, saat=awal - timedelta(seconds=1))["tpi"]
    assert tertutup(dinsos, 2024, saat=awal)["tpi"] is None
    assert awal.tzinfo == ZONA and awal.hour == 0


def test_impor_lembar_kerja_ikut_jendela(dinsos, users, rk_dinsos):
    buat_putaran(units=[dinsos], tpi=users["tpi"], mulai=_hari(-5))
    s = soal("A.I.1.a")
    ubah = lembar_kerja.Perubahan(baris=8, soal=s.pk, kode=s.kode, medan="jawaban_tpi",
                                  lama="", baru="Ya")
    with pytest.raises(ValidationError, match="Jawaban TPI sedang tertutup: diisi pada jendela"):
        lembar_kerja.terapkan(rk=rk_dinsos, lke=lke_tahun(2024), perubahan=[ubah],
                              user=users["tpi"])
    assert not JawabanLke.objects.exists()


def test_baris_lke_menyebut_soal_dikembalikan_dan_langkahnya(client_as, dinsos, users):
    import re

    p = buat_putaran(units=[dinsos], tpi=users["tpi"], mulai=_hari(-1),
                     evaluasi_mulai=_hari(-1), perbaikan_mulai=_hari(-1),
                     pemeriksaan_mulai=_hari(-1))
    for lg in ("mandiri", "evaluasi", "perbaikan", "pemeriksaan"):
        setattr(p, f"{lg}_selesai", _hari(20))
    p.save()
    ps = p.peserta.get()
    services.ajukan_penilaian(peserta=ps, user=users["sekretaris"])
    b = services.kembalikan_soal(peserta=ps, soal=soal("A.I.1.a"), alasan="SK belum ditandatangani",
                                 oleh=users["tpi"])
    services.tandai_diperbaiki(pengembalian=b, catatan="Sudah diunggah", oleh=users["sekretaris"])
    html = client_as("sekretaris").get(URL).content.decode()
    baris = re.search(rf'<tr id="soal-{soal("A.I.1.a").pk}".*?</tr>', html, re.S)[0]
    assert 'data-testid="tanda-soal"' in baris and "sudah diperbaiki unit" in baris
    assert "Dikembalikan</strong> Tim Penilai Internal Inspektorat: SK belum ditandatangani" in baris
    assert "Sudah diperbaiki</strong> Sekretaris Tim ZI Dinsos: Sudah diunggah" in baris
    other = re.search(rf'<tr id="soal-{soal("A.I.1.b").pk}".*?</tr>', html, re.S)[0]
    assert 'data-testid="tanda-soal"' not in other


def test_beranda_sekretaris_menyebut_soal_dikembalikan(client_as, dinsos, users):
    p = buat_putaran(units=[dinsos], tpi=users["tpi"], mulai=_hari(-1),
                     evaluasi_mulai=_hari(-1), perbaikan_mulai=_hari(-1),
                     pemeriksaan_mulai=_hari(-1))
    for lg in ("mandiri", "evaluasi", "perbaikan", "pemeriksaan"):
        setattr(p, f"{lg}_selesai", _hari(20))
    p.save()
    ps = p.peserta.get()
    c = client_as("sekretaris")
    assert 'data-testid="soal-dikembalikan"' not in c.get("/?unit=dinsos-mojokerto&tahun=2024"
                                                          ).content.decode()
    services.ajukan_penilaian(peserta=ps, user=users["sekretaris"])
    services.kembalikan_soal(peserta=ps, soal=soal("A.I.1.a"), alasan="x", oleh=users["tpi"])
    html = c.get("/").content.decode()
    assert 'data-testid="soal-dikembalikan"' in html
    assert "1 soal LKE dikembalikan TPI menunggu perbaikan unit." in html


def _jawab(c, kode, sisi, jawaban, url=URL):
    s = soal(kode)
    versi = JawabanLke.objects.filter(soal=s, unit__kode=url.split("/")[2]).first()
    return c.post(f"{url}soal/{s.pk}/", {
        "sisi": sisi, "jawaban": jawaban, "catatan": "",
        "versi": getattr(versi, f"versi_{sisi}", 0) if versi else 0}, HTTP_HX_REQUEST="true")


def _jawaban_unit(kode):
    j = JawabanLke.objects.filter(soal=soal(kode), unit__kode="dinsos-mojokerto").first()
    return j.jawaban_unit if j else ""


def test_perbaikan_hanya_soal_dikembalikan(client_as, dinsos, users):
    """After submission the unit changes only what the TPI sent back, until it marks it
    fixed: nothing else moves under the TPI's frozen copy."""
    sekarang = timezone.now()
    p = buat_putaran(units=[dinsos], tpi=users["tpi"], mulai=_hari(-25))  # revision today
    ps = p.peserta.get()
    c = client_as("sekretaris")
    services.ajukan_penilaian(peserta=ps, user=users["sekretaris"],
                              saat=sekarang - timedelta(days=20))
    b = services.kembalikan_soal(peserta=ps, soal=soal("A.I.1.a"), alasan="SK belum ada",
                                 oleh=users["tpi"], saat=sekarang - timedelta(days=10))
    html = c.get(URL).content.decode()
    assert "Unit hanya dapat mengubah jawaban soal yang dikembalikan TPI" in html
    assert html.count('data-testid="form-unit"') == 1
    r = _jawab(c, "A.I.1.b", "unit", "Ya")  # not sent back: frozen
    assert r.status_code == 400 and "hanya dapat mengubah jawaban soal yang dikembalikan" \
        in r.content.decode()
    assert _jawaban_unit("A.I.1.b") == ""
    with pytest.raises(ValidationError, match=r"Baris 9 \(A.I.1.b\): .*soal yang dikembalikan"):
        lembar_kerja.terapkan(rk=ps.unit.rencana_kerja.get(tahun=2024), lke=lke_tahun(2024),
                              user=users["sekretaris"], perubahan=[lembar_kerja.Perubahan(
                                  baris=9, soal=soal("A.I.1.b").pk, kode="A.I.1.b",
                                  medan="jawaban_unit", lama="", baru="Ya")])
    # the workbook's preview already shows the frozen row as ignored, with the reason
    rk = ps.unit.rencana_kerja.get(tahun=2024)
    pratinjau = {p.kode: p for p in lembar_kerja.rencana(
        rk=rk, lke=lke_tahun(2024), user=users["sekretaris"], baris=[
            lembar_kerja.Baris(baris=8, soal=soal("A.I.1.a").pk, kode="A.I.1.a",
                               jawaban_unit="Ya"),
            lembar_kerja.Baris(baris=9, soal=soal("A.I.1.b").pk, kode="A.I.1.b",
                               jawaban_unit="A")])}
    assert pratinjau["A.I.1.a"].alasan == ""
    assert "hanya dapat mengubah jawaban soal yang dikembalikan" in pratinjau["A.I.1.b"].alasan
    assert _jawab(c, "A.I.1.a", "unit", "Ya").status_code == 200  # sent back: open
    assert _jawaban_unit("A.I.1.a") == "Ya"
    services.tandai_diperbaiki(pengembalian=b, catatan="SK diunggah", oleh=users["sekretaris"])
    assert _jawab(c, "A.I.1.a", "unit", "Tidak").status_code == 400  # fixed: frozen again
    assert _jawaban_unit("A.I.1.a") == "Ya"


def test_dikembalikan_lagi_diperbaiki_saat_pemeriksaan(client_as, dinsos, users):
    """A question sent back again in the final check can be fixed there, without an
    extension of the revision window."""
    sekarang = timezone.now()
    p = buat_putaran(units=[dinsos], tpi=users["tpi"], mulai=_hari(-36))  # final check today
    ps = p.peserta.get()
    services.ajukan_penilaian(peserta=ps, user=users["sekretaris"],
                              saat=sekarang - timedelta(days=30))
    b = services.kembalikan_soal(peserta=ps, soal=soal("A.I.1.a"), alasan="x",
                                 oleh=users["tpi"], saat=sekarang - timedelta(days=20))
    services.tandai_diperbaiki(pengembalian=b, catatan="y", oleh=users["sekretaris"],
                               saat=sekarang - timedelta(days=10))
    b2 = services.kembalikan_lagi(pengembalian=b, alasan="Masih kurang", oleh=users["tpi"])
    assert _jawab(client_as("sekretaris"), "A.I.1.a", "unit", "Ya").status_code == 200
    r = client_as("sekretaris").get("/evaluasi/2024/unit/dinsos-mojokerto/dikembalikan/")
    assert r.status_code == 200 and "Masih kurang" in r.content.decode()
    assert 'data-testid="tertutup"' not in r.content.decode()
    services.tandai_diperbaiki(pengembalian=b2, catatan="Sudah", oleh=users["sekretaris"])


def test_tpi_lain_tidak_menilai_unit_yang_bukan_tugasnya(client_as, dinsos, dinkes, users):
    """A TPI with the TPI role in a unit but not assigned to it in the round cannot give
    the TPI's answers there (page, save, workbook); the assigned one can."""
    p = buat_putaran(units=[dinsos], tpi=users["tpi"], mulai=_hari(-14))  # evaluation today
    lain = PesertaEvaluasi.objects.create(putaran=p, unit=dinkes)  # no TPI assigned yet
    url = "/lke/dinkes-mojokerto/2024/"
    c = client_as("tpi")
    assert permissions.can_assess_lke(users["tpi"], dinkes)  # the role alone
    html = c.get(url).content.decode()
    assert 'data-testid="form-tpi"' not in html
    assert "Anda tidak ditugaskan sebagai TPI unit ini pada putaran evaluasi 2024" in html
    r = _jawab(c, "A.I.1.a", "tpi", "Ya", url=url)
    assert r.status_code == 400 and "tidak ditugaskan" in r.content.decode()
    assert not JawabanLke.objects.filter(unit=dinkes).exists()
    with pytest.raises(ValidationError, match="tidak ditugaskan"):
        lembar_kerja.terapkan(rk=dinkes.rencana_kerja.get(tahun=2024), lke=lke_tahun(2024),
                              user=users["tpi"], perubahan=[lembar_kerja.Perubahan(
                                  baris=8, soal=soal("A.I.1.a").pk, kode="A.I.1.a",
                                  medan="jawaban_tpi", lama="", baru="Ya")])
    assert 'data-testid="form-tpi"' in c.get(URL).content.decode()  # its own unit
    assert _jawab(c, "A.I.1.a", "tpi", "Ya").status_code == 200
    PenugasanTPI.objects.create(peserta=lain, user=users["tpi"], ketua=True)
    assert _jawab(c, "A.I.1.a", "tpi", "Ya", url=url).status_code == 200


@pytest.mark.parametrize("mulai,unit,tpi", [
    (-33, "soal yang dikembalikan lagi dapat diperbaiki selama Pemeriksaan akhir TPI",
     "Jawaban TPI sedang tertutup: diisi pada jendela"),  # between revision and final check
    (-60, "Putaran evaluasi 2024 sudah selesai: jawaban unit tidak dapat diubah lagi",
     "Jendela TPI sudah lewat"),  # all over
])
def test_pesan_setelah_jendela_lewat(dinsos, users, mulai, unit, tpi):
    """A closed side never points to a window that has already passed."""
    p = buat_putaran(units=[dinsos], tpi=users["tpi"], mulai=_hari(mulai))
    ps = p.peserta.get()
    ps.diajukan_pada = timezone.now() - timedelta(days=40)
    ps.save()
    if mulai == -33:  # the day between the revision and the final check
        p.pemeriksaan_mulai = _hari(1)
        p.save()
    t = tertutup(dinsos, 2024)
    assert unit in t["unit"] and tpi in t["tpi"]
