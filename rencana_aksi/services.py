"""Workflows that write the plan: import, copy, edits with conflict checks, PIC assignment."""

import re
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from organisasi.models import UnitKerja, nama_pengguna
from organisasi.permissions import anggota_tim

from .berkas_rencana import periksa_rencana
from .bulan import baca_target_waktu
from .models import (
    JALUR_RENCANA,
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
    tandai_baris,
    tandai_berubah,
)
from .selectors import rencana_kerja_sebagai_data
from .signals import rencana_dibuat

TAHUN_RENCANA = (2000, 2100)


@contextmanager
def _dilindungi(pesan):
    """Rows with uploaded evidence are protected (on_delete=PROTECT): say so in words."""
    try:
        with transaction.atomic():
            yield
    except ProtectedError as exc:
        raise ValidationError(pesan) from exc


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
    if not TAHUN_RENCANA[0] <= tahun <= TAHUN_RENCANA[1]:
        raise ValidationError(_("Tahun %(tahun)s di luar rentang %(a)s-%(b)s.")
                              % {"tahun": tahun, "a": TAHUN_RENCANA[0], "b": TAHUN_RENCANA[1]})
    clean = periksa_data_rencana(data)
    # Lock the unit row: two imports into the same unit and year wait for each other.
    UnitKerja.objects.select_for_update().filter(pk=unit.pk).first()
    existing = RencanaKerja.objects.filter(unit=unit, tahun=tahun).first()
    if existing:
        if not ganti:
            raise ValidationError(
                _("Rencana kerja %(unit)s tahun %(tahun)s sudah ada. Centang “Ganti” (perintah: "
                  "--ganti) untuk menggantinya.") % {"unit": unit.nama, "tahun": tahun}
            )
        with _dilindungi(_("Rencana kerja %(unit)s tahun %(tahun)s sudah memiliki bukti dukung "
                           "yang diunggah dan tidak dapat diganti. Ubah rencananya di halaman "
                           "rencana kerja.") % {"unit": unit.nama, "tahun": tahun}):
            existing.delete()
    rk = RencanaKerja.objects.create(
        unit=unit,
        tahun=tahun,
        pendahuluan=clean["pendahuluan"],
        mekanisme_penetapan_tim=clean["mekanisme_penetapan_tim"],
        target_prioritas=clean["target_prioritas"],
    )
    rk.peringatan = _buat_pohon(rk, clean["bagian"])
    rencana_dibuat.send(sender=RencanaKerja, rencana_kerja=rk)
    return rk


