"""Daily reminders: each member their items due this month and overdue; each Sekretaris a
digest of overdue items and the review queue. Nothing is sent twice for the same item and
day; users can turn reminders off on their profile page. Run daily (cron / systemd timer,
see docs/pengingat.md)."""

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bukti_dukung.kebutuhan import daftar_kebutuhan, progres_total
from bukti_dukung.selectors import jumlah_antrean
from organisasi.models import Keanggotaan, Peran, nama_pengguna
from progres.pengingat import kirim_per_pengguna, penerima_menolak, tandai_bila_terkirim
from rencana_aksi.models import RencanaKerja


class Command(BaseCommand):
    help = "Kirim pengingat e-mail harian kepada Tim ZI (sekali per butir per hari)."

    def add_arguments(self, parser):
        parser.add_argument("--tahun", type=int, help="tahun rencana kerja (bawaan: tahun ini)")

    def handle(self, *args, **opts):
        hari = timezone.localdate()
        tahun = opts["tahun"] or hari.year
        off = penerima_menolak()
        sent = gagal = 0
        for rk in RencanaKerja.objects.filter(tahun=tahun, unit__is_active=True).select_related("unit"):
            members = (Keanggotaan.objects.filter(unit=rk.unit, user__is_active=True)
                       .exclude(user__email="").exclude(user_id__in=off).select_related("user"))
            for peran, kirim in ((Peran.ANGGOTA, self._anggota), (Peran.SEKRETARIS, self._sekretaris)):
                n, g = kirim_per_pengguna([m.user for m in members if m.peran == peran],
                                          lambda user, kirim=kirim, rk=rk: kirim(rk, user, hari))
                sent, gagal = sent + n, gagal + g
        self.stdout.write(self.style.SUCCESS(f"{sent} e-mail pengingat dikirim."))
        if gagal:
            raise CommandError(f"{gagal} e-mail gagal dikirim (server surat menolak atau tidak "
                               "terjangkau); pengingatnya dicoba lagi pada jalan berikutnya.")

    def _anggota(self, rk, user, hari):
        bulan_ini = hari.replace(day=1)
        items = [it for it in daftar_kebutuhan(rk, pic=user.pk, hari=hari)
                 if it["status"] != "disetujui" and (it["terlambat"] or it["bulan"] == bulan_ini)]
        by_key = {f"kebutuhan:{it['bukti_dukung_id']}:{it['bulan']:%Y-%m}": it for it in items}
        with tandai_bila_terkirim(user, list(by_key), hari) as fresh:
            return self._kirim_anggota(rk, user, by_key, fresh) if fresh else 0

    def _kirim_anggota(self, rk, user, by_key, fresh):
        lines = []
        for k in fresh:
            it = by_key[k]
            tanda = "TERLAMBAT" if it["terlambat"] else "bulan ini"
            lines.append(f"- [{tanda}] {it['nama']} ({it['bulan']:%m/%Y}) — {it['rencana_aksi'].teks}")
        body = (f"Yth. {nama_pengguna(user)},\n\nBukti dukung Zona Integritas {rk.unit.nama} "
                f"{rk.tahun} yang menjadi tanggung jawab Anda dan belum disetujui:\n\n"
                + "\n".join(lines) + "\n\nUnggah melalui menu \"Tugas saya\". Pengingat ini "
                "dapat dimatikan di halaman profil Anda.\n")
        send_mail(f"[Zona Integritas] {len(fresh)} bukti dukung perlu diunggah", body,
                  settings.DEFAULT_FROM_EMAIL, [user.email])
        return 1

    def _sekretaris(self, rk, user, hari):
        with tandai_bila_terkirim(user, [f"ringkasan:{rk.pk}"], hari) as fresh:
            return self._kirim_ringkasan(rk, user, hari) if fresh else 0

    def _kirim_ringkasan(self, rk, user, hari):
        h = progres_total(rk, hari=hari)
        antrean = jumlah_antrean(rk.unit)
        body = (f"Yth. {nama_pengguna(user)},\n\nRingkasan Zona Integritas {rk.unit.nama} "
                f"{rk.tahun} per {hari:%d-%m-%Y}:\n\n- Kemajuan: {h.persen or 0} % "
                f"({h.disetujui} dari {h.total} kebutuhan disetujui)\n- Terlambat: {h.terlambat}\n"
                f"- Menunggu tinjauan Anda: {antrean}\n\nLihat dasbor dan antrean tinjauan di "
                "aplikasi. Pengingat ini dapat dimatikan di halaman profil Anda.\n")
        send_mail(f"[Zona Integritas] Ringkasan {rk.unit.nama}: {h.terlambat} terlambat, "
                  f"{antrean} menunggu tinjauan", body, settings.DEFAULT_FROM_EMAIL, [user.email])
        return 1
