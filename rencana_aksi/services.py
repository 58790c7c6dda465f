"""Workflows that write the plan: import, copy, edits with conflict checks, PIC assignment."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from .berkas_rencana import periksa_rencana
from .bulan import baca_target_waktu
from .models import (
    Area,
    AreaRencana,
    Bagian,
    BuktiDukung,
    Indikator,
    Isian,
    Komponen,
    RencanaAksi,
    RencanaKerja,
    TargetBulan,
    UnitKerja,
)


class KonflikVersi(ValidationError):
    """Someone saved the same item after this user loaded it."""


def _kode_master():
    return set(Bagian.objects.values_list("kode", flat=True)), list(
        Area.objects.values_list("kode", flat=True)
    )


def periksa_data_rencana(data):
    kode_bagian, kode_area = _kode_master()
    return periksa_rencana(data, kode_bagian, kode_area)


@transaction.atomic
def import_rencana_kerja(*, data, unit, tahun, ganti=False):
    """Create the plan of `unit` for `tahun` from a parsed plan file. All or nothing:
    any problem raises ValidationError and leaves the database unchanged."""
    clean = periksa_data_rencana(data)
    existing = RencanaKerja.objects.filter(unit=unit, tahun=tahun).first()
    if existing:
        if not ganti:
            raise ValidationError(
                _("Rencana kerja %(unit)s tahun %(tahun)s sudah ada. Gunakan opsi ganti untuk "
                  "menggantinya.") % {"unit": unit.kode, "tahun": tahun}
            )
        existing.delete()
    rk = RencanaKerja.objects.create(
        unit=unit,
        tahun=tahun,
        pendahuluan=clean["pendahuluan"],
        mekanisme_penetapan_tim=clean["mekanisme_penetapan_tim"],
        target_prioritas=clean["target_prioritas"],
    )
    _buat_pohon(rk, clean["bagian"])
    return rk


def _buat_pohon(rk, bagian_list):
    bagian = {b.kode: b for b in Bagian.objects.all()}
    area = {a.kode: a for a in Area.objects.all()}
    targets = []
    for b in bagian_list:
        for a in b["area"]:
            ar = AreaRencana.objects.create(
                rencana_kerja=rk, bagian=bagian[b["kode"]], area=area[a["kode"]], judul=a["nama"]
            )
            for k in a["komponen"]:
                kom = Komponen.objects.create(area_rencana=ar, nomor=k["nomor"], nama=k["nama"])
                for ii, ind in enumerate(k["indikator"], start=1):
                    indikator = Indikator.objects.create(komponen=kom, urutan=ii, teks=ind["teks"])
                    last_ra = None
                    for ri, ra in enumerate(ind["rencana_aksi"], start=1):
                        hasil = baca_target_waktu(ra["target_waktu"], rk.tahun)
                        bulan = hasil.bulan_date
                        manual = False
                        if ra["bulan"] is not None and sorted(ra["bulan"]) != bulan:
                            bulan, manual = sorted(ra["bulan"]), True
                        per_kejadian = hasil.per_kejadian
                        if ra["per_kejadian"] is not None and ra["per_kejadian"] != per_kejadian:
                            per_kejadian, manual = ra["per_kejadian"], True
                        last_ra = RencanaAksi.objects.create(
                            indikator=indikator,
                            urutan=ri,
                            teks=ra["teks"],
                            target_waktu=ra["target_waktu"],
                            per_kejadian=per_kejadian,
                            target_terbaca=hasil.terbaca,
                            bulan_manual=manual,
                        )
                        targets += [TargetBulan(rencana_aksi=last_ra, bulan=d) for d in bulan]
                        BuktiDukung.objects.bulk_create(
                            BuktiDukung(rencana_aksi=last_ra, urutan=i, nama=nama)
                            for i, nama in enumerate(ra["bukti_dukung"], start=1)
                        )
                    bd_urutan = 100
                    for si, s in enumerate(ind["isian"], start=1):
                        isian = Isian.objects.create(
                            indikator=indikator, urutan=si, label=s["label"], jenis=s["jenis"],
                            keterangan=s["keterangan"],
                        )
                        if s["bukti_dukung"]:
                            if last_ra is None:
                                raise ValidationError(
                                    _("Isian '%s' memiliki bukti dukung tetapi indikatornya tidak "
                                      "memiliki rencana aksi.") % s["label"]
                                )
                            for nama in s["bukti_dukung"]:
                                bd_urutan += 1
                                BuktiDukung.objects.create(
                                    rencana_aksi=last_ra, isian=isian, urutan=bd_urutan, nama=nama
                                )
    TargetBulan.objects.bulk_create(targets)


@transaction.atomic
def salin_rencana_kerja(*, sumber, unit, tahun, ganti=False):
    """Copy a plan (structure, texts, target months) to another unit and/or year.
    Month targets move by the difference in years; PICs are not copied."""
    from .selectors import rencana_kerja_sebagai_data

    data = rencana_kerja_sebagai_data(sumber)
    geser = tahun - sumber.tahun
    for b in data["bagian"]:
        for a in b["area"]:
            for k in a["komponen"]:
                for ind in k["indikator"]:
                    for ra in ind["rencana_aksi"]:
                        ra["bulan"] = [
                            f"{int(v[:4]) + geser:04d}{v[4:]}" for v in ra["bulan"]
                        ]
                        if geser:
                            ra["target_waktu"] = _geser_tahun_teks(ra["target_waktu"], geser)
    return import_rencana_kerja(data=data, unit=unit, tahun=tahun, ganti=ganti)


def _geser_tahun_teks(text, geser):
    import re

    return re.sub(r"\b(20\d\d)\b", lambda m: str(int(m.group(1)) + geser), text)


def _simpan_dengan_versi(model, obj, versi, **fields):
    """Conditional UPDATE: only when the row still has the version the user loaded."""
    updated = model.objects.filter(pk=obj.pk, versi=versi).update(versi=F("versi") + 1, **fields)
    if not updated:
        raise KonflikVersi(
            _("Data ini sudah diubah oleh pengguna lain sejak Anda membukanya. Perubahan Anda "
              "belum disimpan: muat ulang halaman untuk melihat versi terbaru, lalu ulangi.")
        )
    obj.refresh_from_db()
    # update() bypasses the signals the audit history listens to: save once more.
    obj.save()
    return obj


@transaction.atomic
def ubah_rencana_aksi(*, rencana_aksi, versi, teks, target_waktu, pic, bulan=None,
                      per_kejadian=None):
    """Edit one action. `bulan` (list of dates) and `per_kejadian` set by hand override the
    parser; otherwise the months are read again from `target_waktu`."""
    tahun = rencana_aksi.indikator.komponen.area_rencana.rencana_kerja.tahun
    hasil = baca_target_waktu(target_waktu, tahun)
    fields = {"teks": teks, "target_waktu": target_waktu, "pic": pic,
              "target_terbaca": hasil.terbaca}
    months = hasil.bulan_date
    fields["per_kejadian"] = hasil.per_kejadian
    fields["bulan_manual"] = False
    if bulan is not None and (sorted(bulan) != months or not hasil.terbaca):
        months = sorted(bulan)
        fields["bulan_manual"] = True
    if per_kejadian is not None and (per_kejadian != hasil.per_kejadian or not hasil.terbaca):
        fields["per_kejadian"] = per_kejadian
        fields["bulan_manual"] = True
    _simpan_dengan_versi(RencanaAksi, rencana_aksi, versi, **fields)
    _atur_bulan(rencana_aksi, months)
    return rencana_aksi


def _atur_bulan(rencana_aksi, months):
    current = set(rencana_aksi.target_bulan.values_list("bulan", flat=True))
    wanted = set(months)
    rencana_aksi.target_bulan.filter(bulan__in=current - wanted).delete()
    TargetBulan.objects.bulk_create(
        TargetBulan(rencana_aksi=rencana_aksi, bulan=d) for d in sorted(wanted - current)
    )


@transaction.atomic
def ubah_komponen(*, komponen, versi, nama, pic):
    return _simpan_dengan_versi(Komponen, komponen, versi, nama=nama, pic=pic)


@transaction.atomic
def atur_pic_rencana_aksi(*, rencana_aksi, versi, pic):
    return _simpan_dengan_versi(RencanaAksi, rencana_aksi, versi, pic=pic)


def dapatkan_atau_buat_unit(*, kode, nama=None):
    unit = UnitKerja.objects.filter(kode=kode).first()
    if unit:
        return unit
    if not nama:
        raise ValidationError(
            _("Unit kerja '%s' tidak ditemukan dan berkas tidak menyebut namanya.") % kode
        )
    return UnitKerja.objects.create(kode=kode, nama=nama)
