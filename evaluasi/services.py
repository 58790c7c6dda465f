"""Workflows of the round: set its units and their TPI, copy last year's round, extend a
window for one unit, and the unit's submission with its frozen copy."""

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
    PenugasanTPI,
    PerpanjanganJendela,
    PesertaEvaluasi,
    PutaranEvaluasi,
    SalinanJawaban,
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
        p.delete()  # one by one: the history records each
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
    for p in peserta.penugasan.exclude(user_id__in=ids):
        p.delete()
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
        Keanggotaan.objects.get_or_create(user=u, unit=peserta.unit, peran=Peran.TPI)


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
    return baru


@transaction.atomic
def perpanjang(*, peserta, langkah, selesai, alasan, oleh):
    """Move the end of one step for one unit to `selesai` (a later day than the round's)."""
    mulai, akhir = peserta.putaran.jendela(langkah)
    if selesai <= akhir:
        raise ValidationError(_("Tanggal selesai baru harus sesudah %(d)s, akhir jendela "
                                "putaran.") % {"d": akhir.strftime("%d-%m-%Y")})
    p = PerpanjanganJendela.objects.filter(peserta=peserta, langkah=langkah).first()
    p = p or PerpanjanganJendela(peserta=peserta, langkah=langkah)
    p.selesai, p.alasan, p.dibuat_oleh = selesai, alasan, oleh
    p.save()
    return p


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
