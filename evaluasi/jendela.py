"""When a step of a round is open: the one place for it.

A window is a pair of dates, both days included, in Asia/Jakarta: a step is open from
00:00 of `mulai` to 24:00 of `selesai` (Asia/Jakarta), whatever the server's or the
user's time zone. The Admin may move one step's end for one unit (PerpanjanganJendela)."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from organisasi import permissions

from .models import Langkah, PesertaEvaluasi, StatusPengembalian
from .selectors import linimasa

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


def _rentang_teks(peserta, *langkah):
    bagian = []
    for lg in langkah:
        mulai, selesai = rentang(peserta, lg)
        bagian.append(_("%(l)s %(m)s–%(s)s") % {
            "l": lg.label, "m": date_format(mulai, "j M Y"), "s": date_format(selesai, "j M Y")})
    return "; ".join(bagian)


def bisa_diperbaiki(peserta, saat=None):
    """Whether the unit may fix its sent-back questions: in its revision window, and in
    the TPI's final check (a question sent back again is fixed there)."""
    return (langkah_terbuka(peserta, Langkah.PERBAIKAN, saat)
            or langkah_terbuka(peserta, Langkah.PEMERIKSAAN, saat))


def aturan_lke(unit, tahun, saat=None, user=None):
    """The round's rule for the LKE page (registered with lke.jendela): the unit writes its
    answers until it submits, while its self-assessment window has not passed; after that
    only the questions the TPI sent back, while they wait for the fix (the TPI reads a
    frozen copy: nothing else may move under it). The TPI side is written by the TPI
    assigned to the unit, in its evaluation and final-check windows. A unit outside the
    year's round is not restricted."""
    peserta = (PesertaEvaluasi.objects.filter(unit=unit, putaran__tahun=tahun)
               .select_related("putaran").prefetch_related("perpanjangan").first())
    if peserta is None:
        return {}
    out = {}
    if peserta.diajukan or keadaan_langkah(peserta, Langkah.MANDIRI, saat) == LEWAT:
        sebab = (_("Penilaian mandiri sudah diajukan.") if peserta.diajukan
                 else _("Jendela penilaian mandiri sudah ditutup."))
        if bisa_diperbaiki(peserta, saat):
            out["unit"] = _("%(s)s Unit hanya dapat mengubah jawaban soal yang dikembalikan "
                            "TPI, sampai ditandai sudah diperbaiki.") % {"s": sebab}
            out["kecuali"] = set(peserta.pengembalian.filter(
                status=StatusPengembalian.DIKEMBALIKAN).values_list("soal_id", flat=True))
        elif keadaan_langkah(peserta, Langkah.PERBAIKAN, saat) == BELUM:
            out["unit"] = _("%(s)s Jawaban unit sedang tertutup: soal yang dikembalikan TPI "
                            "dapat diperbaiki pada jendela %(j)s.") % {
                "s": sebab, "j": _rentang_teks(peserta, Langkah.PERBAIKAN)}
        elif keadaan_langkah(peserta, Langkah.PEMERIKSAAN, saat) == BELUM:
            out["unit"] = _("%(s)s Jendela perbaikan unit sudah lewat; soal yang dikembalikan "
                            "lagi dapat diperbaiki selama %(j)s.") % {
                "s": sebab, "j": _rentang_teks(peserta, Langkah.PEMERIKSAAN)}
        else:
            out["unit"] = _("Putaran evaluasi %(t)s sudah selesai: jawaban unit tidak dapat "
                            "diubah lagi.") % {"t": tahun}
    if keadaan_langkah(peserta, Langkah.PEMERIKSAAN, saat) == LEWAT:
        out["tpi"] = _("Jendela TPI sudah lewat (%(j)s): jawaban TPI tidak dapat diubah "
                       "lagi.") % {"j": _rentang_teks(peserta, Langkah.EVALUASI,
                                                      Langkah.PEMERIKSAAN)}
    elif not (langkah_terbuka(peserta, Langkah.EVALUASI, saat)
              or langkah_terbuka(peserta, Langkah.PEMERIKSAAN, saat)):
        out["tpi"] = _("Jawaban TPI sedang tertutup: diisi pada jendela %(j)s.") % {
            "j": _rentang_teks(peserta, Langkah.EVALUASI, Langkah.PEMERIKSAAN)}
    elif (user is not None and permissions.can_assess_lke(user, unit)
          and not peserta.penugasan.filter(user=user).exists()):
        out["tpi"] = _("Anda tidak ditugaskan sebagai TPI unit ini pada putaran evaluasi "
                       "%(t)s: jawaban TPI diisi oleh TPI yang ditugaskan.") % {"t": tahun}
    return out


@dataclass
class TandaSoal:
    """A question's send-back state on its LKE row: a label, its steps, a link."""

    label: str
    status: str
    langkah: list
    url: str


def penanda_lke(unit, tahun):
    """{soal pk: [TandaSoal]} of the questions the TPI sent back to the unit in the year's
    round (registered with lke.jendela): the latest round's state and every step."""
    peserta = PesertaEvaluasi.objects.filter(unit=unit, putaran__tahun=tahun).first()
    if peserta is None:
        return {}
    rows = {}
    for p in peserta.pengembalian.select_related("dikembalikan_oleh", "diperbaiki_oleh",
                                                 "diperiksa_oleh").order_by("soal_id", "ke"):
        rows.setdefault(p.soal_id, []).append(p)
    url = reverse("evaluasi:dikembalikan", args=[tahun, unit.kode])
    return {pk: [TandaSoal(_("Dikembalikan TPI"), r[-1].get_status_display(), linimasa(r), url)]
            for pk, r in rows.items()}
