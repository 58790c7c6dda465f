"""Housekeeping of evidence storage, for a daily timer (docs/deploy.md): files of background
tasks past their keeping time, finished queue rows, and orphan files (written by an upload
or a task that crashed or whose transaction failed before its row was saved)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bukti_dukung.models import Berkas
from laporan.models import Proses
from laporan.proses import akhiri_terhenti, proses_terhenti
from umum.penyimpanan import storage_bukti

from .cadangkan import berkas_dirujuk, daftar_berkas


class Command(BaseCommand):
    help = ("Hapus berkas hasil proses latar yang kedaluwarsa dan berkas yatim (tidak dirujuk "
            "baris mana pun) di penyimpanan bukti. Tanpa --hapus hanya menampilkan daftarnya.")

    def add_arguments(self, parser):
        parser.add_argument("--hapus", action="store_true",
                            help="benar-benar menghapus (tanpa ini: hanya daftar)")
        parser.add_argument("--hari", type=int, default=settings.ZI_PROSES_SIMPAN_HARI,
                            help="umur hasil proses latar yang disimpan, dalam hari "
                                 "(bawaan: ZI_PROSES_SIMPAN_HARI, %(default)s)")
        parser.add_argument("--umur-menit", type=int, default=60,
                            help="berkas yatim baru dihapus setelah berumur sekian menit, agar "
                                 "unggahan yang sedang berjalan tidak tersentuh (bawaan: 60)")

    def handle(self, *args, hapus, hari, umur_menit, **options):
        if hari < 1:
            raise CommandError("--hari paling sedikit 1.")
        if umur_menit < 10:
            raise CommandError("--umur-menit paling sedikit 10.")
        storage = storage_bukti()
        if "s3" in type(storage).__module__ and not getattr(storage, "location", ""):
            raise CommandError("ZI_S3_PREFIX kosong: seluruh bucket akan diperiksa, termasuk "
                               "objek milik aplikasi lain. Isi ZI_S3_PREFIX (mis. bukti).")
        sekarang = timezone.now()
        batas_proses = sekarang - timedelta(days=hari)

        # tasks whose worker died under them: failed, so their users can try again
        n_macet = (akhiri_terhenti(sekarang) if hapus
                   else proses_terhenti(sekarang).count())

        lama = list(Proses.objects.exclude(status__in=Proses.AKTIF)
                    .filter(selesai_pada__lt=batas_proses))
        antrean = DBTaskResult.objects.finished().filter(finished_at__lt=batas_proses)
        n_antrean = antrean.count()
        for t in lama:
            self.stdout.write(f"  hasil proses: {t.berkas.name or t.pk} ({t.get_jenis_display()}, "
                              f"selesai {timezone.localtime(t.selesai_pada):%Y-%m-%d %H:%M})")
        if hapus:
            for t in lama:
                t.delete()  # the row first: a file no row points at is only an orphan
                if t.berkas:
                    storage.delete(t.berkas.name)
            antrean.delete()

        # after the expired tasks: their files are no longer referenced
        dirujuk = berkas_dirujuk(storage)
        if not dirujuk and any(Berkas.objects.exclude(berkas="").values_list("pk")[:1]):
            # rows point at files, yet none was found in this storage: a configuration
            # mismatch, where every file would look like an orphan
            raise CommandError("Tidak ada berkas yang dirujuk di penyimpanan ini padahal ada "
                               "bukti dukung; periksa pengaturan penyimpanan. Tidak ada yang "
                               "dihapus.")
        batas_yatim = sekarang - timedelta(minutes=umur_menit)
        yatim = []
        for name in daftar_berkas(storage):
            if name in dirujuk:
                continue
            try:
                diubah = storage.get_modified_time(name)
            except (NotImplementedError, OSError):
                continue  # age unknown: never delete
            if diubah < batas_yatim:
                yatim.append(name)
        for name in yatim:
            self.stdout.write(f"  yatim: {name}")
            if hapus:
                storage.delete(name)

        kata = "dihapus" if hapus else "akan dihapus (jalankan dengan --hapus)"
        self.stdout.write(self.style.SUCCESS(
            f"{len(lama)} hasil proses latar lebih dari {hari} hari, {n_antrean} baris antrean "
            f"selesai dan {len(yatim)} berkas yatim {kata}."
            + (f" {n_macet} proses terhenti ditandai gagal." if n_macet and hapus else "")))
