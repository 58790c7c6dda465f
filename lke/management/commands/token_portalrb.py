from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lke.models import TokenApi


class Command(BaseCommand):
    help = ("Terbitkan token API PortalRB. Token dicetak sekali (baris pertama) dan tidak "
            "dapat ditampilkan lagi; cabut lewat Admin → Token API PortalRB.")

    def add_arguments(self, parser):
        parser.add_argument("nama", help="untuk siapa token ini, mis. \"PortalRB KemenPANRB\"")
        parser.add_argument("--hari", default="30",
                            help="masa berlaku tautan bukti dukung dalam hari (1-366; bawaan 30)")

    @transaction.atomic
    def handle(self, *args, nama, hari, **opts):
        if not hari.isascii() or not hari.isdigit():
            raise CommandError("--hari harus bilangan bulat 1-366.")
        calon = TokenApi(nama=nama.strip(), tautan_hari=int(hari))
        try:
            calon.full_clean(exclude=["hash", "awalan"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        token, raw = TokenApi.terbitkan(calon.nama)
        if token.tautan_hari != calon.tautan_hari:
            token.tautan_hari = calon.tautan_hari
            token.save(update_fields=["tautan_hari"])
        self.stdout.write(raw)
        self.stdout.write(f"Token “{token.nama}” ({token.awalan}…) diterbitkan; tautan bukti "
                          f"berlaku {token.tautan_hari} hari. Token ini tidak akan ditampilkan lagi.")
