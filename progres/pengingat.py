"""The mail machinery of the daily reminders, shared by every digest (the plan's
reminders, the TPI round's notices): who may receive them, and "sent once"."""

import contextlib
import logging
import smtplib

from django.db import IntegrityError, transaction

from organisasi.models import PreferensiPengguna

from .models import PengingatTerkirim

log = logging.getLogger(__name__)

# what a mail server that refuses or cannot be reached raises
GAGAL_KIRIM = (smtplib.SMTPException, OSError)


def penerima_menolak():
    """Ids of the users who turned reminders off on their profile page."""
    return set(PreferensiPengguna.objects.filter(terima_pengingat=False)
               .values_list("user_id", flat=True))


def belum_terkirim(user, kunci, tanggal):
    """The keys not yet sent to `user` for `tanggal`, which are marked sent. A key meant to
    go once ever (an event) is given the event's date; a daily one, the day's."""
    baru = []
    for k in kunci:
        try:
            with transaction.atomic():
                PengingatTerkirim.objects.create(user=user, kunci=k[:100], tanggal=tanggal)
            baru.append(k)
        except IntegrityError:
            continue
    return baru


@contextlib.contextmanager
def tandai_bila_terkirim(user, kunci, tanggal):
    """`belum_terkirim` around a block that sends the mail: when the block fails (the mail
    server refused it), the keys stay unsent and the next run tries them again."""
    with transaction.atomic():
        yield belum_terkirim(user, kunci, tanggal)


def kirim_per_pengguna(users, kirim):
    """`kirim(user)` -> mails sent, for each user; a user whose mail fails is logged and
    skipped (the others still get theirs). Returns (sent, failed)."""
    sent = failed = 0
    for user in users:
        try:
            sent += kirim(user)
        except GAGAL_KIRIM as exc:
            failed += 1
            log.warning("E-mail ke %s gagal dikirim: %s", user.email, exc)
    return sent, failed
