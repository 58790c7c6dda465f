"""The background worker as `make worker`, `make run` and `make serve-prod` start it:
django-tasks' `db_worker`, started again when the database connection drops (a restart of
PostgreSQL must not leave tasks waiting forever). SIGTERM or Ctrl-C stops it after the
task in hand."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, connections


class Command(BaseCommand):
    help = ("Jalankan pekerja latar (PDF laporan, tanda tangan, ZIP bukti); dimulai lagi bila "
            "koneksi basis data sempat putus.")

    def add_arguments(self, parser):
        parser.add_argument("--jeda", type=float, default=5.0,
                            help="detik menunggu sebelum mencoba lagi (bawaan: 5)")

    def handle(self, *args, jeda, verbosity, **options):
        while True:
            try:
                call_command("db_worker", "--no-reload", verbosity=verbosity)
                return
            except (OperationalError, InterfaceError) as exc:
                self.stderr.write(f"Pekerja latar: basis data tidak dapat dihubungi ({exc}). "
                                  f"Mencoba lagi dalam {jeda:g} detik.")
                connections.close_all()
                time.sleep(jeda)
