"""Cached dashboard figures: every change that can move a figure bumps the plan's
data_versi, so a cached page never shows old figures."""

from datetime import date

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from bukti_dukung import services
from bukti_dukung.kebutuhan import progres_total
from rencana_aksi import services as rencana
from rencana_aksi.models import BuktiDukung, Komponen, RencanaAksi, RencanaKerja, TargetBulan
from tests.bukti_dukung.conftest import berkas, pdf_bytes

FEB = date(2024, 2, 1)
URL = reverse("progres:dasbor", args=["dinsos-mojokerto", 2024])


def _versi(rk):
    return RencanaKerja.objects.get(pk=rk.pk).data_versi


def _bd(rk, n=0):
    return BuktiDukung.objects.filter(
        rencana_aksi__indikator__komponen__area_rencana__rencana_kerja=rk,
        rencana_aksi__target_bulan__bulan=FEB).distinct().order_by("pk")[n]


def _unggah(rk, users, n=0):
    return services.unggah_bukti(bukti_dukung=_bd(rk, n), user=users["anggota1"], bulan=FEB,
                                 files=[berkas(f"{n}.pdf", pdf_bytes(str(n)))])


def test_cached_dashboard_follows_every_approval(rk_dinsos, users):
    c = Client()
    c.force_login(users["sekretaris"])
    c.get(URL)  # cached now
    assert 'data-testid="persen-total">0,0 %' in c.get(URL).content.decode().replace("\n", "")
    p = _unggah(rk_dinsos, users).pengajuan
    services.setujui(pengajuan=p, versi=p.versi, user=users["sekretaris"])
    body = c.get(URL).content.decode().replace("\n", "")
    persen = f"{progres_total(rk_dinsos).persen:.1f}".replace(".", ",")
    assert persen != "0,0" and f'data-testid="persen-total">{persen} %' in body


def _ubah_ra(rk, users):
    ra = RencanaAksi.objects.filter(indikator__komponen__area_rencana__rencana_kerja=rk).first()
    rencana.ubah_rencana_aksi(rencana_aksi=ra, versi=ra.versi, teks=ra.teks,
                              target_waktu="Maret 2024", pic=None)


def _tambah_ra(rk, users):
    ra = RencanaAksi.objects.filter(indikator__komponen__area_rencana__rencana_kerja=rk).first()
    rencana.tambah_rencana_aksi(indikator=ra.indikator, teks="Baru", target_waktu="Mei 2024",
                                bukti_dukung=["Notulen"])


def _hapus_ra(rk, users):
    ra = RencanaAksi.objects.filter(indikator__komponen__area_rencana__rencana_kerja=rk).last()
    rencana.hapus_rencana_aksi(rencana_aksi=ra, versi=ra.versi)


def _pic(rk, users):
    k = Komponen.objects.filter(area_rencana__rencana_kerja=rk).first()
    rencana.ubah_komponen(komponen=k, versi=k.versi, nama=k.nama, pic=users["anggota2"])


def _setujui(rk, users):
    p = _unggah(rk, users).pengajuan
    services.setujui(pengajuan=p, versi=p.versi, user=users["sekretaris"])


def _kembalikan(rk, users):
    p = _unggah(rk, users).pengajuan
    services.minta_perbaikan(pengajuan=p, versi=p.versi, user=users["sekretaris"],
                             komentar="Kurang tanda tangan")


def _hapus_berkas(rk, users):
    b = _unggah(rk, users).diterima[0]
    services.hapus_berkas(berkas=b, user=users["anggota1"], alasan="salah unggah")


def _isian(rk, users):
    from decimal import Decimal

    from rencana_aksi.models import Isian

    s = Isian.objects.filter(indikator__komponen__area_rencana__rencana_kerja=rk,
                             jenis=Isian.Jenis.JUMLAH).first()
    services.simpan_isian(indikator=s.indikator, user=users["sekretaris"],
                          nilai={s.pk: Decimal(3)}, versi={s.pk: 0})


def _admin(users):
    c = Client()
    c.force_login(users["admin"])
    return c


