"""The semester report: content from the plan, its evidence and the progress rule, as a
real PDF (WeasyPrint) read back with pdftotext."""

import re
import shutil
import subprocess
from datetime import date

import pytest
from django.core.management import call_command

from bukti_dukung import services
from bukti_dukung.kebutuhan import hitung_progres
from laporan.cetak import html_laporan
from laporan.models import Laporan
from laporan.selectors import kunci_item
from rencana_aksi.master import AREA
from rencana_aksi.models import BuktiDukung, Indikator
from tests.bukti_dukung.conftest import berkas, pdf_bytes

FEB, AGU = date(2024, 2, 1), date(2024, 8, 1)


def _teks_pdf(path):
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed"
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    return re.sub(r"\s+", " ", out.decode())


def _bd(rk, bulan, n):
    return list(BuktiDukung.objects.filter(
        rencana_aksi__indikator__komponen__area_rencana__rencana_kerja=rk,
        rencana_aksi__target_bulan__bulan=bulan).distinct().order_by("pk")[:n])


def _setujui(bd, bulan, nama, users):
    """Upload and approve, then move both to the 15th and 20th of `bulan` (the report
    counts what happened by the semester's last day)."""
    from django.utils import timezone

    from bukti_dukung.models import Berkas, Pengajuan

    p = services.unggah_bukti(bukti_dukung=bd, user=users["anggota1"], bulan=bulan,
                              files=[berkas(nama, pdf_bytes(nama))]).pengajuan
    services.setujui(pengajuan=p, versi=p.versi, user=users["sekretaris"])
    t = timezone.make_aware(timezone.datetime(bulan.year, bulan.month, 15, 9))
    Berkas.objects.filter(pengajuan=p).update(diunggah_pada=t)
    Pengajuan.objects.filter(pk=p.pk).update(diajukan_pada=t, ditinjau_pada=t.replace(day=20))


@pytest.fixture
def terisi(rk_dinsos, users):
    for i, bd in enumerate(_bd(rk_dinsos, FEB, 3)):
        _setujui(bd, FEB, f"sk-tim-zi-{i}.pdf", users)
    _setujui(_bd(rk_dinsos, AGU, 1)[0], AGU, "notulen-agustus.pdf", users)
    return rk_dinsos


def test_pdf_holds_the_unit_areas_indikator_evidence_and_figures(terisi, users, tmp_path):
    rk = terisi
    bd = _bd(rk, FEB, 1)[0]
    Laporan.objects.create(rencana_kerja=rk, semester=1, kendala="Jaringan internet lambat",
                           tindak_lanjut_item={kunci_item(_bd(rk, FEB, 4)[3].pk, FEB):
                                               "Dijadwalkan ulang bulan Juli"})
    out = tmp_path / "laporan.pdf"
    call_command("render_laporan", unit="dinsos-mojokerto", tahun=2024, semester=1, out=str(out),
                 stdout=open("/dev/null", "w"))
    assert out.read_bytes()[:5] == b"%PDF-"
    teks = _teks_pdf(out)
    assert "Dinas Sosial Kabupaten Mojokerto" in teks and "SEMESTER I TAHUN 2024" in teks
    for _kode, nama in AREA:
        assert nama in teks, nama
    for ind in Indikator.objects.filter(komponen__area_rencana__rencana_kerja=rk)[::25]:
        assert " ".join(ind.teks.split())[:40] in teks
    assert "sk-tim-zi-0.pdf" in teks and "sk-tim-zi-2.pdf" in teks
    assert "notulen-agustus.pdf" not in teks  # uploaded after 30 June
    h = hitung_progres(rk, sampai=date(2024, 6, 1), hari=date(2024, 6, 30))[None]
    assert h.disetujui == 3
    assert f"{h.disetujui} dari {h.total} kebutuhan" in teks
    assert "Dijadwalkan ulang bulan Juli" in teks and "Jaringan internet lambat" in teks
    assert bd.nama[:30] in teks
    assert "Halaman 2 dari" in teks
    assert "Kepala Dinas Sosial" in teks  # the sign-off block names the Kepala Dinas


def test_semester_two_counts_the_whole_year(terisi):
    h1 = html_laporan(terisi, 1)
    h2 = html_laporan(terisi, 2)
    assert "Keadaan per 30 Juni 2024" in h1 and "Keadaan per 31 Desember 2024" in h2
    n = re.compile(r"(\d+) dari (\d+) kebutuhan")
    (a1, b1), (a2, b2) = n.search(h1).groups(), n.search(h2).groups()
    assert int(b2) > int(b1)
    assert (a1, a2) == ("3", "4")  # the August approval counts in semester II only


def test_report_queries_do_not_grow_with_evidence(terisi, users, django_assert_max_num_queries):
    # about 19 for the plan and its evidence, 13 for the LKE summary (with its numeric rules)
    with django_assert_max_num_queries(34):
        html_laporan(terisi, 2)
    for i, bd in enumerate(_bd(terisi, FEB, 8)[3:]):
        _setujui(bd, FEB, f"tambahan-{i}.pdf", users)
    with django_assert_max_num_queries(34):
        assert "tambahan-4.pdf" in html_laporan(terisi, 2)


def test_laporan_memuat_ringkasan_lke(rk_dinsos, users):
    """The report carries the LKE summary from the one scoring rule: IPAK 3.6 -> 15.75,
    the total, and each predicate's criteria."""
    from django.utils import timezone

    from lke.models import JawabanLke, SoalLke
    from lke.services import simpan_jawaban

    def teks_laporan():
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_laporan(rk_dinsos, 1)))

    soal = SoalLke.objects.get(komponen__area__lke__tahun=2024, kode="C.I.1")
    simpan_jawaban(user=users["sekretaris"], unit=rk_dinsos.unit, soal=soal, sisi="unit",
                   jawaban="3,6", catatan="", versi=0)
    # answered today: not in the report as of 30 June 2024
    assert "Sampai 30 Juni 2024 belum ada jawaban LKE 2024." in teks_laporan()
    JawabanLke.history.update(history_date=timezone.make_aware(timezone.datetime(2024, 6, 20, 10)))
    teks = teks_laporan()
    assert "PENILAIAN LKE" in teks and "keadaan per 30 Juni 2024 (1 baris berjawaban)" in teks
    assert "Nilai total 15,75 100,00" in teks
    assert "Perkiraan predikat Menuju WBK: belum memenuhi" in teks
    assert "IPAK 15,75 15,75 memenuhi" in teks
