from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rencana_aksi import services
from rencana_aksi.berkas_rencana import baca_berkas_rencana


class Command(BaseCommand):
    help = "Impor rencana kerja ZI dari berkas YAML/JSON/XLSX untuk satu unit dan tahun."

    def add_arguments(self, parser):
        parser.add_argument("berkas")
        parser.add_argument("--unit", required=True, help="kode unit kerja, mis. dinsos-mojokerto")
        parser.add_argument("--tahun", required=True, type=int)
        parser.add_argument("--ganti", action="store_true",
                            help="ganti rencana kerja unit/tahun ini bila sudah ada")

    def handle(self, *args, **opts):
        path = Path(opts["berkas"])
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {path}")
        try:
            data = baca_berkas_rencana(path.name, path.read_bytes())
            file_unit = data.get("unit") or {}
            nama = file_unit.get("nama") if file_unit.get("kode") in (None, opts["unit"]) else None
            with transaction.atomic():  # a new unit is created only with its plan
                unit = services.dapatkan_atau_buat_unit(kode=opts["unit"], nama=nama)
                rk = services.import_rencana_kerja(
                    data=data, unit=unit, tahun=opts["tahun"], ganti=opts["ganti"]
                )
        except ValidationError as exc:
            raise CommandError(
                "Impor dibatalkan, tidak ada yang diubah:\n  - " + "\n  - ".join(exc.messages)
            ) from exc
        for w in rk.peringatan:
            self.stderr.write(self.style.WARNING(w))
        n = sum(ar.komponen.count() for ar in rk.areas.all())
        self.stdout.write(self.style.SUCCESS(
            f"Rencana kerja {unit.kode} {rk.tahun} diimpor: {rk.areas.count()} area, {n} komponen."
        ))
