from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

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
        data = ekspor(rk=rk, lke=lke)
        try:
            Path(out).write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Tidak dapat menulis {out}: {exc.strerror or exc}. Periksa folder "
                               "dan haknya.") from None
        self.stdout.write(f"Lembar kerja LKE {unit} {tahun} ditulis ke {out}.")
