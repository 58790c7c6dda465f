import json

from django.core.management.base import BaseCommand, CommandError

from lke.selectors import skor_rencana
from lke.skor import sebagai_json
from rencana_aksi.models import RencanaKerja


class Command(BaseCommand):
    help = "Cetak pohon nilai LKE suatu unit dan tahun sebagai JSON."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="kode unit kerja")
        parser.add_argument("--tahun", type=int, required=True)

    def handle(self, *args, unit, tahun, **opts):
        rk = RencanaKerja.objects.filter(unit__kode=unit, tahun=tahun).select_related("unit").first()
        if rk is None:
            raise CommandError(f"Rencana kerja {unit} {tahun} tidak ditemukan.")
        hasil = skor_rencana(rk)
        if hasil is None:
            raise CommandError(f"LKE tahun {tahun} belum ada (python manage.py siapkan_lke --tahun {tahun}).")
        self.stdout.write(json.dumps(sebagai_json(hasil[0]), ensure_ascii=False, indent=2))
