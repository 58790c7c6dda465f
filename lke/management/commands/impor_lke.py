from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lke.lembar_kerja import baca, rencana, terapkan

from ._lembar_kerja import admin, sasaran


class Command(BaseCommand):
    help = ("Impor lembar kerja resmi LKE (sheet Jawaban) ke suatu unit dan tahun: jawaban, "
            "catatan, jawaban TPI dan angka isian rencana. Semua atau tidak sama sekali.")

    def add_arguments(self, parser):
        parser.add_argument("berkas", help="berkas .xlsx")
        parser.add_argument("--unit", required=True, help="kode unit kerja")
        parser.add_argument("--tahun", type=int, required=True)
        parser.add_argument("--coba", action="store_true",
                            help="hanya tampilkan perubahannya, tidak menyimpan")
        parser.add_argument("--kosongkan", action="store_true",
                            help="sel kosong menghapus isian yang tersimpan (bawaan: sel kosong "
                                 "tidak mengubah apa pun)")

    def handle(self, *args, berkas, unit, tahun, coba, kosongkan=False, **opts):
        rk, lke = sasaran(unit, tahun)
        user = admin()
        if not Path(berkas).is_file():
            raise CommandError(f"Berkas {berkas} tidak ditemukan.")
        try:
            # an Admin at the server may change both the unit's and the TPI's columns
            perubahan = rencana(rk=rk, lke=lke, baris=baca(berkas, lke), user=user,
                                semua_kolom=True, kosongkan=kosongkan)
        except (ValidationError, OSError) as exc:
            pesan = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("\n".join(["Impor dibatalkan; tidak ada yang disimpan:", *pesan])) \
                from None
        for p in perubahan:
            self.stdout.write(p.uraian())
        if not perubahan:
            self.stdout.write("Tidak ada perubahan.")
        if coba:
            self.stdout.write("Uji coba (--coba): tidak ada yang disimpan.")
            return
        try:
            n = terapkan(rk=rk, lke=lke, perubahan=perubahan, user=user)
        except ValidationError as exc:
            raise CommandError("\n".join(["Impor dibatalkan; tidak ada yang disimpan:",
                                          *exc.messages])) from None
        self.stdout.write(self.style.SUCCESS(f"{n} isian disimpan sebagai {user.username}."))
