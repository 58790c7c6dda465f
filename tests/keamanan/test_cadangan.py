"""Backup and restore (docs/cadangan.md): `cadangkan` writes the database as portable JSON
Lines, every evidence file and a manifest with hashes; `pulihkan` restores it into a fresh
install (its own database and file storage, run in a subprocess) and refuses a tampered
archive, a non-empty install and a schema it does not know."""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from bukti_dukung import services as bukti
from bukti_dukung.models import Berkas, NilaiIsian, Pengajuan
from laporan import services as laporan
from laporan.models import Laporan, LaporanTertanda
from lke.models import JawabanLke, SoalLke
from lke.services import simpan_jawaban
from organisasi.models import Keanggotaan, Peran, UnitKerja
from rencana_aksi.models import Area, Bagian, Indikator, Komponen, RencanaAksi, RencanaKerja
from tests.bukti_dukung.conftest import berkas, pdf_bytes, png_bytes
from umum.penyimpanan import storage_bukti
from zona_integritas.management.commands.cadangkan import (
    daftar_berkas,
    model_dicadangkan,
    sha256_berkas,
)

ROOT = Path(settings.BASE_DIR)
PDF = pdf_bytes("SK Tim Kerja ZI 2024, untuk uji cadangan")


def _env(folder):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ZI_", "DATABASE_"))}
    env.update(DATABASE_URL=f"sqlite:///{folder}/db.sqlite3", ZI_MEDIA_ROOT=str(folder / "berkas"))
    return env


def _manage(env, *args):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def db_migrasi(tmp_path_factory):
    """An empty, migrated database, made once (migrate is slow) and copied for each test."""
    folder = tmp_path_factory.mktemp("migrasi")
    r = _manage(_env(folder), "migrate", "--noinput", "-v", "0")
    assert r.returncode == 0, r.stderr
    return folder / "db.sqlite3"


@pytest.fixture
def instal_kosong(tmp_path, db_migrasi):
    """A fresh install: its own migrated database and an empty evidence storage."""
    folder = tmp_path / "instal"
    folder.mkdir()
    shutil.copy(db_migrasi, folder / "db.sqlite3")
    return SimpleNamespace(folder=folder, env=_env(folder), db=folder / "db.sqlite3",
                           bukti=folder / "berkas" / "bukti")


def potret():
    """What a restore must keep: the rows of every backed-up model, and sample values.
    Also run inside the restored install (see _potret)."""
    User = get_user_model()  # noqa: N806
    dinsos = RencanaKerja.objects.get(unit__kode="dinsos-mojokerto", tahun=2024)
    return json.loads(json.dumps({
        "rows": {m._meta.label_lower: m._base_manager.count() for m in model_dicadangkan()},
        "rencana": list(RencanaKerja.objects.order_by("pk").values_list(
            "pk", "unit__kode", "tahun", "versi", "data_versi", "updated_at")),
        "pendahuluan": hashlib.sha256(dinsos.pendahuluan.encode()).hexdigest(),
        "aksi": list(RencanaAksi.objects.order_by("pk").values_list("pk", "teks", "pic_id")[:50]),
        "master": [list(Bagian.objects.values_list("pk", "kode")),
                   list(Area.objects.values_list("pk", "kode", "urutan"))],
        "pengajuan": list(Pengajuan.objects.order_by("pk").values_list(
            "pk", "bulan", "status", "putaran", "komentar", "ditinjau_oleh__username")),
        "berkas": list(Berkas.objects.order_by("pk").values_list(
            "berkas", "sha256", "nama_asli", "diunggah_oleh__username", "diunggah_pada")),
        "nilai": list(NilaiIsian.objects.order_by("pk").values_list(
            "isian__label", "nilai", "diisi_oleh__username")),
        "jawaban": list(JawabanLke.objects.order_by("pk").values_list(
            "unit__kode", "soal__kode", "jawaban_unit", "catatan_unit", "diisi_oleh__username")),
        "tertanda": list(LaporanTertanda.objects.values_list(
            "berkas", "sha256", "kode_verifikasi", "ditandatangani_oleh__username")),
        "logo": list(UnitKerja.objects.order_by("kode").values_list("kode", "logo")),
        "riwayat_pengajuan": list(Pengajuan.history.order_by("history_id").values_list(
            "history_type", "status", "history_user__username", "history_date")),
        "riwayat_pic": list(Komponen.history.filter(pic__isnull=False).order_by("history_id")
                            .values_list("id", "pic_id")),
        "pengguna": list(User.objects.order_by("pk").values_list(
            "pk", "username", "password", "is_superuser")),
    }, default=str))


