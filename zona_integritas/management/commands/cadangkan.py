"""Backup: the database as portable JSON Lines (Django's dumpdata), every file of the "bukti"
storage and MANIFEST.json with the SHA-256 of each, in one tar. `pulihkan` restores it;
docs/cadangan.md describes the archive."""

import datetime
import hashlib
import io
import json
import os
import posixpath
import tarfile
import tempfile
from importlib import metadata
from pathlib import Path

import django
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers import jsonl
from django.db import connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from simple_history.models import HistoricalChanges

from umum.angka import megabita, ribuan
from umum.penyimpanan import storage_bukti

FORMAT = "zona-integritas-cadangan"
FORMAT_VERSION = 1
MANIFEST = "MANIFEST.json"
DUMP = "data.jsonl"
FOLDER_BERKAS = "bukti/"  # tar member = this + the name in the "bukti" storage
CHUNK = 1024 * 1024
SERIALIZER = "zi-jsonl"

# Not in the dump. Content types and permissions are recreated by `migrate` (rows that point
# at them are dumped with natural keys); sessions are sign-ins (everyone signs in again);
# axes attempts are live lockout counters. Everything else is: app tables, simple_history's
# historical tables (the audit trail), axes' sign-in logs, the admin log.
DIKECUALIKAN = (
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes.accessattempt",
    "axes.accessattemptexpiration",
    # background tasks and their files: short-lived, made again on request
    "laporan.proses",
    "django_tasks_database",
)
# files of background tasks (laporan.models.path_proses; "tugas/" before 2026-12): not backed up
FOLDER_PROSES = ("proses/", "tugas/")


def model_dicadangkan():
    """The models whose rows are in the dump, sorted by label."""
    hasil = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        if meta.app_label in DIKECUALIKAN or meta.label_lower in DIKECUALIKAN:
            continue
        hasil.append(model)
    return sorted(hasil, key=lambda m: m._meta.label_lower)


def keadaan_migrasi(conn=connection):
    """The latest applied migration per app, e.g. {"rencana_aksi": "0008_logo_unit"}."""
    graph = MigrationLoader(conn, ignore_no_migrations=True).graph
    applied = {key for key in MigrationRecorder(conn).applied_migrations() if key in graph.nodes}
    hasil = {}
    for app, name in sorted(applied):
        children = graph.node_map[(app, name)].children
        if not any(c[0] == app and c in applied for c in children):
            hasil[app] = name
    return hasil


def daftar_berkas(storage, folder=""):
    """Every file name in `storage`, walked with listdir (works for any storage backend)."""
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        if folder:
            raise
        return  # nothing stored yet
    for name in sorted(files):
        yield posixpath.join(folder, name)
    for name in sorted(dirs):
        yield from daftar_berkas(storage, posixpath.join(folder, name))


def berkas_dirujuk(storage, model_list=None):
    """The names of the files in `storage` that rows of `model_list` (default: every
    model) point at through a FileField. History tables keep names as text, so they do not
    count: a file only history points at was replaced and deleted on purpose."""
    dirujuk = set()
    for model in model_list if model_list is not None else apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and field.storage is storage:
                dirujuk.update(model._base_manager.exclude(**{field.attname: ""})
                               .exclude(**{f"{field.attname}__isnull": True})
                               .values_list(field.attname, flat=True))
    return dirujuk


def sha256_berkas(f):
    h = hashlib.sha256()
    while chunk := f.read(CHUNK):
        h.update(chunk)
    return h.hexdigest()


def versi_aplikasi():
    try:
        return metadata.version("zona-integritas")
    except metadata.PackageNotFoundError:
        return "tidak diketahui"


angka, ukuran = ribuan, megabita


class Serializer(jsonl.Serializer):
    """Django's JSON Lines, with three changes. Times keep their microseconds (Django's
    encoder cuts them to milliseconds). A history row may still point at a user deleted
    since (historical foreign keys have no constraint): it keeps that raw id instead of
    failing the whole dump. Natural keys are looked up once per object, not once per row."""

    def _init_options(self):
        super()._init_options()
        self.json_kwargs["ensure_ascii"] = True  # plain ASCII whatever the locale
        self._natural = {}

    def _value_from_field(self, obj, field):
        value = super()._value_from_field(obj, field)
        if isinstance(value, datetime.datetime | datetime.time):
            return value.isoformat()
        return value

    def handle_fk_field(self, obj, field):
        model = field.remote_field.model
        if not (self.use_natural_foreign_keys and hasattr(model, "natural_key")):
            return super().handle_fk_field(obj, field)
        value = getattr(obj, field.attname)
        if value is not None:
            key = (model, value)
            if key not in self._natural:
                related = (model._base_manager.using(obj._state.db)
                           .filter(**{field.target_field.attname: value}).first())
                self._natural[key] = related.natural_key() if related else value
            value = self._natural[key]
        self._current[field.name] = value


Deserializer = jsonl.Deserializer  # a serializer module needs both; loading uses plain "jsonl"


class _Baca:
    """A file read by tarfile, hashed on the way."""

    def __init__(self, f):
        self.f = f
        self.sha256 = hashlib.sha256()
        self.habis = False  # a read came back short: end of file

    def read(self, size=-1):
        data = self.f.read(size)
        self.habis = self.habis or len(data) < size
        self.sha256.update(data)
        return data


