"""Workflows of the round: set its units and their TPI, copy last year's round, extend a
window for one unit, the unit's submission with its frozen copy, and the send-back loop
per question (sent back, fixed, closed or sent back again)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from lke.selectors import lke_tahun
from organisasi.models import Keanggotaan, Peran

from . import jendela
from . import selectors as sel
from .models import (
    Langkah,
    Pengembalian,
    PenugasanTPI,
    PeranDariPenugasan,
    PerpanjanganJendela,
    PesertaEvaluasi,
    PutaranEvaluasi,
    SalinanJawaban,
    StatusPengembalian,
)


@transaction.atomic
def atur_peserta(*, putaran, units):
    """Make `units` the round's units. A unit that has submitted stays (ValidationError)."""
    ingin = {u.pk for u in units}
    keluar = putaran.peserta.exclude(unit_id__in=ingin)
    sudah = [p.unit.nama for p in keluar.filter(diajukan_pada__isnull=False).select_related("unit")]
    if sudah:
        raise ValidationError(_("Unit yang sudah mengajukan penilaian mandiri tidak dapat "
                                "dikeluarkan: %(u)s.") % {"u": ", ".join(sudah)})
    for p in keluar:
        tpi = [t.user for t in p.penugasan.all()]
        p.delete()  # one by one: the history records each
        for u in tpi:
            _cabut_peran_tpi(u, p.unit)
    ada = set(putaran.peserta.values_list("unit_id", flat=True))
    for u in units:
        if u.pk not in ada:
            PesertaEvaluasi.objects.create(putaran=putaran, unit=u)


@transaction.atomic
def atur_penugasan(*, peserta, tpi, ketua):
    """Assign the TPI users `tpi` to the unit, `ketua` leading. A TPI without the TPI role in
    the unit gets it, so that it can give its answers in the unit's LKE."""
    if tpi and ketua not in tpi:
        raise ValidationError(_("Ketua harus salah satu TPI yang ditugaskan."))
    ids = {u.pk for u in tpi}
    for p in peserta.penugasan.exclude(user_id__in=ids).select_related("user"):
        p.delete()
        _cabut_peran_tpi(p.user, peserta.unit)
    # the old ketua first gives way: one ketua per unit
    for p in peserta.penugasan.filter(ketua=True).exclude(user=ketua):
        p.ketua = False
        p.save()
    ada = {p.user_id: p for p in peserta.penugasan.all()}
    for u in tpi:
        p = ada.get(u.pk) or PenugasanTPI(peserta=peserta, user=u)
        if p.pk is None or p.ketua != (u == ketua):
            p.ketua = u == ketua
            p.save()
        _beri_peran_tpi(u, peserta.unit)


def _beri_peran_tpi(user, unit):
    """An assigned TPI holds the TPI role in the unit (to give its answers in the LKE); a
    role granted here is remembered, so that it goes with the last assignment."""
    k, dibuat = Keanggotaan.objects.get_or_create(user=user, unit=unit, peran=Peran.TPI)
    if dibuat:
        PeranDariPenugasan.objects.create(keanggotaan=k)


def _cabut_peran_tpi(user, unit):
    """After an assignment ended: the TPI role an assignment granted goes when the user is
    assigned to the unit in no round any more; a role the Admin gave stays."""
    if PenugasanTPI.objects.filter(user=user, peserta__unit=unit).exists():
        return
    for d in PeranDariPenugasan.objects.filter(
            keanggotaan__user=user, keanggotaan__unit=unit,
            keanggotaan__peran=Peran.TPI).select_related("keanggotaan"):
        d.keanggotaan.delete()  # the membership's history records who lost which role


def _tahun_depan(d):
    try:
        return d.replace(year=d.year + 1)
    except ValueError:  # 29 February
        return date(d.year + 1, 2, 28)