def _potret(env):
    r = _manage(env, "shell", "-c", "import json; from tests.keamanan.test_cadangan import potret; "
                                    "print(json.dumps(potret()))")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def _hash_folder(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


def _sqlite(db, sql):
    with sqlite3.connect(db) as c:
        return c.execute(sql).fetchone()[0]


@pytest.fixture
def unit_terisi(rk_dinsos, rk_dinkes, users):
    """Dinsos with an approved upload, numbers, an LKE answer and a logo; Dinkes with a signed
    report; a history row whose PIC was deleted since (a dangling id the dump must keep)."""
    User = get_user_model()  # noqa: N806
    ra = RencanaAksi.objects.milik_unit(rk_dinsos.unit).get(
        teks="Pembentukan Tim Kerja ZI dalam unit kerja")
    hasil = bukti.unggah_bukti(bukti_dukung=ra.bukti_dukung.get(), user=users["anggota1"],
                               bulan=ra.bulan_list()[0], files=[berkas("SK Tim ZI.pdf", PDF)])
    assert hasil.diterima, hasil.ditolak
    pj = hasil.pengajuan
    bukti.setujui(pengajuan=pj, versi=pj.versi, user=users["sekretaris"], komentar="Lengkap")
    ind = Indikator.objects.filter(komponen__area_rencana__rencana_kerja=rk_dinsos,
                                   isian__label="Jumlah pelanggaran tahun ini").distinct().get()
    isian = ind.isian.get(label="Jumlah pelanggaran tahun ini")
    bukti.simpan_isian(indikator=ind, user=users["anggota1"], nilai={isian.pk: Decimal(3)},
                       versi={})
    simpan_jawaban(user=users["sekretaris"], unit=rk_dinsos.unit, sisi="unit", jawaban="3,6",
                   soal=SoalLke.objects.get(komponen__area__lke__tahun=2024, kode="C.I.1"),
                   catatan="Survei IPAK semester I", versi=0)
    laporan.simpan_logo(unit=rk_dinsos.unit, f=berkas("logo.png", png_bytes()))

    kepala = User.objects.create_user("kadinkes", first_name="Kepala", last_name="Dinkes")
    Keanggotaan.objects.create(user=kepala, unit=rk_dinkes.unit, peran=Peran.KEPALA_DINAS)
    lap = laporan.simpan_draf(laporan=Laporan(rencana_kerja=rk_dinkes, semester=1), versi=1,
                              user=users["sekretaris2"], ringkasan="Semester pertama berjalan",
                              kendala="", tindak_lanjut="", tindak_lanjut_item={})
    lap = laporan.ajukan(laporan=lap, versi=lap.versi, user=users["sekretaris2"])
    tertanda = laporan.tandatangani(laporan=lap, versi=lap.versi, user=kepala,
                                    nip="19700101 199001 1 001",
                                    url_verifikasi=lambda kode: f"https://zi.contoh.go.id/v/{kode}")

    tamu = User.objects.create_user("tamu")
    komponen = Komponen.objects.filter(area_rencana__rencana_kerja=rk_dinsos).first()
    komponen.pic = tamu
    komponen.save()
    tamu.delete()
    assert Komponen.history.filter(pic_id__isnull=False).exists()
    return SimpleNamespace(berkas=hasil.diterima[0], tertanda=tertanda)


def test_cadangan_dipulihkan_utuh_ke_instalasi_baru(unit_terisi, tmp_path, instal_kosong):
    arsip = tmp_path / "zi.tar"
    # a background task's file (a ZIP made on request, kept a few days) is not backed up
    storage_bukti().save("proses/1/uji.zip", ContentFile(b"PK\x05\x06"))
    out = io.StringIO()
    call_command("cadangkan", out=str(arsip), stdout=out)
    assert out.getvalue().startswith(f"Cadangan selesai: {arsip}")
    assert arsip.stat().st_mode & 0o777 == 0o600
    sumber = potret()
    storage = storage_bukti()
    berkas_sumber = {}
    for name in daftar_berkas(storage):
        if name.startswith("proses/"):
            continue
        with storage.open(name, "rb") as f:
            berkas_sumber[name] = sha256_berkas(f)

    with tarfile.open(arsip) as tar:
        manifest = json.load(tar.extractfile("MANIFEST.json"))
        dump = tar.extractfile("data.jsonl").read()
    assert hashlib.sha256(dump).hexdigest() == manifest["database"]["sha256"]
    assert manifest["database"]["counts"] == sumber["rows"]
    files = {f["path"]: f for f in manifest["files"]}
    b = unit_terisi.berkas
    assert files[b.berkas.name] == {"path": b.berkas.name, "size": len(PDF), "sha256": b.sha256}
    assert {name: f["sha256"] for name, f in files.items()} == berkas_sumber
    terakhir = max(p.stem for p in (ROOT / "rencana_aksi" / "migrations").glob("0*.py"))
    assert manifest["migrations"]["rencana_aksi"] == terakhir
    assert "sessions" in manifest["database"]["excluded"]
    assert sumber["rows"]["rencana_aksi.historicalrencanaaksi"] > 0  # history is in
    assert "axes.accesslog" in sumber["rows"]  # sign-in log is in, live attempts are not
    assert "axes.accessattempt" not in sumber["rows"]

    # master rows of the new install have other ids (a PostgreSQL sequence that moved on)
    with sqlite3.connect(instal_kosong.db) as c:
        c.execute("UPDATE rencana_aksi_bagian SET id = id + 100")
        c.execute("UPDATE rencana_aksi_area SET id = id + 100")
    r = _manage(instal_kosong.env, "pulihkan", str(arsip))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"Pemulihan selesai dari {arsip}")
    assert _potret(instal_kosong.env) == sumber  # history, data_versi and timestamps as they were
    assert _hash_folder(instal_kosong.bukti) == berkas_sumber
    assert (instal_kosong.bukti / b.berkas.name).read_bytes() == PDF
    signed = (instal_kosong.bukti / unit_terisi.tertanda.berkas.name).read_bytes()
    assert hashlib.sha256(signed).hexdigest() == unit_terisi.tertanda.sha256

    # a second restore is refused: the install is no longer empty
    r = _manage(instal_kosong.env, "pulihkan", str(arsip))
    assert r.returncode == 1
    assert "Basis data ini tidak kosong: sudah ada 2 unit kerja dan 2 rencana kerja" in r.stderr
    assert "--paksa" in r.stderr and "Tidak ada yang dipulihkan" in r.stderr
    # --paksa replaces everything: nothing doubled, identical files are left as they are
    r = _manage(instal_kosong.env, "pulihkan", str(arsip), "--paksa")
    assert r.returncode == 0, r.stderr
    assert "0 berkas bukti ditulis" in r.stdout and "sudah ada dengan isi yang sama" in r.stdout
    assert _potret(instal_kosong.env) == sumber


