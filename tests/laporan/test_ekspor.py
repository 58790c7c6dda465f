"""Exports: the plan with its status as XLSX, and the ZIP bundle of approved evidence
whose tree and index follow the plan."""

import io
import zipfile
from datetime import date

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from bukti_dukung import services
from bukti_dukung.models import Berkas
from laporan.models import Proses, StatusProses
from rencana_aksi.models import BuktiDukung, RencanaAksi
from tests.bukti_dukung.conftest import berkas, pdf_bytes

FEB = date(2024, 2, 1)


def _c(users, name):
    c = Client()
    c.force_login(users[name])
    return c


def _bds(rk, n):
    return list(BuktiDukung.objects.filter(
        rencana_aksi__indikator__komponen__area_rencana__rencana_kerja=rk,
        rencana_aksi__target_bulan__bulan=FEB).distinct().order_by("pk")[:n])


def _unggah(bd, users, nama, isi, setujui=True):
    p = services.unggah_bukti(bukti_dukung=bd, user=users["anggota1"], bulan=FEB,
                              files=[berkas(nama, isi)]).pengajuan
    if setujui:
        services.setujui(pengajuan=p, versi=p.versi, user=users["sekretaris"])
    return p


def test_status_xlsx_sheet_per_bagian_with_the_rule(rk_dinsos, users):
    bd = _bds(rk_dinsos, 1)[0]
    _unggah(bd, users, "sk.pdf", pdf_bytes("sk"))
    RencanaAksi.objects.filter(pk=bd.rencana_aksi_id).update(teks="=HYPERLINK(\"x\")")
    resp = _c(users, "kepaladinas").get(reverse("laporan:status_xlsx",
                                                args=["dinsos-mojokerto", 2024]))
    wb = load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames == ["A Pemenuhan", "B Reform"]
    rows = [r for ws in wb for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == BuktiDukung.objects.filter(
        rencana_aksi__indikator__komponen__area_rencana__rencana_kerja=rk_dinsos).count()
    head = [c.value for c in wb.worksheets[0][1]]
    row = next(r for r in rows if r[head.index("BUKTI DUKUNG")] == bd.nama
               and r[head.index("JUMLAH BERKAS")] == 1)
    assert row[head.index("DISETUJUI")] == 1 and row[head.index("TERAKHIR DIPERBARUI")]
    assert row[head.index("RENCANA AKSI")] == '=HYPERLINK("x")'  # text, not a formula
    assert all(c.data_type != "f" for ws in wb for r in ws.iter_rows() for c in r)


def test_zip_tree_and_index_follow_the_plan(rk_dinsos, users):
    a, b, c = _bds(rk_dinsos, 3)
    _unggah(a, users, 'SK "Tim" ZI?.pdf', pdf_bytes("a"))
    _unggah(b, users, "notulen.pdf", pdf_bytes("b"))
    _unggah(c, users, "belum.pdf", pdf_bytes("c"), setujui=False)  # waiting: not bundled
    resp = unduh_bundel(_c(users, "tpi"))
    assert resp.streaming and resp["Content-Type"] == "application/zip"
    assert resp["Content-Disposition"] == 'attachment; filename="bukti-zi-dinsos-mojokerto-2024.zip"'
    zf = zipfile.ZipFile(io.BytesIO(b"".join(resp.streaming_content)))
    assert zf.testzip() is None
    names = zf.namelist()
    root = "bukti-zi-dinsos-mojokerto-2024/"
    assert names[:2] == [root + "INDEKS.html", root + "INDEKS.xlsx"]
    files = names[2:]
    assert len(files) == 2
    ra = a.rencana_aksi
    k = ra.indikator.komponen
    path = files[0]
    assert path.startswith(root + "A Pemenuhan/A.I Manajemen Perubahan/")
    assert f"/{k.nomor:02d} {k.nama[:15]}" in path and f"/01 {ra.teks[:15]}" in path
    assert path.endswith("/2024-02 SK Tim ZI.pdf")  # no separator from the user's name
    assert zf.read(path) == Berkas.objects.get(pengajuan__bukti_dukung=a).berkas.open().read()
    index = zf.read(root + "INDEKS.html").decode()
    assert "notulen.pdf" in index and "belum.pdf" not in index and b.nama[:30] in index
    ws = load_workbook(io.BytesIO(zf.read(root + "INDEKS.xlsx"))).active
    listed = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert listed == [f[len(root):] for f in files]

    # streamed: after the index, no piece is larger than a copy chunk plus a file header
    from laporan.ekspor import zip_bundel

    pieces = list(zip_bundel(rk_dinsos, potongan=64))
    assert max(len(p) for p in pieces[1:-1]) <= 64 + 400  # the last: the central directory
    assert zipfile.ZipFile(io.BytesIO(b"".join(pieces))).namelist() == names

    # short enough for Windows even with long names and the folder it is extracted into
    from laporan.ekspor import PANJANG_MAKS, isi_bundel

    RencanaAksi.objects.filter(pk=ra.pk).update(teks="Sangat panjang " * 30)
    Berkas.objects.filter(pengajuan__bukti_dukung=a).update(nama_asli="x" * 200 + ".pdf")
    assert max(len(root) + len(p) for p, _b, _r in isi_bundel(rk_dinsos)) <= PANJANG_MAKS
    assert max(len(n) for n in names) <= PANJANG_MAKS


def unduh_bundel(c, kode="dinsos-mojokerto", tahun=2024):
    """Ask for the ZIP like the button does and download it from its task page."""
    resp = c.post(reverse("laporan:bundel_bukti", args=[kode, tahun]))
    assert resp.status_code == 302
    t = Proses.objects.get(pk=resp["Location"].split("/")[-2])
    assert t.status == StatusProses.SELESAI, t.pesan
    assert resp["Location"] == reverse("laporan:proses", args=[t.pk])
    return c.get(reverse("laporan:unduh_proses", args=[t.pk]))


def test_exports_are_for_the_unit_only(rk_dinsos, users):
    for name in ("status_xlsx", "bundel_bukti"):
        url = reverse(f"laporan:{name}", args=["dinsos-mojokerto", 2024])
        assert _c(users, "sekretaris2").get(url).status_code == 404
        assert _c(users, "anggota1").get(url).status_code == 403
        assert Client().get(url).status_code == 302  # to the login page


def test_export_queries_do_not_grow(rk_dinsos, users, django_assert_max_num_queries):
    c = _c(users, "sekretaris")
    url = reverse("laporan:bundel_bukti", args=["dinsos-mojokerto", 2024])
    for i, bd in enumerate(_bds(rk_dinsos, 6)):
        _unggah(bd, users, f"{i}.pdf", pdf_bytes(str(i)))
    with django_assert_max_num_queries(24):  # queue, run (tests run tasks in the request)
        resp = c.post(url)
    pk = resp["Location"].split("/")[-2]
    with django_assert_max_num_queries(6):
        b"".join(c.get(reverse("laporan:unduh_proses", args=[pk])).streaming_content)
    with django_assert_max_num_queries(16):
        c.get(reverse("laporan:status_xlsx", args=["dinsos-mojokerto", 2024]))
