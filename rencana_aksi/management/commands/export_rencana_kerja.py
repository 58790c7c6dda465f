import json

from django.core.management.base import BaseCommand, CommandError

from rencana_aksi.models import RencanaKerja
from rencana_aksi.selectors import rencana_kerja_sebagai_data


class Command(BaseCommand):
    help = "Cetak rencana kerja ZI satu unit dan tahun sebagai JSON."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True)
        parser.add_argument("--tahun", required=True, type=int)

    def handle(self, *args, **opts):
        rk = (RencanaKerja.objects.select_related("unit")
              .filter(unit__kode=opts["unit"], tahun=opts["tahun"]).first())
        if rk is None:
            raise CommandError(
                f"Rencana kerja {opts['unit']} tahun {opts['tahun']} tidak ditemukan."
            )
        self.stdout.write(json.dumps(rencana_kerja_sebagai_data(rk), ensure_ascii=False, indent=2))