@pytest.fixture
def arsip(rk_dinsos, tmp_path):
    """A backup of the test database with at least one file (the unit's logo)."""
    laporan.simpan_logo(unit=rk_dinsos.unit, f=berkas("logo.png", png_bytes()))
    rk_dinsos.unit.refresh_from_db()
    call_command("cadangkan", out=str(tmp_path), stdout=io.StringIO())
    [path] = tmp_path.glob("zi-cadangan-*.tar")
    return SimpleNamespace(path=path, logo=rk_dinsos.unit.logo.name)


def _salin_tar(src, dst, ubah):
    """Copy an archive, passing each member's bytes through ubah(name, data)."""
    with tarfile.open(src) as tin, tarfile.open(dst, "w") as tout:
        for m in tin.getmembers():
            data = ubah(m.name, tin.extractfile(m).read())
            m.size = len(data)
            tout.addfile(m, io.BytesIO(data))


def _satu_bita(data):
    i = len(data) // 2
    return data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:]


@pytest.mark.parametrize("anggota", ["logo", "data.jsonl"])
def test_arsip_yang_diubah_ditolak_dan_tidak_ada_yang_dipulihkan(arsip, anggota, tmp_path,
                                                                   instal_kosong):
    nama = f"bukti/{arsip.logo}" if anggota == "logo" else anggota
    rusak = tmp_path / "rusak.tar"
    _salin_tar(arsip.path, rusak, lambda name, data: _satu_bita(data) if name == nama else data)

    r = _manage(instal_kosong.env, "pulihkan", str(rusak))
    assert r.returncode == 1
    assert "Arsip rusak atau telah diubah; tidak ada yang dipulihkan" in r.stderr
    assert f"{nama}: isinya tidak sama dengan MANIFEST.json" in r.stderr
    for table in ("rencana_aksi_unitkerja", "rencana_aksi_rencanakerja", "auth_user",
                  "rencana_aksi_historicalrencanaaksi"):
        assert _sqlite(instal_kosong.db, f"SELECT COUNT(*) FROM {table}") == 0
    assert _sqlite(instal_kosong.db, "SELECT COUNT(*) FROM rencana_aksi_area") == 6  # untouched
    assert not instal_kosong.bukti.exists() or not _hash_folder(instal_kosong.bukti)


def test_pulihkan_menolak_instalasi_tidak_kosong_dan_skema_asing(arsip, tmp_path):
    units = UnitKerja.objects.count()
    with pytest.raises(CommandError, match="Basis data ini tidak kosong: sudah ada 2 unit kerja"):
        call_command("pulihkan", str(arsip.path))
    assert UnitKerja.objects.count() == units

    def migrasi_baru(name, data):
        if name != "MANIFEST.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["rencana_aksi"] = "0099_masa_depan"
        return json.dumps(manifest).encode()

    baru = tmp_path / "baru.tar"
    _salin_tar(arsip.path, baru, migrasi_baru)
    with pytest.raises(CommandError, match=r"versi aplikasi yang lebih baru(.|\n)*"
                                           r"rencana_aksi\.0099_masa_depan"):
        call_command("pulihkan", str(baru), paksa=True)


def test_cadangkan_tidak_menimpa_berkas(arsip):
    with pytest.raises(CommandError, match="sudah ada; cadangan tidak pernah menimpa berkas"):
        call_command("cadangkan", out=str(arsip.path))
