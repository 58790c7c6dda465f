from pathlib import Path

from django.core.management.base import BaseCommand

from lke.lembar_kerja import ekspor

from ._lembar_kerja import sasaran


class Command(BaseCommand):
    help = ("Tulis LKE suatu unit dan tahun sebagai lembar kerja resmi (sheet Jawaban: K-M unit, "
            "N dan Q TPI).")

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="kode unit kerja")
        parser.add_argument("--tahun", type=int, required=True)
        parser.add_argument("--out", required=True, help="berkas .xlsx yang ditulis")

    def handle(self, *args, unit, tahun, out, **opts):
        rk, lke = sasaran(unit, tahun)
        Path(out).write_bytes(ekspor(rk=rk, lke=lke))
        self.stdout.write(f"Lembar kerja LKE {unit} {tahun} ditulis ke {out}.")
