"""Daily: the TPI round's e-mail digest (evaluasi/pemberitahuan.py). Run it from the same
cron / systemd timer as `kirim_pengingat` (docs/pengingat.md)."""

from django.core.management.base import BaseCommand, CommandError

from evaluasi.pemberitahuan import kirim_harian


class Command(BaseCommand):
    help = "Kirim pemberitahuan harian putaran evaluasi TPI (sekali per pemberitahuan)."

    def handle(self, *args, **opts):
        n, gagal = kirim_harian()
        self.stdout.write(self.style.SUCCESS(f"{n} e-mail pemberitahuan evaluasi dikirim."))
        if gagal:
            raise CommandError(f"{gagal} e-mail gagal dikirim (server surat menolak atau tidak "
                               "terjangkau); pemberitahuannya dicoba lagi pada jalan berikutnya.")
