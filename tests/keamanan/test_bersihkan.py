"""`bersihkan_berkas`: expired background-task files and orphan files go; every file a row
points at stays. Through the storage API, so it holds for local disk and S3 alike."""

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from bukti_dukung import services
from bukti_dukung.models import Berkas
from laporan.models import JenisProses, Proses, StatusProses
from rencana_aksi.models import BuktiDukung
from tests.bukti_dukung.conftest import berkas, pdf_bytes
from umum.penyimpanan import storage_bukti


def _proses(rk, user, hari_lalu):
    t = Proses(jenis=JenisProses.BUNDEL_BUKTI, status=StatusProses.SELESAI, rencana_kerja=rk,
              dibuat_oleh=user, nama_berkas="b.zip", ukuran=4,
              selesai_pada=timezone.now() - timedelta(days=hari_lalu))
    t.berkas.save("b.zip", ContentFile(b"PK\x05\x06"), save=False)
    t.save()
    return t


def _jalankan(*args):
    out = io.StringIO()
    call_command("bersihkan_berkas", *args, stdout=out)
    return out.getvalue()


def test_sweep_removes_orphans_and_expired_task_files_only(rk_dinsos, users, monkeypatch):
    st = storage_bukti()
    bd = BuktiDukung.objects.filter(
        rencana_aksi__indikator__komponen__area_rencana__rencana_kerja=rk_dinsos).first()
    p = services.unggah_bukti(bukti_dukung=bd, user=users["anggota1"],
                              bulan=bd.rencana_aksi.bulan_list()[0],
                              files=[berkas("sk.pdf", pdf_bytes("sk"))]).pengajuan
    dipakai = Berkas.objects.get(pengajuan=p).berkas.name
    yatim = st.save(f"bukti/{rk_dinsos.unit_id}/yatim-uji.pdf", ContentFile(b"%PDF-1.4 yatim"))
    lama, baru = _proses(rk_dinsos, users["tpi"], 8), _proses(rk_dinsos, users["tpi"], 1)

    # without --hapus: a list, nothing removed; a fresh orphan is not touched at all.
    # (Files of earlier tests whose rows were rolled back are orphans too: not counted here.)
    out = _jalankan()
    assert "1 hasil proses latar lebih dari 7 hari" in out and f"yatim: {yatim}" not in out
    assert st.exists(yatim) and st.exists(lama.berkas.name)

    nanti = timezone.now() + timedelta(hours=2)  # the orphan is old enough now
    monkeypatch.setattr("zona_integritas.management.commands.bersihkan_berkas.timezone.now",
                        lambda: nanti)
    out = _jalankan()
    assert f"yatim: {yatim}" in out and "akan dihapus (jalankan dengan --hapus)" in out
    for name in (dipakai, baru.berkas.name, lama.berkas.name):
        assert f"yatim: {name}" not in out  # every file a row points at stays
    assert st.exists(yatim)

    out = _jalankan("--hapus")
    assert "1 hasil proses latar" in out and f"yatim: {yatim}" in out and "yatim dihapus" in out
    assert not st.exists(yatim) and not st.exists(lama.berkas.name)
    assert not Proses.objects.filter(pk=lama.pk).exists()
    assert st.exists(dipakai) and st.exists(baru.berkas.name)
    assert Proses.objects.filter(pk=baru.pk).exists()
    # a second run finds nothing more
    assert "0 hasil proses latar" in _jalankan("--hapus") and "0 berkas yatim" in _jalankan()
    assert st.exists(dipakai)


def test_sweep_fails_stuck_tasks_and_refuses_unsafe_settings(rk_dinsos, users):
    import pytest
    from django.core.management.base import CommandError

    t = _proses(rk_dinsos, users["tpi"], 0)
    Proses.objects.filter(pk=t.pk).update(status=StatusProses.BERJALAN, selesai_pada=None,
                                         mulai_pada=timezone.now() - timedelta(hours=1))
    _jalankan()
    assert Proses.objects.get(pk=t.pk).status == StatusProses.BERJALAN  # a list only
    assert "1 proses terhenti ditandai gagal" in _jalankan("--hapus")
    assert Proses.objects.get(pk=t.pk).status == StatusProses.GAGAL
    with pytest.raises(CommandError, match="--hari paling sedikit 1."):
        _jalankan("--hari", "0")
    with pytest.raises(CommandError, match="--umur-menit paling sedikit 10"):
        _jalankan("--umur-menit", "1")


def test_worker_starts_again_after_the_database_dropped(monkeypatch):
    from django.db import OperationalError

    calls = []

    def db_worker(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
    monkeypatch.setattr("laporan.management.commands.pekerja.call_command", db_worker)
    monkeypatch.setattr("laporan.management.commands.pekerja.time.sleep", lambda s: None)
    err = io.StringIO()
    call_command("pekerja", stderr=err)
    assert len(calls) == 2 and calls[0][0] == "db_worker"
    assert "basis data tidak dapat dihubungi" in err.getvalue()
