"""The lived-in demo year (zona_integritas/demo.py): real work on every page, figures that
agree, a signed July report that validates, and a second run that changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from bukti_dukung.kebutuhan import progres_total
from bukti_dukung.models import Berkas, NilaiIsian, Pengajuan, Status
from laporan import tte
from laporan.models import Laporan, StatusLaporan
from lke.models import JawabanLke
from rencana_aksi.models import RencanaKerja
from zona_integritas.demo import isi_tahun_berjalan, pdf_nyata


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ringkas = isi_tahun_berjalan()
    return RencanaKerja.objects.get(unit__kode="dinsos-mojokerto",
                                    tahun=timezone.localdate().year), ringkas


def _pengajuan(rk):
    return Pengajuan.objects.filter(
        bukti_dukung__rencana_aksi__indikator__komponen__area_rencana__rencana_kerja=rk)


def test_tahun_demo_berisi_pekerjaan_nyata(demo):
    rk, ringkas = demo
    assert ringkas.startswith(f"Demo {rk.tahun}:")
    p = _pengajuan(rk)
    per_status = {s: p.filter(status=s).count() for s in Status.values}
    assert per_status[Status.DISETUJUI] > 100
    assert per_status[Status.PERLU_PERBAIKAN] > 5 and per_status[Status.DIAJUKAN] > 10
    # uploads sit in their target month, reviews after them
    for x in p.exclude(bulan=None)[:50]:
        assert x.diajukan_pada.astimezone(timezone.get_current_timezone()).month == x.bulan.month
        assert x.ditinjau_pada is None or x.ditinjau_pada > x.diajukan_pada
    berkas = Berkas.objects.filter(pengajuan__in=p)
    assert {"pdf", "jpg"} <= set(berkas.values_list("ekstensi", flat=True))
    assert NilaiIsian.objects.filter(
        isian__indikator__komponen__area_rencana__rencana_kerja=rk).exists()
    assert JawabanLke.objects.filter(unit=rk.unit, soal__komponen__area__lke__tahun=rk.tahun,
                                     jawaban_unit__gt="").count() > 50
    assert JawabanLke.objects.filter(unit=rk.unit, jawaban_tpi__gt="").exists()


def test_angka_demo_sepakat_dengan_antrean_dan_dasbor(demo):
    rk, _ = demo
    h = progres_total(rk)
    p = _pengajuan(rk)
    assert h.disetujui == p.filter(status=Status.DISETUJUI).count()
    assert h.menunggu == p.filter(status=Status.DIAJUKAN).count()  # the queue's count
    assert h.perbaikan == p.filter(status=Status.PERLU_PERBAIKAN).count()
    assert 0 < h.disetujui < h.total


def test_laporan_juli_ditandatangani_dan_sah(demo):
    rk, _ = demo
    lap = Laporan.objects.get(rencana_kerja=rk, semester=1)
    assert lap.status == StatusLaporan.DITANDATANGANI
    lt = lap.tertanda.get()
    hasil = tte.periksa_pdf(lt.berkas.read())
    assert hasil.ada and hasil.utuh and hasil.sah
    # the verification code is found however it is typed
    from laporan.tanda import cari_tertanda

    assert cari_tertanda(kode=lt.kode_verifikasi.replace("-", "").lower()) == lt
    assert cari_tertanda(kode=f" {lt.kode_verifikasi.lower()} ") == lt


def test_kedua_kali_tidak_mengubah_apa_pun(demo):
    rk, _ = demo
    sebelum = (_pengajuan(rk).count(), Berkas.objects.count(), JawabanLke.objects.count())
    assert isi_tahun_berjalan() is None
    call_command("siapkan_demo", stdout=io.StringIO())
    assert (_pengajuan(rk).count(), Berkas.objects.count(),
            JawabanLke.objects.count()) == sebelum


def test_pdf_contoh_sah_dan_terbaca():
    import pypdfium2

    data = pdf_nyata("SK Tim (ZI)", ["baris satu", "Dinas Sosial"])
    pdf = pypdfium2.PdfDocument(data)
    assert len(pdf) == 1
    assert "SK Tim (ZI)" in pdf[0].get_textpage().get_text_range()


def test_putaran_evaluasi_demo(demo):
    from evaluasi.models import PutaranEvaluasi, StatusPengembalian
    from evaluasi.selectors import jumlah_dikembalikan_terbuka

    rk, _ = demo
    putaran = PutaranEvaluasi.objects.get(tahun=rk.tahun)
    assert sorted(putaran.peserta.values_list("unit__kode", flat=True)) == [
        "dinkes-mojokerto", "dinsos-mojokerto"]
    assert all(p.penugasan.get().user.username == "tpi" for p in putaran.peserta.all())
    dinsos = putaran.peserta.get(unit=rk.unit)
    assert dinsos.diajukan_pada is not None and dinsos.salinan.count() == 127
    status = sorted(dinsos.pengembalian.values_list("status", flat=True))
    assert status == sorted([StatusPengembalian.DIKEMBALIKAN] * 2 + [StatusPengembalian.DIPERBAIKI])
    assert jumlah_dikembalikan_terbuka(dinsos) == 3
    # the frozen answers were given before the submission that froze them
    assert all(s.diisi_pada is None or s.diisi_pada < dinsos.diajukan_pada
               for s in dinsos.salinan.all())
    # file names are names, not paths
    assert not Berkas.objects.filter(nama_asli__contains="/").exists()
