"""The mail machinery of the daily reminders, shared by every digest (the plan's
reminders, the TPI round's notices): who may receive them, and "sent once"."""

from django.db import IntegrityError, transaction

from organisasi.models import PreferensiPengguna

from .models import PengingatTerkirim


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
