from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lke.models import TautanIsian, TautanSoal
from lke.services import siapkan_tahun


class Command(BaseCommand):
    help = ("Siapkan LKE suatu tahun (salinan tahun terdekat sebelumnya, atau --dari TAHUN, atau "
            "lke/data/lke.yaml bila belum ada LKE sama sekali), lalu tautkan indikator rencana "
            "kerja tahun itu ke soal LKE. Aman dijalankan berulang.")

    def add_arguments(self, parser):
        parser.add_argument("--tahun", type=int, required=True)
        parser.add_argument("--dari", type=int, help="salin LKE dari tahun ini")

    def handle(self, *args, tahun, dari=None, **opts):
        try:
            lke, dibuat = siapkan_tahun(tahun, dari)
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from None
        if dibuat:
            self.stdout.write(self.style.SUCCESS(f"LKE {tahun} dibuat."))
        else:
            self.stdout.write(f"LKE {tahun} sudah ada.")
        n = TautanSoal.objects.filter(soal__komponen__area__lke=lke).count()
        m = TautanIsian.objects.filter(soal__komponen__area__lke=lke).count()
        self.stdout.write(f"  {n} indikator rencana kerja {tahun} tertaut ke soal LKE, "
                          f"{m} isian angka ke baris angka LKE.")
