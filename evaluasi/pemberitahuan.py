"""The round's daily e-mail digest: a window opening today, a window closing in two days,
a unit submitting while the TPI's window is already open, questions sent back to a unit,
questions a unit marked fixed. One mail per user per day
with every notice for them; each notice goes once (progres.pengingat, the reminders'
machinery, and the same opt-out on the profile page)."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from organisasi.models import Keanggotaan, Peran, nama_pengguna
from progres.pengingat import belum_terkirim, kirim_per_pengguna, penerima_menolak

from . import jendela
from .models import Langkah, Pengembalian, PesertaEvaluasi, StatusPengembalian

HARI_SEBELUM_TUTUP = 2
UNIT = {Langkah.MANDIRI, Langkah.PERBAIKAN}  # the unit's steps; the others are the TPI's


def _tanggal(waktu):
    return timezone.localtime(waktu).date()


def kumpulkan(hari):
    """{user: [(key, date the key is for, line)]} of the notices due on `hari`."""
    off = penerima_menolak()
    peserta = list(PesertaEvaluasi.objects.filter(unit__is_active=True)
                   .select_related("putaran", "unit")
                   .prefetch_related("perpanjangan", "penugasan__user"))
    unit_ids = {p.unit_id for p in peserta}
    tim = defaultdict(list)  # unit id -> the Sekretaris and members who get the unit's notices
    sek = defaultdict(list)  # unit id -> its Sekretaris
    for k in (Keanggotaan.objects.filter(unit_id__in=unit_ids, user__is_active=True,
                                         peran__in=[Peran.SEKRETARIS, Peran.ANGGOTA])
              .exclude(user__email="").select_related("user").order_by("user_id")):
        if k.user not in tim[k.unit_id]:
            tim[k.unit_id].append(k.user)
        if k.peran == Peran.SEKRETARIS:
            sek[k.unit_id].append(k.user)

    def tpi(p):
        return [t.user for t in p.penugasan.all() if t.user.is_active and t.user.email]

    terbuka = defaultdict(lambda: defaultdict(int))  # peserta -> status -> count
    for row in (Pengembalian.objects.filter(peserta__in=peserta).terbuka()
                .values("peserta_id", "status")):
        terbuka[row["peserta_id"]][row["status"]] += 1

    out = defaultdict(list)

    def kirim(users, key, tanggal, baris):
        for u in users:
            if u.pk not in off:
                out[u].append((key, tanggal, baris))

    for p in peserta:
        nama = f"{p.unit.nama} ({p.putaran.nama})"
        for lg in Langkah:
            mulai, selesai = jendela.rentang(p, lg)
            if lg == Langkah.MANDIRI and p.diajukan:
                continue
            if lg == Langkah.PERBAIKAN and not terbuka[p.pk][StatusPengembalian.DIKEMBALIKAN]:
                continue  # nothing to fix: no notice
            if lg == Langkah.PEMERIKSAAN and not terbuka[p.pk][StatusPengembalian.DIPERBAIKI]:
                continue
            if lg == Langkah.EVALUASI and not p.diajukan:
                continue
            if lg in UNIT:
                siapa = sek[p.unit_id] if lg == Langkah.MANDIRI else tim[p.unit_id]
            else:
                siapa = tpi(p)
            s = date_format(selesai, "j F Y")
            if mulai == hari:
                kirim(siapa, f"eval:buka:{p.pk}:{lg.value}", hari,
                      f"- {lg.label} {nama} dibuka hari ini, sampai {s}.")
            if selesai - timedelta(days=HARI_SEBELUM_TUTUP) == hari:
                kirim(siapa, f"eval:tutup:{p.pk}:{lg.value}", hari,
                      f"- {lg.label} {nama} ditutup {HARI_SEBELUM_TUTUP} hari lagi ({s}).")

    # events of the last days not told yet (a missed day is caught up)
    sejak = hari - timedelta(days=3)
    per_peserta = {p.pk: p for p in peserta}
    for p in peserta:
        # submitted while the TPI's window was already open: its opening was not told
        diajukan = p.diajukan_pada and _tanggal(p.diajukan_pada)
        mulai, selesai = jendela.rentang(p, Langkah.EVALUASI)
        if diajukan and sejak <= diajukan <= hari and mulai < diajukan <= selesai:
            kirim(tpi(p), f"eval:diajukan:{p.pk}", diajukan,
                  f"- {p.unit.nama} mengajukan penilaian mandiri pada "
                  f"{date_format(diajukan, 'j F Y')}: {Langkah.EVALUASI.label} terbuka sampai "
                  f"{date_format(selesai, 'j F Y')}.")
    for b in (Pengembalian.objects.filter(peserta__in=peserta, dikembalikan_pada__date__gte=sejak)
              .select_related("soal")):
        p = per_peserta[b.peserta_id]
        kirim(tim[p.unit_id], f"eval:kembali:{b.pk}", _tanggal(b.dikembalikan_pada),
              f"- Soal {b.soal.kode} dikembalikan TPI ({p.unit.nama}): {b.alasan[:200]}")
    for b in (Pengembalian.objects.filter(peserta__in=peserta, diperbaiki_pada__date__gte=sejak)
              .select_related("soal")):
        p = per_peserta[b.peserta_id]
        kirim(tpi(p), f"eval:diperbaiki:{b.pk}", _tanggal(b.diperbaiki_pada),
              f"- Soal {b.soal.kode} sudah diperbaiki {p.unit.nama}: {b.catatan_perbaikan[:200]}")
    return out


def kirim_harian(hari=None):
    """Send each user one digest of their notices not sent yet; returns (mails sent, mails
    failed): a failed mail's notices stay unsent for the next run."""
    hari = hari or timezone.localdate()
    notices = kumpulkan(hari)

    def kirim_satu(user):
        with transaction.atomic():  # marked sent only with the mail (progres.pengingat)
            baris = [line for key, tanggal, line in notices[user]
                     if belum_terkirim(user, [key], tanggal)]
            if not baris:
                return 0
            body = (f"Yth. {nama_pengguna(user)},\n\nPemberitahuan evaluasi Zona Integritas "
                    f"per {date_format(hari, 'j F Y')}:\n\n" + "\n".join(baris)
                    + "\n\nBuka menu \"Evaluasi\" di aplikasi. Pemberitahuan ini dapat "
                    "dimatikan di halaman profil Anda.\n")
            send_mail(f"[Zona Integritas] Evaluasi TPI: {len(baris)} pemberitahuan", body,
                      settings.DEFAULT_FROM_EMAIL, [user.email])
            return 1

    return kirim_per_pengguna(list(notices), kirim_satu)
