from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rencana_aksi import services
from rencana_aksi.models import RencanaKerja


class Command(BaseCommand):
    help = "Salin rencana kerja ke unit dan/atau tahun lain."

    def add_arguments(self, parser):
        parser.add_argument("--dari-unit", required=True)
        parser.add_argument("--dari-tahun", required=True, type=int)
        parser.add_argument("--ke-unit", required=True)
        parser.add_argument("--ke-tahun", required=True, type=int)
        parser.add_argument("--nama-unit", help="nama unit tujuan bila unit belum ada")
        parser.add_argument("--ganti", action="store_true")

    def handle(self, *args, **o):
        sumber = RencanaKerja.objects.filter(
            unit__kode=o["dari_unit"], tahun=o["dari_tahun"]).first()
        if sumber is None:
            raise CommandError("Rencana kerja sumber tidak ditemukan.")
        try:
            with transaction.atomic():  # a new unit is created only with its plan
                unit = services.dapatkan_atau_buat_unit(kode=o["ke_unit"], nama=o["nama_unit"])
                rk = services.salin_rencana_kerja(
                    sumber=sumber, unit=unit, tahun=o["ke_tahun"], ganti=o["ganti"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Disalin ke {rk}."))