def _buat_pohon(rk, bagian_list):
    """Write the tree; returns warnings (PICs that are not members of the unit)."""

    bagian = {b.kode: b for b in Bagian.objects.all()}
    area = {a.kode: a for a in Area.objects.all()}
    members = {u.username: u for u in anggota_tim(rk.unit)}
    unknown = set()

    def pic(username):
        if username and username not in members:
            unknown.add(username)
        return members.get(username)

    targets = []
    for b in bagian_list:
        for a in b["area"]:
            ar = AreaRencana.objects.create(
                rencana_kerja=rk, bagian=bagian[b["kode"]], area=area[a["kode"]], judul=a["nama"]
            )
            for k in a["komponen"]:
                kom = Komponen.objects.create(area_rencana=ar, nomor=k["nomor"], nama=k["nama"],
                                              pic=pic(k["pic"]))
                for ii, ind in enumerate(k["indikator"], start=1):
                    indikator = Indikator.objects.create(komponen=kom, urutan=ii, teks=ind["teks"])
                    last_ra = None
                    for ri, ra in enumerate(ind["rencana_aksi"], start=1):
                        fields, bulan = _bidang_target(ra["target_waktu"], rk.tahun, ra["bulan"],
                                                       ra["per_kejadian"])
                        last_ra = RencanaAksi.objects.create(
                            indikator=indikator, urutan=ri, teks=ra["teks"],
                            target_waktu=ra["target_waktu"], pic=pic(ra["pic"]), **fields,
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
    return [
        _("PIC '%s' bukan anggota Tim ZI unit ini; penanggung jawabnya dikosongkan.") % name
        for name in sorted(unknown)
    ]


@transaction.atomic
def salin_rencana_kerja(*, sumber, unit, tahun, ganti=False):
    """Copy a plan (structure, texts, target months) to another unit and/or year. Target
    texts and months move by the difference in years; in the other texts only the source
    plan's own year is replaced ("rencana aksi tahun 2024" -> 2025; "Nomor 90 Tahun 2021"
    stays). The pendahuluan is copied as it is; PICs are not copied."""

    data = rencana_kerja_sebagai_data(sumber)
    geser = tahun - sumber.tahun

    def tahun_plan(text):
        return re.sub(rf"\b{sumber.tahun}\b", str(tahun), text) if geser else text

    for b in data["bagian"]:
        for a in b["area"]:
            for k in a["komponen"]:
                k["pic"] = None
                k["nama"] = tahun_plan(k["nama"])
                for ind in k["indikator"]:
                    ind["teks"] = tahun_plan(ind["teks"])
                    for ra in ind["rencana_aksi"]:
                        ra["pic"] = None
                        ra["teks"] = tahun_plan(ra["teks"])
                        ra["bukti_dukung"] = [tahun_plan(bd) for bd in ra["bukti_dukung"]]
                        ra["bulan"] = [f"{int(v[:4]) + geser:04d}{v[4:]}" for v in ra["bulan"]]
                        if geser:
                            ra["target_waktu"] = re.sub(
                                r"\b(19\d\d|20\d\d)\b",
                                lambda m: str(int(m.group(1)) + geser), ra["target_waktu"])
                    for isian in ind["isian"]:
                        isian["label"] = tahun_plan(isian["label"])
                        if "bukti_dukung" in isian:
                            isian["bukti_dukung"] = [tahun_plan(x) for x in isian["bukti_dukung"]]
    return import_rencana_kerja(data=data, unit=unit, tahun=tahun, ganti=ganti)


def _pesan_konflik(model, obj):
    last = model.history.filter(id=obj.pk).select_related("history_user").first()
    if last and last.history_user:
        siapa = nama_pengguna(last.history_user)
        kapan = date_format(timezone.localtime(last.history_date), "j F Y H:i")
        return _("Data ini sudah diubah oleh %(siapa)s pada %(kapan)s sejak Anda membukanya. "
                 "Perubahan Anda belum disimpan dan masih ada di formulir. Periksa versi "
                 "terbaru di bawah, lalu tekan Simpan lagi untuk menimpanya dengan isian Anda, "
                 "atau Batal.") % {"siapa": siapa, "kapan": kapan}
    return _("Data ini sudah diubah oleh pengguna lain sejak Anda membukanya. Perubahan Anda "
             "belum disimpan dan masih ada di formulir. Periksa versi terbaru di bawah, lalu "
             "tekan Simpan lagi untuk menimpanya dengan isian Anda, atau Batal.")


def simpan_dengan_versi(model, obj, versi, **fields):
    """Conditional UPDATE: only when the row still has the version the user loaded."""
    updated = model.objects.filter(pk=obj.pk, versi=versi).update(versi=F("versi") + 1, **fields)
    if not updated:
        raise KonflikVersi(_pesan_konflik(model, obj))
    obj.refresh_from_db()
    # update() bypasses the signals the audit history listens to: save once more.
    obj.save()
    if obj._meta.label in JALUR_RENCANA:  # a plan row (this also serves reports)
        tandai_baris(obj)
    return obj


def _bidang_target(target_waktu, tahun, bulan, per_kejadian):
    """Fields and months of an action from its target text; `bulan` / `per_kejadian`
    (None: not given) override the parser when they differ from what it reads."""
    hasil = baca_target_waktu(target_waktu, tahun)
    months = hasil.bulan_date
    manual_bulan = bulan is not None and sorted(bulan) != months
    manual_kejadian = per_kejadian is not None and per_kejadian != hasil.per_kejadian
    if manual_bulan:
        months = sorted(bulan)
    fields = {
        "target_terbaca": hasil.terbaca,
        "per_kejadian": per_kejadian if manual_kejadian else hasil.per_kejadian,
        "bulan_manual": manual_bulan or manual_kejadian,
    }
    return fields, months


@transaction.atomic
def ubah_rencana_aksi(*, rencana_aksi, versi, teks, target_waktu, pic, bulan=None,
                      per_kejadian=None, bukti_dukung=None):
    """Edit one action. `bulan` (list of dates) and `per_kejadian` set by hand override the
    parser; otherwise the months are read again from `target_waktu`. `bukti_dukung`, when
    given, is the whole wanted list of (id or None, nama) of the action's own evidence."""
    tahun = rencana_aksi.indikator.komponen.area_rencana.rencana_kerja.tahun
    fields, months = _bidang_target(target_waktu, tahun, bulan, per_kejadian)
    fields.update(teks=teks, target_waktu=target_waktu, pic=pic)
    simpan_dengan_versi(RencanaAksi, rencana_aksi, versi, **fields)
    _atur_bulan(rencana_aksi, months)
    if bukti_dukung is not None:
        _atur_bukti_dukung(rencana_aksi, bukti_dukung)
    return rencana_aksi


@transaction.atomic
def tambah_rencana_aksi(*, indikator, teks, target_waktu, pic=None, bukti_dukung=()):
    """Add an action at the end of an indikator."""
    tahun = indikator.komponen.area_rencana.rencana_kerja.tahun
    fields, months = _bidang_target(target_waktu, tahun, None, None)
    Indikator.objects.select_for_update().filter(pk=indikator.pk).first()  # one urutan each
    urutan = (indikator.rencana_aksi.order_by("-urutan").values_list("urutan", flat=True)
              .first() or 0) + 1
    ra = RencanaAksi.objects.create(indikator=indikator, urutan=urutan, teks=teks,
                                    target_waktu=target_waktu, pic=pic, **fields)
    _atur_bulan(ra, months)
    _atur_bukti_dukung(ra, [(None, nama) for nama in bukti_dukung])
    tandai_baris(ra)
    return ra


def _atur_bukti_dukung(rencana_aksi, wanted):
    """Make the action's own evidence list (not the numeric sub-rows') equal `wanted`,
    keeping the rows (and so, later, their uploads) of entries that stay."""
    existing = {b.pk: b for b in rencana_aksi.bukti_dukung.filter(isian__isnull=True)}
    keep = {pk for pk, _nama in wanted if pk in existing}
    for b in existing.values():
        if b.pk not in keep:
            with _dilindungi(_("Bukti dukung “%s” sudah memiliki unggahan dan tidak dapat "
                               "dihapus; ubah namanya saja.") % b.nama):
                b.delete()
    for urutan, (pk, nama) in enumerate(wanted, start=1):
        if pk in existing:
            b = existing[pk]
            if (b.nama, b.urutan) != (nama, urutan):
                b.nama, b.urutan = nama, urutan
                b.save()
        else:
            BuktiDukung.objects.create(rencana_aksi=rencana_aksi, urutan=urutan, nama=nama)
    tandai_baris(rencana_aksi)


@transaction.atomic
def terapkan_target_waktu(*, rencana_aksi):
    """After an edit outside the plan forms (the Django admin): read the target text again
    (months set by hand stay) and bump the version so open forms notice the change."""
    tahun = rencana_aksi.indikator.komponen.area_rencana.rencana_kerja.tahun
    fields, months = _bidang_target(rencana_aksi.target_waktu, tahun, None, None)
    if rencana_aksi.bulan_manual:
        fields = {"target_terbaca": fields["target_terbaca"]}
    RencanaAksi.objects.filter(pk=rencana_aksi.pk).update(versi=F("versi") + 1, **fields)
    if not rencana_aksi.bulan_manual:
        _atur_bulan(rencana_aksi, months)
    rencana_aksi.refresh_from_db()


def _atur_bulan(rencana_aksi, months):
    current = set(rencana_aksi.target_bulan.values_list("bulan", flat=True))
    wanted = set(months)
    for t in rencana_aksi.target_bulan.filter(bulan__in=current - wanted):
        t.delete()  # one by one: each leaves its entry in the log
    for d in sorted(wanted - current):
        TargetBulan.objects.create(rencana_aksi=rencana_aksi, bulan=d)
    tandai_berubah(areas__komponen__indikator__rencana_aksi=rencana_aksi.pk)


@transaction.atomic
def ubah_komponen(*, komponen, versi, nama, pic):
    return simpan_dengan_versi(Komponen, komponen, versi, nama=nama, pic=pic)


@transaction.atomic
def ubah_pendahuluan(*, rencana_kerja, versi, pendahuluan, mekanisme_penetapan_tim,
                     target_prioritas):
    return simpan_dengan_versi(
        RencanaKerja, rencana_kerja, versi, pendahuluan=pendahuluan,
        mekanisme_penetapan_tim=list(mekanisme_penetapan_tim),
        target_prioritas=list(target_prioritas),
    )


@transaction.atomic
def hapus_rencana_aksi(*, rencana_aksi, versi):
    """Delete an action (with its evidence requirements and months) unless someone changed
    it after the user looked at it. The audit history keeps the deleted row."""
    if not RencanaAksi.objects.filter(pk=rencana_aksi.pk, versi=versi).exists():
        raise KonflikVersi(_pesan_konflik(RencanaAksi, rencana_aksi))
    tandai_baris(rencana_aksi)  # before: the row is gone after
    with _dilindungi(_("Rencana aksi ini sudah memiliki bukti dukung yang diunggah dan tidak "
                       "dapat dihapus.")):
        rencana_aksi.delete()


@transaction.atomic
def tambah_indikator(*, komponen, teks, rencana_aksi):
    """Add an indikator at the end of a komponen, with its first action
    (`rencana_aksi`: dict of tambah_rencana_aksi's keyword arguments)."""
    Komponen.objects.select_for_update().filter(pk=komponen.pk).first()  # one urutan each
    urutan = (komponen.indikator.order_by("-urutan").values_list("urutan", flat=True)
              .first() or 0) + 1
    indikator = Indikator.objects.create(komponen=komponen, urutan=urutan, teks=teks)
    tambah_rencana_aksi(indikator=indikator, **rencana_aksi)
    return indikator


@transaction.atomic
def ubah_indikator(*, indikator, versi, teks, isian=None):
    """Edit an indikator; `isian`, when given, is the whole wanted list of its numeric
    sub-rows [(id or None, label, jenis)] (rows that stay keep their numbers)."""
    simpan_dengan_versi(Indikator, indikator, versi, teks=teks)
    if isian is not None:
        existing = {s.pk: s for s in indikator.isian.all()}
        keep = {pk for pk, *_rest in isian if pk in existing}
        for s in existing.values():
            if s.pk not in keep:
                with _dilindungi(_("Isian “%s” memiliki bukti dukung yang sudah diunggah dan "
                                   "tidak dapat dihapus.") % s.label):
                    s.delete()
        for urutan, (pk, label, jenis) in enumerate(isian, start=1):
            s = existing.get(pk) or Isian(indikator=indikator)
            if (s.pk, s.label, s.jenis, s.urutan) != (pk, label, jenis, urutan):
                s.label, s.jenis, s.urutan = label, jenis, urutan
                s.full_clean(exclude=["indikator"])
                s.save()
        tandai_baris(indikator)
    return indikator


def dapatkan_atau_buat_unit(*, kode, nama=None):
    unit = UnitKerja.objects.filter(kode=kode).first()
    if unit:
        return unit
    if not nama:
        raise ValidationError(
            _("Unit kerja '%s' tidak ditemukan dan berkas tidak menyebut namanya.") % kode
        )
    unit = UnitKerja(kode=kode, nama=nama)
    unit.full_clean()
    unit.save()
    return unit