def _admin_bulan(rk, users):
    """A month deleted in the Django admin."""
    tb = TargetBulan.objects.filter(
        rencana_aksi__indikator__komponen__area_rencana__rencana_kerja=rk).first()
    resp = _admin(users).post(reverse("admin:rencana_aksi_targetbulan_delete", args=[tb.pk]),
                              {"post": "yes"})
    assert resp.status_code == 302 and not TargetBulan.objects.filter(pk=tb.pk).exists()


def _admin_bukti(rk, users):
    """A bukti dukung renamed in the Django admin."""
    bd = _bd(rk)
    resp = _admin(users).post(reverse("admin:rencana_aksi_buktidukung_change", args=[bd.pk]), {
        "rencana_aksi": bd.rencana_aksi_id, "urutan": bd.urutan, "nama": "Nama baru",
        "isian": ""})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    assert BuktiDukung.objects.get(pk=bd.pk).nama == "Nama baru"


@pytest.mark.parametrize("ubah", [_unggah, _setujui, _kembalikan, _hapus_berkas, _ubah_ra,
                                  _tambah_ra, _hapus_ra, _pic, _isian, _admin_bulan,
                                  _admin_bukti],
                         ids=lambda f: f.__name__.strip("_"))
def test_every_write_bumps_the_plan_version(rk_dinsos, rk_dinkes, users, ubah):
    before, other = _versi(rk_dinsos), _versi(rk_dinkes)
    ubah(rk_dinsos, users)
    assert _versi(rk_dinsos) > before
    assert _versi(rk_dinkes) == other  # another unit's cached figures stay valid


def test_an_upload_locks_the_plan_row_only_after_its_files(rk_dinsos, users):
    """The version bump takes the plan row's lock until the commit: it comes after every
    file is written and every row saved, once per path to the plan, not per file."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before = _versi(rk_dinsos)
    files = [berkas(f"{i}.pdf", pdf_bytes(f"kunci{i}")) for i in range(3)]
    with CaptureQueriesContext(connection) as q:
        services.unggah_bukti(bukti_dukung=_bd(rk_dinsos), user=users["anggota1"], bulan=FEB,
                              files=files)
    sql = [x["sql"] for x in q.captured_queries]
    bumps = [i for i, x in enumerate(sql) if x.startswith('UPDATE "rencana_aksi_rencanakerja"')]
    inserts = [i for i, x in enumerate(sql) if x.startswith('INSERT INTO "bukti_dukung_berkas"')]
    assert len(inserts) == 3 and 1 <= len(bumps) <= 2
    assert min(bumps) > max(inserts)
    assert not any(x.startswith("INSERT") for x in sql[min(bumps):])  # nothing slow after it
    assert _versi(rk_dinsos) > before


def test_public_settings_bump_the_version(rk_dinsos, users):
    before = _versi(rk_dinsos)
    c = Client()
    c.force_login(users["sekretaris"])
    c.post(reverse("progres:atur_publik", args=["dinsos-mojokerto"]),
           {"halaman_publik": "1", "keterangan_pencanangan": "Dicanangkan bersama Bupati"})
    assert _versi(rk_dinsos) > before
    body = Client().get(reverse("progres:publik", args=["dinsos-mojokerto", 2024])).content
    assert "Dicanangkan bersama Bupati" in body.decode()


def test_overview_recomputes_only_changed_plans(rk_dinsos, rk_dinkes, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = Client()
    c.force_login(users["admin"])
    url = reverse("progres:wilayah", args=[2024])
    c.get(url)  # the session remembers where the Admin works (one write)
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        c.get(url)
    with CaptureQueriesContext(connection) as warm:
        c.get(url)
    assert len(warm.captured_queries) < len(cold.captured_queries)
    _setujui(rk_dinsos, users)
    with CaptureQueriesContext(connection) as q:
        body = c.get(url).content.decode()
    sql = " ".join(x["sql"] for x in q.captured_queries)
    assert len(q.captured_queries) == len(cold.captured_queries)
    assert f"IN ({rk_dinsos.pk})" in sql  # only the changed plan computed
    rows = {name: body[body.index(name):body.index("</tr>", body.index(name))]
            for name in ("Dinas Sosial", "Dinas Kesehatan")}
    # the changed plan shows its new upload as last activity; dinkes still has none
    assert not rows["Dinas Sosial"].rstrip().endswith("—</td>")
    assert rows["Dinas Kesehatan"].rstrip().endswith("—</td>")
