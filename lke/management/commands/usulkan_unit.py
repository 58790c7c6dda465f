from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lke.forms import UsulanForm


class Command(BaseCommand):
    help = ("Usulkan unit kerja ke PortalRB untuk suatu tahun, seperti halaman Pengusulan "
            "Admin. Usulan yang sudah ada hanya diubah dengan --ganti.")

    def add_arguments(self, parser):
        parser.add_argument("kode", help="kode unit kerja, mis. dinsos-mojokerto")
        parser.add_argument("--tahun", required=True, help="tahun usulan (2000-2100)")
        parser.add_argument("--kategori", required=True, help="WBK, WBK-AFIRMASI atau WBBM")
        parser.add_argument("--afirmasi", action="store_true",
                            help="usulan afirmasi (tersirat untuk WBK-AFIRMASI)")
        parser.add_argument("--ganti", action="store_true",
                            help="ubah usulan unit itu yang sudah ada untuk tahun tersebut")

    def handle(self, *args, kode, tahun, kategori, afirmasi, ganti, **opts):
        form = UsulanForm({"unit": kode, "tahun": tahun, "kategori": kategori.strip().upper(),
                           "afirmasi": afirmasi})
        if not form.is_valid():
            raise CommandError(" ".join(e for errs in form.errors.values() for e in errs))
        try:
            usulan, baru = form.simpan(ganti=ganti)
        except ValidationError as exc:
            pesan = " ".join(exc.messages)
            raise CommandError(pesan if ganti else f"{pesan} Pakai --ganti untuk mengubahnya.") \
                from None
        self.stdout.write(
            f"{usulan.unit.nama} {'diusulkan' if baru else 'usulannya diubah'} untuk tahun "
            f"{usulan.tahun}: {usulan.kategori}, afirmasi {'ya' if usulan.afirmasi else 'tidak'}.")