def _tambah(tar, arcname, f, size, mtime):
    info = tarfile.TarInfo(arcname)
    info.size, info.mtime, info.mode = size, mtime, 0o600
    baca = _Baca(f)
    try:
        tar.addfile(info, baca)  # copied in chunks of tar.copybufsize
    except OSError:
        if baca.habis:  # shorter than the size given: it changed while being read
            raise CommandError(f"{arcname} berubah saat dicadangkan; jalankan lagi.") from None
        raise
    return baca.sha256.hexdigest()


class Command(BaseCommand):
    help = ("Cadangkan basis data (JSON portabel), semua berkas bukti dan MANIFEST.json berisi "
            "SHA-256 ke satu arsip tar.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", required=True,
            help="berkas .tar (atau .tar.gz) yang dibuat, atau folder: di dalamnya dibuat "
                 "zi-cadangan-YYYYMMDD-HHMMSS.tar")

    def handle(self, *args, **opts):
        tujuan = self._tujuan(opts["out"])
        sementara = tujuan.with_name(tujuan.name + ".sebagian")
        try:
            # the archive holds password hashes and evidence: owner only
            fd = os.open(sementara, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise CommandError(f"{sementara} sudah ada: cadangan lain sedang berjalan, atau "
                               "sisa cadangan yang gagal (hapus dulu).") from None
        except OSError as exc:
            raise CommandError(f"Tidak dapat menulis {tujuan}: {exc}") from None
        try:
            with os.fdopen(fd, "wb") as out:
                hasil = self._tulis(out, gz=tujuan.name.endswith((".gz", ".tgz")))
                out.flush()
                os.fsync(out.fileno())
            os.replace(sementara, tujuan)
        except BaseException:
            sementara.unlink(missing_ok=True)
            raise
        manifest, hilang = hasil
        for name in hilang[:20]:
            self.stderr.write(self.style.WARNING(
                f"Peringatan: {name} dirujuk basis data tetapi tidak ada di penyimpanan bukti."))
        db = manifest["database"]
        self.stdout.write(self.style.SUCCESS(
            f"Cadangan selesai: {tujuan} ({ukuran(tujuan.stat().st_size)}): "
            f"{angka(sum(db['counts'].values()))} baris basis data dari {len(db['counts'])} tabel, "
            f"{angka(len(manifest['files']))} berkas bukti "
            f"({ukuran(sum(f['size'] for f in manifest['files']))})"
            + (f", {len(hilang)} berkas yang dirujuk tidak ditemukan" if hilang else "") + "."))

    def _tujuan(self, out):
        path = Path(out)
        if path.is_dir():
            path = path / f"zi-cadangan-{timezone.localtime():%Y%m%d-%H%M%S}.tar"
        if path.exists():
            raise CommandError(f"{path} sudah ada; cadangan tidak pernah menimpa berkas. "
                               "Pilih nama lain atau sebutkan sebuah folder.")
        if not path.parent.is_dir():
            raise CommandError(f"Folder {path.parent} tidak ada.")
        return path

    def _tulis(self, out, gz):
        storage = storage_bukti()
        with tempfile.TemporaryDirectory(prefix="zi-cadangan-") as tmp, \
                tarfile.open(fileobj=out, mode="w:gz" if gz else "w", copybufsize=CHUNK,
                             format=tarfile.PAX_FORMAT) as tar:
            dump = Path(tmp) / DUMP
            database = self._dump(dump)
            with open(dump, "rb") as f:
                database["sha256"] = _tambah(tar, DUMP, f, database["size"], int(dump.stat().st_mtime))
            dirujuk = database.pop("dirujuk")
            # files after the dump: every file a dumped row points at was written before it
            files = []
            for name in daftar_berkas(storage):
                if name.startswith(FOLDER_PROSES):
                    continue
                size = storage.size(name)
                try:
                    mtime = int(storage.get_modified_time(name).timestamp())
                except NotImplementedError:
                    mtime = int(timezone.now().timestamp())
                with storage.open(name, "rb") as f:
                    sha = _tambah(tar, FOLDER_BERKAS + name, f, size, mtime)
                files.append({"path": name, "size": size, "sha256": sha})
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "app_version": versi_aplikasi(),
                "django_version": django.get_version(),
                "migrations": database.pop("migrations"),
                "database": database,
                "files": files,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
        hilang = sorted(dirujuk - {f["path"] for f in files})
        return manifest, hilang

    def _dump(self, path):
        """Dump, row counts, migration state and the file names rows point at, all from one
        snapshot of the database."""
        model_list = model_dicadangkan()
        serializers.register_serializer(SERIALIZER, __name__)
        storage = storage_bukti()
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as c:  # one snapshot for every table's query
                    c.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            with open(path, "w", encoding="utf-8") as f:
                call_command("dumpdata", *[m._meta.label for m in model_list], format=SERIALIZER,
                             use_natural_foreign_keys=True, use_base_manager=True, verbosity=0,
                             stdout=f)
            counts = {m._meta.label_lower: m._base_manager.count() for m in model_list}
            migrations = keadaan_migrasi()
            # history keeps names of files replaced since
            dirujuk = berkas_dirujuk(storage, [m for m in model_list
                                               if not issubclass(m, HistoricalChanges)])
        return {"path": DUMP, "vendor": connection.vendor, "size": path.stat().st_size,
                "counts": counts, "excluded": list(DIKECUALIKAN), "migrations": migrations,
                "dirujuk": dirujuk}
