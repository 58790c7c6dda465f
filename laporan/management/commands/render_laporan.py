"""Render the current draft of a semester report to a PDF file, without the UI."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from laporan.cetak import pdf_laporan
from laporan.models import Laporan
from rencana_aksi.models import RencanaKerja


class Command(BaseCommand):
    help = "Cetak draf laporan Zona Integritas satu semester ke berkas PDF."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="kode unit kerja")
        parser.add_argument("--tahun", required=True, type=int)
        parser.add_argument("--semester", required=True, type=int, choices=[1, 2])
        parser.add_argument("--out", required=True, help="berkas PDF tujuan")

    def handle(self, *args, unit, tahun, semester, out, **opts):
        rk = RencanaKerja.objects.filter(unit__kode=unit, tahun=tahun).select_related("unit").first()
        if rk is None:
            raise CommandError(f"Rencana kerja unit '{unit}' tahun {tahun} tidak ditemukan.")
        laporan = Laporan.objects.filter(rencana_kerja=rk, semester=semester).first()
        pdf = pdf_laporan(rk, semester, laporan)
        Path(out).write_bytes(pdf)
        self.stdout.write(self.style.SUCCESS(f"{out}: {len(pdf)} bita"))
