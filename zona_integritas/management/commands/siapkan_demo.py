"""Development set-up: the seed plan and demo users for every role. Idempotent."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from organisasi.models import Keanggotaan, Peran, PreferensiPengguna, UnitKerja
from rencana_aksi.master import pastikan_master
from rencana_aksi.models import Area, Bagian, Komponen, RencanaKerja, tandai_baris
from zona_integritas.demo import isi_tahun_berjalan

PASSWORD = "demo12345"
FIXTURES = Path(settings.BASE_DIR) / "fixtures"
UNITS = [
    ("dinsos-mojokerto", "Dinas Sosial Kabupaten Mojokerto", 2024,
     "rencana_kerja_dinsos_mojokerto_2024.yaml"),
    ("dinkes-mojokerto", "Dinas Kesehatan Kabupaten Mojokerto", 2024,
     "rencana_kerja_dinkes_mojokerto_2024.yaml"),
]
# username, full name, role, unit codes (None: every unit)
USERS = [
    ("admin", "Admin Diskominfo", Peran.ADMIN, [None]),
    ("sekretaris", "Sekretaris Tim ZI Dinsos", Peran.SEKRETARIS, ["dinsos-mojokerto"]),
    ("anggota1", "Anggota Tim ZI Satu", Peran.ANGGOTA, ["dinsos-mojokerto"]),
    ("anggota2", "Anggota Tim ZI Dua", Peran.ANGGOTA, ["dinsos-mojokerto"]),
    ("kepaladinas", "Kepala Dinas Sosial", Peran.KEPALA_DINAS, ["dinsos-mojokerto"]),
    ("tpi", "Tim Penilai Internal Inspektorat", Peran.TPI,
     ["dinsos-mojokerto", "dinkes-mojokerto"]),
    ("sekretaris2", "Sekretaris Tim ZI Dinkes", Peran.SEKRETARIS, ["dinkes-mojokerto"]),
    ("anggota3", "Anggota Tim ZI Dinkes", Peran.ANGGOTA, ["dinkes-mojokerto"]),
]
DEMO_LOGINS = [u[0] for u in USERS]
NIP_DEMO = {"kepaladinas": "19700101 199001 1 001", "sekretaris": "19800515 200501 2 003"}


class Command(BaseCommand):
    help = "Muat rencana kerja contoh dan pengguna demo (hanya untuk pengembangan)."

    def add_arguments(self, parser):
        parser.add_argument("--tanpa-pengguna", action="store_true",
                            help="hanya muat rencana kerja contoh")
        parser.add_argument("--tanpa-isi", action="store_true",
                            help="tanpa rencana kerja tahun berjalan yang sudah terisi")

    def handle(self, *args, **opts):
        pastikan_master(Bagian, Area)
        for kode, nama, tahun, berkas in UNITS:
            unit, _ = UnitKerja.objects.get_or_create(kode=kode, defaults={"nama": nama})
            if not RencanaKerja.objects.filter(unit=unit, tahun=tahun).exists():
                call_command("import_rencana_kerja", str(FIXTURES / berkas), unit=kode,
                             tahun=tahun, stdout=self.stdout)
        # the LKE of the demo plans' year and of this year, linked to the plans
        for tahun in sorted({t for _k, _n, t, _b in UNITS} | {timezone.localdate().year}):
            call_command("siapkan_lke", tahun=tahun, stdout=self.stdout)
        if opts["tanpa_pengguna"]:
            return
        if not settings.ZI_DEMO:
            raise CommandError("Pengguna demo hanya dibuat di lingkungan pengembangan "
                               "(ZI_DEMO/DJANGO_DEBUG aktif).")
        with transaction.atomic():
            created = self._users()
        if created:
            self._demo_pic()
        # the demo's Kepala Dinas signs with a local test certificate (laporan/tte.py)
        call_command("buat_sertifikat_lokal", stdout=self.stdout)
        if not opts["tanpa_isi"] and settings.ZI_DEMO_ISI:
            # the current year worked half-way through, so every page shows real work
            isi_tahun_berjalan(self.stdout)
        self.stdout.write(self.style.SUCCESS(
            f"Pengguna demo siap ({created} baru). Kata sandi: {PASSWORD}"))

    def _users(self):
        User = get_user_model()  # noqa: N806
        created = 0
        for username, full_name, peran, units in USERS:
            first, _, last = full_name.partition(" ")
            user, is_new = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last,
                                             "email": f"{username}@contoh.go.id"})
            if is_new:
                user.set_password(PASSWORD)
                if peran == Peran.ADMIN:
                    user.is_staff = user.is_superuser = True
                user.save()
                created += 1
                if username in NIP_DEMO:
                    PreferensiPengguna.objects.update_or_create(
                        user=user, defaults={"nip": NIP_DEMO[username]})
            for kode in units:
                unit = UnitKerja.objects.get(kode=kode) if kode else None
                Keanggotaan.objects.get_or_create(user=user, unit=unit, peran=peran)
        return created

    def _demo_pic(self):
        """Give the demo members some komponen so 'filter by PIC' shows something."""
        User = get_user_model()  # noqa: N806
        a1, a2 = User.objects.get(username="anggota1"), User.objects.get(username="anggota2")
        qs = Komponen.objects.filter(
            area_rencana__rencana_kerja__unit__kode="dinsos-mojokerto", pic__isnull=True
        ).order_by("area_rencana__bagian__kode", "area_rencana__area__urutan", "nomor")
        for i, k in enumerate(qs[:8]):
            k.pic = a1 if i % 2 == 0 else a2
            k.save(update_fields=["pic"])
            tandai_baris(k)
