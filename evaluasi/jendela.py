"""When a step of a round is open: the one place for it.

A window is a pair of dates, both days included, in Asia/Jakarta: a step is open from
00:00 of `mulai` to 24:00 of `selesai` (Asia/Jakarta), whatever the server's or the
user's time zone. The Admin may move one step's end for one unit (PerpanjanganJendela)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from .models import Langkah

ZONA = ZoneInfo("Asia/Jakarta")

BELUM, TERBUKA, LEWAT = "belum", "terbuka", "lewat"


def perpanjangan(peserta, langkah):
    """The unit's extension of a step, or None (reads a prefetched `perpanjangan`)."""
    return next((p for p in peserta.perpanjangan.all() if p.langkah == langkah), None)


def rentang(peserta, langkah):
    """(mulai, selesai) dates of a step for this unit, its extension applied."""
    mulai, selesai = peserta.putaran.jendela(langkah)
    p = perpanjangan(peserta, langkah)
    return mulai, (p.selesai if p is not None else selesai)


def batas(mulai, selesai):
    """The aware [start, end) of an inclusive date window in Asia/Jakarta."""
    return (datetime.combine(mulai, time.min, tzinfo=ZONA),
            datetime.combine(selesai + timedelta(days=1), time.min, tzinfo=ZONA))


def keadaan(mulai, selesai, saat=None):
    """BELUM, TERBUKA or LEWAT of a window at `saat` (now by default)."""
    saat = saat or timezone.now()
    awal, akhir = batas(mulai, selesai)
    if saat < awal:
        return BELUM
    return TERBUKA if saat < akhir else LEWAT


def keadaan_langkah(peserta, langkah, saat=None):
    return keadaan(*rentang(peserta, langkah), saat)


def langkah_terbuka(peserta, langkah, saat=None):
    """Whether the unit's step is open at `saat` (now by default)."""
    return keadaan_langkah(peserta, langkah, saat) == TERBUKA


def langkah_kini(peserta, saat=None):
    """The open steps of the unit at `saat`, in order."""
    return [lg for lg in Langkah if langkah_terbuka(peserta, lg, saat)]


def jadwal(peserta, saat=None):
    """[{langkah, label, mulai, selesai, diperpanjang, keadaan}] of the unit's four steps."""
    out = []
    for lg in Langkah:
        mulai, selesai = rentang(peserta, lg)
        out.append({"langkah": lg.value, "label": lg.label, "mulai": mulai, "selesai": selesai,
                    "diperpanjang": perpanjangan(peserta, lg) is not None,
                    "keadaan": keadaan(mulai, selesai, saat)})
    return out
