"""Side by side per komponen and question: the unit's value, the value that counts (the
TPI's where given), the difference, the evidence; every figure from lke's scoring."""

import re

from lke.selectors import skor_rencana
from lke.services import simpan_jawaban

from .test_ajukan import soal

URL = "/evaluasi/2024/unit/dinsos-mojokerto/banding/"


def _isi(html, testid):
    return re.search(rf'data-testid="{testid}"[^>]*>([^<]*)<', html)[1]


def test_banding_sama_dengan_skor_lke(client_as, putaran, users, dinsos, rk_dinsos):
    simpan_jawaban(user=users["sekretaris"], unit=dinsos, soal=soal("A.I.1.a"), sisi="unit",
                   jawaban="Ya", catatan="", versi=0)
    simpan_jawaban(user=users["tpi"], unit=dinsos, soal=soal("A.I.1.a"), sisi="tpi",
                   jawaban="Tidak", catatan="", versi=0)
    simpan_jawaban(user=users["sekretaris"], unit=dinsos, soal=soal("C.II.1"), sisi="unit",
                   jawaban="3,6", catatan="", versi=0)
    html = client_as("tpi").get(URL).content.decode()
    skor = skor_rencana(rk_dinsos)[0]
    assert _isi(html, "total-unit") == "16,00" and _isi(html, "total") == "15,75"
    assert (skor.total_unit, skor.total) == (16, 15.75)
    assert _isi(html, "selisih-total") == "-0,25"
    baris = re.search(r'<tr data-testid="soal-A.I.1.a">.*?</tr>', html, re.S)[0]
    assert ">Ya<" in baris and ">Tidak<" in baris and "-1,00" in baris
    komponen = re.search(r'<tr class="table-light" data-testid="komponen-A.I.1">.*?</tr>',
                         html, re.S)[0]
    assert "0,25" in komponen and "0,00" in komponen and "-0,25" in komponen


def test_hak_lihat_banding(client_as, putaran):
    for nama, status in (("admin", 200), ("tpi", 200), ("sekretaris", 200),
                         ("kepaladinas", 200), ("sekretaris2", 404), ("anggota3", 404)):
        assert client_as(nama).get(URL).status_code == status, nama
    assert client_as("admin").get("/evaluasi/2019/unit/dinsos-mojokerto/banding/"
                                  ).status_code == 404


def test_kueri_banding_tidak_tumbuh_dengan_jawaban(client_as, putaran, users, dinsos):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lke.models import SoalLke

    c = client_as("tpi")
    c.get(URL)
    with CaptureQueriesContext(connection) as sedikit:
        c.get(URL)
    for s in SoalLke.objects.filter(komponen__area__lke__tahun=2024, jenis__kode="ya_tidak")[:20]:
        simpan_jawaban(user=users["sekretaris"], unit=dinsos, soal=s, sisi="unit",
                       jawaban="Ya", catatan="", versi=0)
    with CaptureQueriesContext(connection) as banyak:
        c.get(URL)
    assert len(banyak) <= len(sedikit) + 1


def test_berkas_yang_dibuka_tpi_tercatat_dan_tampil(client_as, putaran, users, rk_dinsos):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bukti_dukung import services as bukti
    from bukti_dukung.models import BerkasDibuka
    from rencana_aksi.models import BuktiDukung

    from ..bukti_dukung.conftest import pdf_bytes

    sk = BuktiDukung.objects.get(
        nama="SK Tim Kerja ZI",
        rencana_aksi__indikator__komponen__area_rencana__rencana_kerja=rk_dinsos)
    hasil = bukti.unggah_bukti(bukti_dukung=sk, user=users["anggota1"],
                               bulan=sk.rencana_aksi.target_bulan.first().bulan,
                               files=[SimpleUploadedFile("sk.pdf", pdf_bytes("sk"))])
    b = hasil.diterima[0]
    p = b.pengajuan
    bukti.setujui(pengajuan=p, versi=p.versi, user=users["sekretaris"])
    html = client_as("tpi").get(URL).content.decode()
    assert "sk.pdf" in html and "belum dibuka TPI" in html
    # the Sekretaris opening it is not the TPI's reading; the TPI's twice is one row
    client_as("sekretaris").get(f"/berkas/{b.pk}/unduh/")
    assert not BerkasDibuka.objects.exists()
    tpi = client_as("tpi")
    assert tpi.get(f"/berkas/{b.pk}/unduh/").status_code == 200
    tpi.get(f"/berkas/{b.pk}/unduh/")
    d = BerkasDibuka.objects.get()
    assert (d.user, d.berkas, d.kali) == (users["tpi"], b, 2)
    html = tpi.get(URL).content.decode()
    assert 'data-testid="dibuka-tpi"' in html and "Tim Penilai Internal Inspektorat" in html
