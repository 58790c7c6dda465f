from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lke.models import LembarKerja
from lke.services import muat_lke, salin_lke, tautkan_otomatis
from rencana_aksi.models import RencanaKerja


class Command(BaseCommand):
    help = ("Siapkan LKE suatu tahun dari lke/data/lke.yaml (atau salin dari tahun lain dengan "
            "--dari), lalu tautkan indikator rencana kerja tahun itu ke soal LKE.")

    def add_arguments(self, parser):
        parser.add_argument("--tahun", type=int, required=True)
        parser.add_argument("--dari", type=int, help="salin LKE dari tahun ini")

    def handle(self, *args, tahun, dari=None, **opts):
        try:
            if LembarKerja.objects.filter(tahun=tahun).exists():
                lke = LembarKerja.objects.get(tahun=tahun)
                self.stdout.write(f"LKE {tahun} sudah ada.")
            elif dari:
                lke = salin_lke(dari, tahun)
                self.stdout.write(self.style.SUCCESS(f"LKE {tahun} disalin dari {dari}."))
            else:
                lke = muat_lke(tahun)
                self.stdout.write(self.style.SUCCESS(f"LKE {tahun} dibuat dari lke/data/lke.yaml."))
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from None
        for rk in RencanaKerja.objects.filter(tahun=tahun).select_related("unit"):
            n = tautkan_otomatis(rk, lke)
            if n:
                self.stdout.write(f"  {rk.unit.kode}: {n} indikator ditautkan ke soal LKE.")
