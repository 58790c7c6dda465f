"""Units, memberships and personal settings moved from rencana_aksi and laporan to
organisasi, and laporan's background tasks became Proses: on a database filled by the
previous version every row stays, with its key, its links (plans, LKE answers, proposals)
and its content type (admin log, permissions)."""

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from laporan.models import Proses
from organisasi.models import Keanggotaan, Peran, PreferensiPengguna, UnitKerja
from rencana_aksi.models import RencanaKerja

SEBELUM = [("rencana_aksi", "0008_logo_unit"), ("laporan", "0005_tabel_tembolok"),
           ("lke", "0007_lke_resmi_data"), ("organisasi", None)]


def _ke(targets):
    ex = MigrationExecutor(connection)
    ex.loader.build_graph()
    ex.migrate(targets)
    ex.loader.build_graph()
    return ex.loader.project_state([t for t in targets if t[1]]).apps


def _terakhir():
    ex = MigrationExecutor(connection)
    ex.loader.build_graph()
    return ex.loader.graph.leaf_nodes()


@pytest.mark.migrasi
@pytest.mark.django_db(transaction=True)
def test_baris_tetap_saat_model_pindah():
    lama = _ke(SEBELUM)
    assert "organisasi" not in {m._meta.app_label for m in lama.get_models()}
    unit_l = lama.get_model("rencana_aksi", "UnitKerja")
    anggota_l = lama.get_model("rencana_aksi", "Keanggotaan")
    pref_l = lama.get_model("laporan", "PreferensiPengguna")
    rk_l = lama.get_model("rencana_aksi", "RencanaKerja")
    user_l = lama.get_model("auth", "User")
    u = unit_l.objects.create(kode="dinas-lama", nama="Dinas Lama", halaman_publik=True,
                              keterangan_pencanangan="Dicanangkan 2023")
    budi = user_l.objects.create(username="budi-lama", first_name="Budi")
    anggota_l.objects.create(user=budi, unit=u, peran="sekretaris")
    pref_l.objects.create(user=budi, nip="1980 0101", terima_pengingat=False)
    rk = rk_l.objects.create(unit=u, tahun=2025)
    tugas = lama.get_model("laporan", "Tugas").objects.create(  # renamed Proses since
        jenis="bundel_bukti", status="selesai", rencana_kerja=rk, dibuat_oleh=budi,
        nama_berkas="bukti.zip")
    ContentType.objects.clear_cache()
    ct_unit = ContentType.objects.get(app_label="rencana_aksi", model="unitkerja")
    LogEntry.objects.create(user_id=budi.pk, content_type_id=ct_unit.pk,
                            object_id=str(u.pk), object_repr="Dinas Lama", action_flag=ADDITION)
    jumlah = (unit_l.objects.count(), anggota_l.objects.count(), pref_l.objects.count())

    _ke(_terakhir())

    assert (UnitKerja.objects.count(), Keanggotaan.objects.count(),
            PreferensiPengguna.objects.count()) == jumlah
    unit = UnitKerja.objects.get(pk=u.pk)
    assert (unit.kode, unit.halaman_publik, unit.keterangan_pencanangan) == (
        "dinas-lama", True, "Dicanangkan 2023")
    k = Keanggotaan.objects.get(user__username="budi-lama")
    assert (k.unit_id, k.peran) == (u.pk, Peran.SEKRETARIS)
    assert PreferensiPengguna.objects.get(user__username="budi-lama").nip == "1980 0101"
    assert RencanaKerja.objects.get(pk=rk.pk).unit == unit
    assert list(unit.rencana_kerja.values_list("tahun", flat=True)) == [2025]
    p = Proses.objects.get(pk=tugas.pk)  # the background task row, renamed with its table
    assert (p.rencana_kerja_id, p.nama_berkas, p.jenis) == (rk.pk, "bukti.zip", "bundel_bukti")
    # the content types moved with their rows: the admin log and permissions still point there
    ContentType.objects.clear_cache()
    ct = ContentType.objects.get_for_model(UnitKerja)
    assert (ct.pk, ct.app_label) == (ct_unit.pk, "organisasi")
    assert LogEntry.objects.get(object_id=str(u.pk), object_repr="Dinas Lama").content_type == ct
    assert not ContentType.objects.filter(app_label="rencana_aksi", model="unitkerja").exists()
    assert Permission.objects.filter(content_type=ct, codename="change_unitkerja").exists()
    # new rows work through the new models
    Keanggotaan.objects.create(user=get_user_model().objects.create(username="tpi-baru"),
                               unit=unit, peran=Peran.TPI)
    assert unit.keanggotaan.count() == 2
