import json

from django.core.management.base import BaseCommand, CommandError

from evaluasi.models import PutaranEvaluasi
from evaluasi.selectors import rekap
from lke.selectors import lke_tahun


class Command(BaseCommand):
    help = ("Cetak rekap putaran evaluasi suatu tahun sebagai JSON: per unit skor_unit, "
            "skor_tpi, WBK, WBBM, dikembalikan_terbuka.")

    def add_arguments(self, parser):
        parser.add_argument("--tahun", type=int, required=True)

    def handle(self, *args, tahun, **opts):
        putaran = PutaranEvaluasi.objects.filter(tahun=tahun).first()
        if putaran is None:
            raise CommandError(f"Putaran evaluasi tahun {tahun} tidak ditemukan.")
        lke = lke_tahun(tahun)
        if lke is None:
            raise CommandError(f"LKE tahun {tahun} belum ada (python manage.py siapkan_lke --tahun {tahun}).")
        self.stdout.write(json.dumps(rekap(putaran, lke), ensure_ascii=False, indent=2))