@transaction.atomic
def salin_putaran(*, tahun, oleh):
    """The round of `tahun` as a copy of the year before's: the same active units and TPI
    assignments, every window one year later. No submission or extension is copied."""
    asal = PutaranEvaluasi.objects.filter(tahun=tahun - 1).first()
    if asal is None:
        raise ValidationError(_("Belum ada putaran evaluasi tahun %(t)s untuk disalin.")
                              % {"t": tahun - 1})
    if PutaranEvaluasi.objects.filter(tahun=tahun).exists():
        raise ValidationError(_("Putaran evaluasi tahun %(t)s sudah ada.") % {"t": tahun})
    baru = PutaranEvaluasi(tahun=tahun, nama=asal.nama.replace(str(asal.tahun), str(tahun)),
                           dibuat_oleh=oleh)
    for lg in Langkah:
        mulai, selesai = asal.jendela(lg)
        setattr(baru, f"{lg}_mulai", _tahun_depan(mulai))
        setattr(baru, f"{lg}_selesai", _tahun_depan(selesai))
    baru.full_clean()
    baru.save()
    for p in asal.peserta.filter(unit__is_active=True).prefetch_related("penugasan__user"):
        pb = PesertaEvaluasi.objects.create(putaran=baru, unit=p.unit)
        for t in p.penugasan.all():
            if t.user.is_active:
                PenugasanTPI.objects.create(peserta=pb, user=t.user, ketua=t.ketua)
                _beri_peran_tpi(t.user, p.unit)
    return baru


@transaction.atomic
def perpanjang(*, peserta, langkah, selesai, alasan, oleh):
    """Move the end of one step for one unit to `selesai` (a later day than the round's)."""
    mulai, akhir = peserta.putaran.jendela(langkah)
    if selesai > peserta.putaran.batas_tanggal()[1]:
        raise ValidationError(peserta.putaran.pesan_batas())
    if selesai <= akhir:
        raise ValidationError(_("Tanggal selesai baru harus sesudah %(d)s, akhir jendela "
                                "putaran.") % {"d": akhir.strftime("%d-%m-%Y")})
    p = PerpanjanganJendela.objects.filter(peserta=peserta, langkah=langkah).first()
    p = p or PerpanjanganJendela(peserta=peserta, langkah=langkah)
    p.selesai, p.alasan, p.dibuat_oleh = selesai, alasan, oleh
    p.save()
    return p


@transaction.atomic
def hapus_perpanjangan(*, peserta, langkah, alasan, oleh):
    """Remove the unit's extension of a step (logged, with the reason): the step's window
    is the round's again."""
    p = PerpanjanganJendela.objects.filter(peserta=peserta, langkah=langkah).first()
    if p is None:
        raise ValidationError(_("Langkah ini tidak sedang diperpanjang untuk unit ini."))
    p.alasan, p._history_user = alasan, oleh
    p.delete()


@transaction.atomic
def ajukan_penilaian(*, peserta, user, saat=None):
    """The unit submits its self-assessment: its unit-side answers of the round's year are
    copied into SalinanJawaban, the frozen copy the TPI reads. Once per unit, within the
    self-assessment window."""
    peserta = (PesertaEvaluasi.objects.select_for_update().select_related("putaran", "unit")
               .get(pk=peserta.pk))
    if peserta.diajukan_pada is not None:
        raise ValidationError(_("Penilaian mandiri unit ini sudah diajukan."))
    if not jendela.langkah_terbuka(peserta, Langkah.MANDIRI, saat):
        raise ValidationError(_("Jendela penilaian mandiri tidak sedang terbuka."))
    lke = lke_tahun(peserta.putaran.tahun)
    if lke is None:
        raise ValidationError(_("LKE tahun %(t)s belum disiapkan.") % {"t": peserta.putaran.tahun})
    areas, nilai = sel.nilai_unit(peserta, lke)
    bulk_create_with_history(
        [SalinanJawaban(peserta=peserta, **b) for b in sel.baris_salinan(areas, nilai)],
        SalinanJawaban, default_user=user)
    peserta.diajukan_pada, peserta.diajukan_oleh = saat or timezone.now(), user
    peserta.save()
    return peserta


def _periksa_jendela(peserta, langkah, saat, pesan):
    if not jendela.langkah_terbuka(peserta, langkah, saat):
        raise ValidationError(pesan)


def _kunci(pengembalian):
    """The row, locked, with its unit's place in the round."""
    return (Pengembalian.objects.select_for_update()
            .select_related("peserta__putaran", "peserta__unit", "soal").get(pk=pengembalian.pk))


