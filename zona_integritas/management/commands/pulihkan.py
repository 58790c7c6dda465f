"""Restore an archive made by `cadangkan` into an empty install: every hash is checked
before anything is written, the database is replaced in one transaction, the files go back
through the storage API and are checked again. docs/cadangan.md."""

import json
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.files import File
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from organisasi.models import UnitKerja
from rencana_aksi.models import RencanaKerja
from umum.penyimpanan import storage_bukti

from .cadangkan import (
    CHUNK,
    DUMP,
    FOLDER_BERKAS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    angka,
    keadaan_migrasi,
    sha256_berkas,
)

MAKS_DAFTAR = 10  # problems listed in one message


def _daftar(items):
    lebih = len(items) - MAKS_DAFTAR
    return "\n".join([f"  - {i}" for i in items[:MAKS_DAFTAR]]
                     + ([f"  - ... dan {lebih} lagi"] if lebih > 0 else []))


def _nama_aman(name):
    """A relative storage name without '..' (the archive may come from elsewhere)."""
    return (isinstance(name, str) and name and not name.startswith("/") and "\\" not in name
            and all(part not in ("", ".", "..") for part in name.split("/")))


def _tabel(model_list):
    tables = set()
    for model in model_list:
        tables.add(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            if field.remote_field.through._meta.auto_created:
                tables.add(field.remote_field.through._meta.db_table)
    return tables


class Command(BaseCommand):
    help = ("Pulihkan arsip dari `cadangkan` ke instalasi kosong (basis data sudah dimigrasi, "
            "belum ada unit kerja atau rencana kerja).")

    def add_arguments(self, parser):
        parser.add_argument("arsip", help="berkas .tar atau .tar.gz dari `cadangkan`")
        parser.add_argument(
            "--paksa", action="store_true",
            help="pulihkan walau basis data sudah berisi unit/rencana kerja: SELURUH data yang "
                 "ada diganti dengan isi cadangan")

    def handle(self, *args, **opts):
        path = Path(opts["arsip"])
        if not path.is_file():
            raise CommandError(f"Arsip {path} tidak ditemukan.")
        try:
            tar = tarfile.open(path, "r:*")
        except tarfile.TarError:
            raise CommandError(f"{path} bukan arsip tar (.tar/.tar.gz) yang dapat dibaca.") from None
        except OSError as exc:
            raise CommandError(f"Arsip {path} tidak dapat dibuka: {exc}") from None
        with tar:
            manifest = self._manifest(tar)
            self._cek_migrasi(manifest)
            if not opts["paksa"]:
                self._cek_kosong()
            self._periksa_arsip(tar, manifest)
            storage = storage_bukti()
            tulis, timpa, sama = self._cek_penyimpanan(storage, manifest, opts["paksa"])
            with tempfile.TemporaryDirectory(prefix="zi-pulihkan-") as tmp:
                dump = Path(tmp) / DUMP
                with open(dump, "wb") as out:
                    tar_dump = tar.extractfile(tar.getmember(DUMP))
                    while chunk := tar_dump.read(CHUNK):
                        out.write(chunk)
                with open(dump, "rb") as f:
                    if sha256_berkas(f) != manifest["database"]["sha256"]:
                        raise CommandError("Arsip berubah saat dibaca; tidak ada yang dipulihkan.")
                ganti = self._pulihkan(tar, manifest, dump, storage, tulis, timpa)
        dibuat = parse_datetime(str(manifest.get("created_at")))
        dibuat = f"{timezone.localtime(dibuat):%d-%m-%Y %H:%M}" if dibuat else "tanpa tanggal"
        self.stdout.write(self.style.SUCCESS(
            f"Pemulihan selesai dari {path} (cadangan {dibuat}, "
            f"versi {manifest.get('app_version')}): "
            f"{angka(sum(manifest['database']['counts'].values()))} baris basis data "
            f"({angka(UnitKerja.objects.count())} unit kerja, "
            f"{angka(RencanaKerja.objects.count())} rencana kerja), "
            f"{angka(len(tulis))} berkas bukti ditulis"
            + (f", {angka(len(sama))} sudah ada dengan isi yang sama" if sama else "")
            + (f"; {angka(ganti)} baris yang ada sebelumnya diganti" if ganti else "") + "."))

    def _manifest(self, tar):
        try:
            manifest = json.load(tar.extractfile(tar.getmember(MANIFEST)))
        except (KeyError, ValueError, tarfile.TarError, OSError):
            raise CommandError(f"Arsip ini bukan cadangan Zona Integritas ({MANIFEST} tidak ada "
                               "atau tidak terbaca). Tidak ada yang dipulihkan.") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise CommandError(f"{MANIFEST} bukan manifest cadangan Zona Integritas.")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise CommandError(f"Format cadangan versi {manifest.get('format_version')} tidak "
                               f"dikenal (perintah ini membaca versi {FORMAT_VERSION}).")
        db, files = manifest.get("database"), manifest.get("files")
        if not (isinstance(db, dict) and isinstance(db.get("sha256"), str)
                and isinstance(db.get("counts"), dict) and isinstance(files, list)
                and all(isinstance(f, dict) and "sha256" in f for f in files)
                and isinstance(manifest.get("migrations"), dict)
                and all(isinstance(v, str) for v in manifest["migrations"].values())):
            raise CommandError(f"{MANIFEST} tidak lengkap; tidak ada yang dipulihkan.")
        names = [f.get("path") for f in files]
        buruk = [repr(n) for n in names if not _nama_aman(n)]
        if buruk:
            raise CommandError(f"{MANIFEST} memuat nama berkas yang tidak sah:\n{_daftar(buruk)}")
        if len(set(names)) != len(names):
            raise CommandError(f"{MANIFEST} menyebut berkas yang sama lebih dari sekali.")
        return manifest

    def _cek_migrasi(self, manifest):
        """The dump loads only into the schema it was made from."""
        dikenal = MigrationLoader(connection, ignore_no_migrations=True).graph.nodes
        cadangan = manifest["migrations"]
        asing = [f"{app}.{name}" for app, name in sorted(cadangan.items())
                 if (app, name) not in dikenal]
        if asing:
            raise CommandError(
                f"Cadangan ini dibuat oleh versi aplikasi yang lebih baru atau berbeda "
                f"({manifest.get('app_version')}): migrasi berikut tidak dikenal di sini:\n"
                f"{_daftar(asing)}\nPasang versi aplikasi yang sama dengan cadangan, jalankan "
                "`manage.py migrate`, lalu coba lagi. Tidak ada yang dipulihkan.")
        di_sini = keadaan_migrasi()
        if not di_sini:
            raise CommandError("Basis data ini belum dimigrasi. Jalankan dulu "
                               "`manage.py migrate`, lalu coba lagi.")
        beda = [f"  - manage.py migrate {app} {cadangan.get(app, 'zero')}"
                for app in sorted(set(cadangan) | set(di_sini)) if cadangan.get(app) != di_sini.get(app)]
        if beda:
            perintah = "\n".join(beda)  # all of them, in app order
            raise CommandError(
                "Migrasi basis data ini tidak sama dengan saat cadangan dibuat. Samakan dulu "
                f"dengan:\n{perintah}\nlalu jalankan `pulihkan` lagi, dan sesudahnya "
                "`manage.py migrate` untuk membawa data yang dipulihkan ke versi ini. "
                "Tidak ada yang dipulihkan.")

    def _cek_kosong(self):
        units, plans = UnitKerja.objects.count(), RencanaKerja.objects.count()
        if units or plans:
            raise CommandError(
                f"Basis data ini tidak kosong: sudah ada {angka(units)} unit kerja dan "
                f"{angka(plans)} rencana kerja. Pemulihan mengganti SELURUH isi basis data "
                "(unit, rencana, bukti, pengguna, riwayat) dengan isi cadangan, jadi data yang ada "
                "sekarang akan hilang. Pulihkan ke instalasi baru yang baru dimigrasi, atau "
                "jalankan lagi dengan --paksa bila memang itu yang dimaksud. "
                "Tidak ada yang dipulihkan.")

    def _periksa_arsip(self, tar, manifest):
        """Every member against the manifest (size and SHA-256), before anything is written."""
        harap = {DUMP: (manifest["database"].get("size"), manifest["database"]["sha256"])}
        harap.update({FOLDER_BERKAS + f["path"]: (f.get("size"), f.get("sha256"))
                      for f in manifest["files"]})
        masalah, dilihat = [], set()
        for member in tar:
            if member.name == MANIFEST:
                continue
            if member.name in dilihat:
                masalah.append(f"{member.name}: ada dua kali")
                continue
            dilihat.add(member.name)
            if member.name not in harap:
                masalah.append(f"{member.name}: tidak tercantum di {MANIFEST}")
            elif not member.isfile():
                masalah.append(f"{member.name}: bukan berkas biasa")
            else:
                size, sha = harap[member.name]
                if member.size != size or sha256_berkas(tar.extractfile(member)) != sha:
                    masalah.append(f"{member.name}: isinya tidak sama dengan {MANIFEST}")
        masalah += [f"{name}: tidak ada di arsip" for name in sorted(harap.keys() - dilihat)]
        if masalah:
            raise CommandError("Arsip rusak atau telah diubah; tidak ada yang dipulihkan:\n"
                               + _daftar(masalah))

    def _cek_penyimpanan(self, storage, manifest, paksa):
        """Files to write, files to overwrite, files already there with the same content."""
        tulis, timpa, sama, beda = set(), set(), set(), []
        for f in manifest["files"]:
            name = f["path"]
            if storage.exists(name):
                with storage.open(name, "rb") as lama:
                    if sha256_berkas(lama) == f["sha256"]:
                        sama.add(name)
                        continue
                beda.append(name)
                timpa.add(name)
            tulis.add(name)
        if beda and not paksa:
            raise CommandError(
                f"{angka(len(beda))} berkas di penyimpanan bukti sudah ada dengan isi yang lain:\n"
                f"{_daftar(beda)}\nJalankan dengan --paksa untuk menimpanya. "
                "Tidak ada yang dipulihkan.")
        return tulis, timpa, sama

    def _pulihkan(self, tar, manifest, dump, storage, tulis, timpa):
        """Replace the database with the dump and write the files, all or nothing (files
        overwritten with --paksa are lost either way). Returns the rows replaced."""
        try:
            model_list = [apps.get_model(label) for label in manifest["database"]["counts"]]
        except (LookupError, ValueError) as exc:
            raise CommandError(f"Tabel dalam cadangan tidak dikenal di sini: {exc}") from None
        ditulis = []
        try:
            with transaction.atomic():
                ganti = sum(m._base_manager.count() for m in model_list)
                self._kosongkan(model_list)
                call_command("loaddata", str(dump), verbosity=0)
                beda = []
                for m in model_list:
                    ada, harap = m._base_manager.count(), manifest["database"]["counts"][m._meta.label_lower]
                    if ada != harap:
                        beda.append(f"{m._meta.label_lower}: {ada} baris, di cadangan {harap}")
                if beda:
                    raise CommandError("Jumlah baris setelah dimuat tidak sama dengan cadangan:\n"
                                       + _daftar(beda))
                self._tulis_berkas(tar, manifest, storage, tulis, timpa, ditulis)
        except BaseException as exc:
            for name in ditulis:
                storage.delete(name)
            if isinstance(exc, CommandError):
                raise CommandError(f"Pemulihan dibatalkan; basis data tidak berubah. {exc}") from exc
            if not isinstance(exc, Exception):
                raise
            raise CommandError(f"Pemulihan gagal dan dibatalkan; basis data tidak berubah. "
                               f"{type(exc).__name__}: {exc}") from exc
        return ganti

    def _kosongkan(self, model_list):
        """Empty the dumped tables (and the sessions): rows made by migrations or setup, e.g.
        Bagian/Area or an LKE, may have other ids than in the backup. No signals are sent."""
        tables = _tabel(model_list)
        if apps.is_installed("django.contrib.sessions"):
            tables.add(Session._meta.db_table)  # nobody stays signed in as a replaced user
        tables &= set(connection.introspection.table_names())
        with connection.cursor() as cursor:
            for sql in connection.ops.sql_flush(no_style(), sorted(tables), allow_cascade=True):
                cursor.execute(sql)

    def _tulis_berkas(self, tar, manifest, storage, tulis, timpa, ditulis):
        sha = {f["path"]: f["sha256"] for f in manifest["files"]}
        for member in tar:
            name = member.name.removeprefix(FOLDER_BERKAS)
            if not member.name.startswith(FOLDER_BERKAS) or name not in tulis:
                continue
            if name in timpa:
                storage.delete(name)
            content = File(tar.extractfile(member), name=name)
            content.size = member.size
            saved = storage.save(name, content)  # streamed in chunks by the storage
            ditulis.append(saved)
            if saved != name:
                raise CommandError(f"Penyimpanan menyimpan {name} dengan nama lain ({saved}).")
            with storage.open(saved, "rb") as f:
                if sha256_berkas(f) != sha[name]:
                    raise CommandError(f"{name} tidak sama dengan cadangan setelah ditulis.")
