"""The Sekretaris checks what is unanswered, submits, and the TPI reads a frozen copy."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bukti_dukung.models import NilaiIsian
from evaluasi import services
from evaluasi.jendela import ZONA
from evaluasi.models import SalinanJawaban
from evaluasi.selectors import jawaban_untuk_tpi
from lke.models import SoalLke, TautanIsian
from lke.services import simpan_jawaban

from .conftest import buat_putaran

URL = "/evaluasi/2024/unit/dinsos-mojokerto/"


def soal(kode):
    return SoalLke.objects.get(komponen__area__lke__tahun=2024, kode=kode)


def jawab(user, unit, kode, jawaban, catatan="", sisi="unit", versi=0):
    return simpan_jawaban(user=user, unit=unit, soal=soal(kode), sisi=sisi, jawaban=jawaban,
                          catatan=catatan, versi=versi)


def test_halaman_periksa_mendaftar_soal_belum_dijawab(client_as, ps_dinsos, users, dinsos):
    jawab(users["sekretaris"], dinsos, "A.I.1.a", "Ya")
    r = client_as("sekretaris").get(URL + "ajukan/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "126 soal belum dijawab unit" in html
    assert f'#soal-{soal("A.I.1.b").pk}"' in html and f'#soal-{soal("A.I.1.a").pk}"' not in html
    # no confirmation, no submission
    r = client_as("sekretaris").post(URL + "ajukan/", {})
    assert r.status_code == 400 and "Centang pernyataan" in r.content.decode()
    ps_dinsos.refresh_from_db()
    assert not ps_dinsos.diajukan


def test_ajukan_membekukan_jawaban_unit(client_as, ps_dinsos, users, dinsos, rk_dinsos):
    jawab(users["sekretaris"], dinsos, "A.I.1.a", "Ya", "SK nomor 12")
    jawab(users["tpi"], dinsos, "A.I.1.b", "C", "TPI saja", sisi="tpi")
    # a count row filled in the plan
    t = TautanIsian.objects.get(soal=soal("B.V.2.angka.1"), rencana_kerja=rk_dinsos)
    NilaiIsian.objects.create(isian=t.isian, nilai=8, diisi_oleh=users["anggota1"])
    r = client_as("sekretaris").post(URL + "ajukan/", {"setuju": "on"})
    assert r.status_code == 302 and r["Location"] == URL
    ps_dinsos.refresh_from_db()
    assert ps_dinsos.diajukan and ps_dinsos.diajukan_oleh == users["sekretaris"]
    beku = jawaban_untuk_tpi(ps_dinsos)
    assert len(beku) == 127
    a = beku[soal("A.I.1.a").pk]
    assert (a.jawaban, a.catatan, a.diisi_oleh, a.diisi_pada is not None) == (
        "Ya", "SK nomor 12", users["sekretaris"], True)
    # the TPI's own answer is not the unit's
    assert beku[soal("A.I.1.b").pk].jawaban == ""
    angka = beku[soal("B.V.2.angka.1").pk]
    assert (angka.jawaban, angka.diisi_oleh) == ("8", users["anggota1"])
    # later edits by the unit change the LKE, not what the TPI reads
    jawab(users["sekretaris"], dinsos, "A.I.1.a", "Tidak", "diubah", versi=1)
    assert jawaban_untuk_tpi(ps_dinsos)[soal("A.I.1.a").pk].jawaban == "Ya"
    r = client_as("tpi").get(URL + "salinan/")
    assert r.status_code == 200
    row = r.content.decode().split('data-testid="soal-A.I.1.a"')[1].split("</tr>")[0]
    assert "Ya" in row and "SK nomor 12" in row and "diubah" not in row


def test_ajukan_hanya_sekali(ps_dinsos, users):
    services.ajukan_penilaian(peserta=ps_dinsos, user=users["sekretaris"])
    with pytest.raises(ValidationError, match="sudah diajukan"):
        services.ajukan_penilaian(peserta=ps_dinsos, user=users["sekretaris"])
    assert SalinanJawaban.objects.filter(peserta=ps_dinsos).count() == 127


def test_di_luar_jendela_ditolak(client_as, dinsos, users):
    buat_putaran(units=[dinsos], mulai=timezone.localdate() + timedelta(days=1))
    c = client_as("sekretaris")
    assert 'data-testid="tertutup"' in c.get(URL + "ajukan/").content.decode()
    r = c.post(URL + "ajukan/", {"setuju": "on"})
    assert r.status_code == 400 and "tidak sedang terbuka" in r.content.decode()
    assert not SalinanJawaban.objects.exists()


def test_jendela_pada_tepinya(ps_dinsos, users):
    akhir = ps_dinsos.putaran.mandiri_selesai + timedelta(days=1)
    lewat = datetime.combine(akhir, datetime.min.time(), tzinfo=ZONA)
    with pytest.raises(ValidationError):
        services.ajukan_penilaian(peserta=ps_dinsos, user=users["sekretaris"], saat=lewat)
    services.ajukan_penilaian(peserta=ps_dinsos, user=users["sekretaris"],
                              saat=lewat - timedelta(seconds=1))


@pytest.mark.parametrize(("username", "status"), [
    ("sekretaris", 200), ("anggota1", 403), ("kepaladinas", 403), ("admin", 403),
    ("tpi", 403), ("sekretaris2", 404), ("anggota3", 404)])
def test_siapa_boleh_mengajukan(client_as, ps_dinsos, username, status):
    assert client_as(username).get(URL + "ajukan/").status_code == status
    assert client_as(username).post(URL + "ajukan/", {"setuju": "on"}).status_code in (
        status, 302 if status == 200 else status)


def test_tahun_tanpa_putaran_404(client_as, ps_dinsos):
    # the round of 2024 exists; 2023 has none
    assert client_as("sekretaris").get(
        "/evaluasi/2023/unit/dinsos-mojokerto/ajukan/").status_code == 404
