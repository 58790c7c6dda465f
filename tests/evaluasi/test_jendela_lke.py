"""The round's windows on the LKE page: the unit writes until it submits (while its window
has not passed) and again in its revision window; the TPI in its evaluation and final-check
windows; a unit outside the year's round is not restricted. Closed sides are read-only
with the dates said; a post that arrives after the window closed saves nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from evaluasi import services
from lke import lembar_kerja
from lke.jendela import tertutup
from lke.models import JawabanLke
from lke.selectors import lke_tahun

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
    assert tertutup(dinsos, 2024) == {"unit": None, "tpi": None}
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
    assert "Penilaian mandiri sudah diajukan. Jawaban unit sedang tertutup: dapat diubah lagi " \
           "pada jendela Perbaikan unit" in html
    r = _post(client_as("sekretaris"), "unit")
    assert r.status_code == 400 and not JawabanLke.objects.exists()


@pytest.mark.parametrize("mulai,unit,tpi", [
    (-20, False, True),    # self-assessment passed (not submitted), TPI evaluating
    (-25, True, False),    # the revision window: the unit again, the TPI waits
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
