"""A local test certificate for the reports' digital signature (make setup): the demo
signs too, and every page says the certificate is local, not a certified e-signature."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from laporan import tte


class Command(BaseCommand):
    help = ("Buat sertifikat uji lokal untuk tanda tangan digital laporan bila belum ada "
            "(ZI_TTE_P12). Bukan sertifikat elektronik tersertifikasi.")

    def add_arguments(self, parser):
        parser.add_argument("--nama", default="Kabupaten Demo",
                            help="nama organisasi pada sertifikat (bawaan: Kabupaten Demo)")
        parser.add_argument("--ganti", action="store_true",
                            help="buat ulang walaupun berkasnya sudah ada")

    def handle(self, *args, nama, ganti, **options):
        path = Path(settings.ZI_TTE_P12)
        if path.exists() and not ganti:
            info = tte.sertifikat_aktif()
            jenis = "uji lokal" if info and info.lokal else "terpasang"
            self.stdout.write(f"Sertifikat {jenis} sudah ada: {path}")
            return
        tte.buat_sertifikat_lokal(path, nama=nama)
        self.stdout.write(f"Sertifikat uji lokal dibuat: {path} (bukan sertifikat elektronik "
                          "tersertifikasi; atur ZI_TTE_P12 untuk sertifikat BSrE).")