@transaction.atomic
def kembalikan_soal(*, peserta, soal, alasan, oleh, saat=None):
    """The TPI sends a question back to the unit, with a reason, during its evaluation
    window; a question has at most one open send-back."""
    peserta = (PesertaEvaluasi.objects.select_for_update().select_related("putaran", "unit")
               .get(pk=peserta.pk))
    if not peserta.diajukan:
        raise ValidationError(_("Unit belum mengajukan penilaian mandiri."))
    _periksa_jendela(peserta, Langkah.EVALUASI, saat,
                     _("Jendela evaluasi TPI tidak sedang terbuka: soal tidak dapat "
                       "dikembalikan."))
    if soal.komponen.area.lke.tahun != peserta.putaran.tahun:
        raise ValidationError(_("Soal ini bukan soal LKE tahun %(t)s.")
                              % {"t": peserta.putaran.tahun})
    ada = list(Pengembalian.objects.filter(peserta=peserta, soal=soal))
    if any(p.terbuka for p in ada):
        raise ValidationError(_("Soal %(k)s sudah dikembalikan dan belum ditutup.")
                              % {"k": soal.kode})
    return Pengembalian.objects.create(
        peserta=peserta, soal=soal, ke=max((p.ke for p in ada), default=0) + 1, alasan=alasan,
        dikembalikan_oleh=oleh, dikembalikan_pada=saat or timezone.now())


def _segarkan_salinan(peserta, soal, user):
    """Copy the unit's current answer to `soal` into the frozen copy (only this row)."""
    lke = lke_tahun(peserta.putaran.tahun)
    areas, nilai = sel.nilai_unit(peserta, lke)
    baris = next(b for b in sel.baris_salinan(areas, nilai) if b["soal"].pk == soal.pk)
    s = (SalinanJawaban.objects.filter(peserta=peserta, soal=soal).first()
         or SalinanJawaban(peserta=peserta, soal=soal))
    for k, v in baris.items():
        setattr(s, k, v)
    s._history_user = user
    s.save()
    return s


@transaction.atomic
def tandai_diperbaiki(*, pengembalian, catatan, oleh, saat=None):
    """The unit marks a sent-back question fixed, with a note, in its revision window (or
    the final check, for a question sent back again there); the
    question's frozen copy is refreshed from the unit's current answer (this row only)."""
    p = _kunci(pengembalian)
    if p.status != StatusPengembalian.DIKEMBALIKAN:
        raise ValidationError(_("Soal ini tidak sedang menunggu perbaikan unit."))
    if not jendela.bisa_diperbaiki(p.peserta, saat):
        raise ValidationError(_("Jendela perbaikan unit tidak sedang terbuka: perbaikan tidak "
                                "dapat ditandai."))
    p.status, p.catatan_perbaikan = StatusPengembalian.DIPERBAIKI, catatan
    p.diperbaiki_oleh, p.diperbaiki_pada = oleh, saat or timezone.now()
    p.save()
    _segarkan_salinan(p.peserta, p.soal, oleh)
    return p


def _periksa_ulang(pengembalian, saat):
    p = _kunci(pengembalian)
    if p.status != StatusPengembalian.DIPERBAIKI:
        raise ValidationError(_("Soal ini belum ditandai sudah diperbaiki oleh unit."))
    _periksa_jendela(p.peserta, Langkah.PEMERIKSAAN, saat,
                     _("Jendela pemeriksaan akhir TPI tidak sedang terbuka."))
    return p


@transaction.atomic
def tutup_pengembalian(*, pengembalian, oleh, saat=None):
    """The TPI accepts the fix in its final-check window."""
    p = _periksa_ulang(pengembalian, saat)
    p.status, p.diperiksa_oleh, p.diperiksa_pada = (StatusPengembalian.DITUTUP, oleh,
                                                    saat or timezone.now())
    p.save()
    return p


@transaction.atomic
def kembalikan_lagi(*, pengembalian, alasan, oleh, saat=None):
    """The TPI does not accept the fix: this round ends and a new one opens with the new
    reason (the unit fixes it again while the final check is open: jendela.bisa_diperbaiki)."""
    p = _periksa_ulang(pengembalian, saat)
    saat = saat or timezone.now()
    p.status, p.diperiksa_oleh, p.diperiksa_pada = (StatusPengembalian.DIKEMBALIKAN_LAGI, oleh,
                                                    saat)
    p.save()
    return Pengembalian.objects.create(peserta=p.peserta, soal=p.soal, ke=p.ke + 1,
                                       alasan=alasan, dikembalikan_oleh=oleh,
                                       dikembalikan_pada=saat)
