"""List pages cost the same number of queries with one row or many."""

from datetime import date

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bukti_dukung import services
from rencana_aksi.models import BuktiDukung, RencanaAksi

from .conftest import berkas, pdf_bytes

FEB = date(2024, 2, 1)


def _count(client, url):
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as q:
        resp = client.get(url)
    assert resp.status_code == 200
    return len(q.captured_queries)


def _bds_feb(rk):
    return list(BuktiDukung.objects.filter(
        rencana_aksi__indikator__komponen__area_rencana__rencana_kerja=rk,
        rencana_aksi__target_bulan__bulan=FEB).distinct().order_by("pk"))


def _upload(bd, user, tag):
    return services.unggah_bukti(bukti_dukung=bd, user=user, bulan=FEB,
                                 files=[berkas(f"{tag}.pdf", pdf_bytes(tag))])


def test_queue_tugas_and_log(rk_dinsos, users):
    sek, ang = Client(), Client()
    sek.force_login(users["sekretaris"])
    ang.force_login(users["anggota1"])
    urls = {"antrean": (sek, reverse("bukti_dukung:antrean", args=["dinsos-mojokerto"])),
            "log": (sek, reverse("bukti_dukung:log", args=["dinsos-mojokerto"])),
            "tugas": (ang, reverse("bukti_dukung:tugas_saya"))}
    bds = _bds_feb(rk_dinsos)
    _upload(bds[0], users["anggota1"], "0")
    one = {k: _count(c, u) for k, (c, u) in urls.items()}
    for i, bd in enumerate(bds[1:6], start=1):
        p = _upload(bd, users["anggota1"], str(i)).pengajuan
        if i % 2:
            services.minta_perbaikan(pengajuan=p, versi=p.versi, user=users["sekretaris"],
                                     komentar=f"perbaiki {i}")
    many = {k: _count(c, u) for k, (c, u) in urls.items()}
    assert many == one


def test_action_evidence_page(rk_dinsos, users):
    ra = RencanaAksi.objects.milik_unit(rk_dinsos.unit).get(
        teks__startswith="Mensosialisasikan kepada seluruh pegawai")  # 2 bukti dukung, 2 months
    c = Client()
    c.force_login(users["sekretaris"])
    url = reverse("bukti_dukung:rencana_aksi", args=[ra.pk])
    bds, months = list(ra.bukti_dukung.all()), ra.bulan_list()
    services.unggah_bukti(bukti_dukung=bds[0], user=users["anggota1"], bulan=months[0],
                          files=[berkas("pertama.pdf", pdf_bytes("pertama"))])
    one = _count(c, url)
    for i, bd in enumerate(bds):
        for m in months:
            services.unggah_bukti(bukti_dukung=bd, user=users["anggota1"], bulan=m,
                                  files=[berkas(f"{i}{m:%m}a.pdf", pdf_bytes(f"{i}{m}a")),
                                         berkas(f"{i}{m:%m}b.pdf", pdf_bytes(f"{i}{m}b"))])
    assert _count(c, url) == one
