"""Workflows of the LKE: seed a year from the data file, copy a year, link a plan's
indikator to the questions, save answers (unit and TPI) with a version check."""

import re
from decimal import Decimal
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from rencana_aksi.models import Area, Indikator
from rencana_aksi.services import KonflikVersi, _pesan_konflik

from . import skor as S
from .models import (
    AreaLke,
    JawabanLke,
    JenisJawaban,
    KomponenLke,
    KriteriaPredikat,
    LembarKerja,
    SoalLke,
    TautanSoal,
)

DATA = Path(__file__).resolve().parent / "data" / "lke.yaml"
KODE_BAGIAN = {"pemenuhan": "A", "reform": "B", "hasil": "C"}


@transaction.atomic
def muat_lke(tahun, data=None):
    """Create the LKE of `tahun` from the data file (or parsed `data`)."""
    if LembarKerja.objects.filter(tahun=tahun).exists():
        raise ValidationError(_("LKE tahun %(t)s sudah ada.") % {"t": tahun})
    data = data or yaml.safe_load(DATA.read_text(encoding="utf-8"))
    lke = LembarKerja.objects.create(tahun=tahun, nama=data["nama"])
    jenis = {j["kode"]: JenisJawaban.objects.create(
        lke=lke, kode=j["kode"], nama=j["nama"], aturan=j["aturan"], nilai=j.get("nilai") or {})
        for j in data["jenis_jawaban"]}
    area_master = {a.kode: a for a in Area.objects.all()}
    urutan = 0
    soal = []
    for b in data["bagian"]:
        for a in b["areas"]:
            urutan += 1
            kode_area = f"{b['kode']}.{a.get('area') or a.get('kode')}"
            area = AreaLke.objects.create(
                lke=lke, bagian=b["bagian"], kode=kode_area, nama=a["nama"],
                area=area_master[a["area"]] if a.get("area") else None,
                bobot=Decimal(str(a["bobot"])), urutan=urutan)
            for k in a["komponen"]:
                kom = KomponenLke.objects.create(
                    area=area, kode=f"{kode_area}.{k['nomor']}", nomor=k["nomor"], nama=k["nama"],
                    bobot=Decimal(str(k["bobot"])), bobot_perkiraan=k.get("bobot_perkiraan", False))
                for i, s in enumerate(k["soal"], start=1):
                    soal.append(SoalLke(komponen=kom, kode=f"{kom.kode}.{i}", urutan=i, teks=s["teks"],
                                        jenis=jenis[s["jenis"]], petunjuk=s.get("petunjuk", ""),
                                        soal_id=str(s.get("soal_id") or "")))
    SoalLke.objects.bulk_create(soal)
    for i, kr in enumerate(data["kriteria"]):
        KriteriaPredikat.objects.create(
            lke=lke, predikat=kr["predikat"], nama=kr["nama"], jenis=kr["jenis"],
            area=area_master[kr["area"]] if kr.get("area") else None, kode=kr.get("kode", ""),
            batas=Decimal(str(kr["batas"])), urutan=i)
    return lke


@transaction.atomic
def salin_lke(dari, ke):
    """A new year's LKE as a copy of another year's (weights, questions, soal_id, criteria)."""
    asal = LembarKerja.objects.filter(tahun=dari).first()
    if asal is None:
        raise ValidationError(_("LKE tahun %(t)s tidak ada.") % {"t": dari})
    if LembarKerja.objects.filter(tahun=ke).exists():
        raise ValidationError(_("LKE tahun %(t)s sudah ada.") % {"t": ke})
    lke = LembarKerja.objects.create(tahun=ke, nama=asal.nama, catatan=asal.catatan)
    jenis = {}
    for j in asal.jenis_jawaban.all():
        jenis[j.pk] = JenisJawaban.objects.create(lke=lke, kode=j.kode, nama=j.nama,
                                                  aturan=j.aturan, nilai=j.nilai)
    soal = []
    for a in asal.areas.order_by("urutan"):
        na = AreaLke.objects.create(lke=lke, bagian=a.bagian, kode=a.kode, nama=a.nama,
                                    area_id=a.area_id, bobot=a.bobot, urutan=a.urutan)
        for k in a.komponen.all():
            nk = KomponenLke.objects.create(area=na, kode=k.kode, nomor=k.nomor, nama=k.nama,
                                            bobot=k.bobot, bobot_perkiraan=k.bobot_perkiraan)
            soal += [SoalLke(komponen=nk, kode=s.kode, urutan=s.urutan, teks=s.teks,
                             jenis=jenis[s.jenis_id], petunjuk=s.petunjuk, soal_id=s.soal_id)
                     for s in k.soal.all()]
    SoalLke.objects.bulk_create(soal)
    for kr in asal.kriteria.all():
        KriteriaPredikat.objects.create(lke=lke, predikat=kr.predikat, nama=kr.nama, jenis=kr.jenis,
                                        area_id=kr.area_id, kode=kr.kode, batas=kr.batas,
                                        urutan=kr.urutan)
    return lke


def _teks(s):
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


BAGIAN_RENCANA = {"A": "pemenuhan", "B": "reform"}


@transaction.atomic
def tautkan_otomatis(rk, lke):
    """Link the plan's unlinked indikator to the LKE's questions of the same komponen (the
    same part, area and number). A question with the same text first; what is left is
    paired by position only when as many questions as indikator are left in the komponen.
    Anything else is left for the Sekretaris to link by hand. Returns how many."""
    soal_per_kom = {}
    for s in SoalLke.objects.filter(komponen__area__lke=lke, komponen__area__area__isnull=False
                                    ).select_related("komponen__area").order_by("urutan"):
        a = s.komponen.area
        soal_per_kom.setdefault((a.bagian, a.area_id, s.komponen.nomor), []).append(s)
    sudah_ind, sudah_soal = set(), set()
    for ind_id, soal_id in TautanSoal.objects.filter(
            indikator__komponen__area_rencana__rencana_kerja=rk).values_list("indikator_id", "soal_id"):
        sudah_ind.add(ind_id)
        sudah_soal.add(soal_id)
    per_kom = {}
    for ind in Indikator.objects.filter(komponen__area_rencana__rencana_kerja=rk).select_related(
            "komponen__area_rencana__bagian").order_by("urutan", "pk"):
        ar = ind.komponen.area_rencana
        kunci = (BAGIAN_RENCANA.get(ar.bagian.kode), ar.area_id, ind.komponen.nomor)
        per_kom.setdefault(kunci, []).append(ind)
    baru = []
    for kunci, inds in per_kom.items():
        soal = [s for s in soal_per_kom.get(kunci, []) if s.pk not in sudah_soal]
        inds = [i for i in inds if i.pk not in sudah_ind]
        by_text = {_teks(s.teks): s for s in soal}
        sisa = []
        for ind in inds:
            s = by_text.pop(_teks(ind.teks), None)
            if s:
                baru.append(TautanSoal(soal=s, indikator=ind))
            else:
                sisa.append(ind)
        soal_sisa = [s for s in soal if s in by_text.values()]
        if sisa and len(sisa) == len(soal_sisa):
            baru += [TautanSoal(soal=s, indikator=i) for s, i in zip(soal_sisa, sisa, strict=True)]
    TautanSoal.objects.bulk_create(baru, ignore_conflicts=True)
    return len(baru)


def tahun_sumber(tahun):
    """The year a new LKE of `tahun` is copied from: the nearest earlier year, else the
    nearest later one; None when there is no LKE at all (then the data file)."""
    tahun_ada = list(LembarKerja.objects.values_list("tahun", flat=True))
    sebelum = [t for t in tahun_ada if t < tahun]
    return max(sebelum) if sebelum else (min(tahun_ada) if tahun_ada else None)


def siapkan_tahun(tahun, dari=None):
    """The LKE of `tahun`, created when missing: a copy of `dari`, else of the nearest
    earlier year, else of the nearest later one, else from the data file. Every plan of
    that year is then linked to it. Returns (lke, created)."""
    lke = LembarKerja.objects.filter(tahun=tahun).first()
    dibuat = lke is None
    if dibuat:
        dari = dari or tahun_sumber(tahun)
        lke = salin_lke(dari, tahun) if dari else muat_lke(tahun)
    from rencana_aksi.models import RencanaKerja

    for rk in RencanaKerja.objects.filter(tahun=tahun):
        tautkan_otomatis(rk, lke)
    return lke, dibuat


def tautkan_rencana(rk):
    """Link a new or copied plan to the LKE of its year, if there is one."""
    lke = LembarKerja.objects.filter(tahun=rk.tahun).first()
    return tautkan_otomatis(rk, lke) if lke else 0


def tautkan(indikator, soal):
    """Link one indikator to one question (replacing its earlier link)."""
    if soal.komponen.area.lke.tahun != indikator.komponen.area_rencana.rencana_kerja.tahun:
        raise ValidationError(_("Soal harus dari LKE tahun yang sama dengan rencana kerja."))
    TautanSoal.objects.update_or_create(indikator=indikator, defaults={"soal": soal})


def simpan_jawaban(*, user, unit, soal, sisi, jawaban, catatan, versi):
    """Save the unit's (sisi "unit") or the TPI's (sisi "tpi") answer and note to a question.
    `versi`: the version of that side the user loaded (0 when it was never saved); a newer
    one raises KonflikVersi. The two sides have their own versions, so the TPI and the unit
    never block each other. An answer that is not valid for its type raises
    ValidationError. Returns the JawabanLke."""
    jawaban, catatan = (jawaban or "").strip(), (catatan or "").strip()
    err = S.periksa_jawaban(soal.jenis, jawaban)
    if err:
        raise ValidationError(err)
    if len(catatan) > 4000:
        raise ValidationError(_("Catatan paling banyak 4.000 karakter."))
    now = timezone.now()
    if sisi == "unit":
        fields = {"jawaban_unit": jawaban, "catatan_unit": catatan, "diisi_oleh": user,
                  "diisi_pada": now}
    else:
        fields = {"jawaban_tpi": jawaban, "catatan_tpi": catatan, "dinilai_oleh": user,
                  "dinilai_pada": now}
    kolom = f"versi_{sisi}"
    obj = JawabanLke.objects.filter(unit=unit, soal=soal).first()
    if obj is None:
        if versi:
            raise KonflikVersi(_("Jawaban ini tidak ditemukan lagi; muat ulang halaman."))
        try:
            with transaction.atomic():
                return JawabanLke.objects.create(unit=unit, soal=soal, **{kolom: 1}, **fields)
        except IntegrityError:  # someone saved the first answer at the same moment
            obj = JawabanLke.objects.get(unit=unit, soal=soal)
            raise KonflikVersi(_pesan_konflik(JawabanLke, obj)) from None
    with transaction.atomic():
        # conditional UPDATE: only when that side still has the version the user loaded
        if not JawabanLke.objects.filter(pk=obj.pk, **{kolom: versi}).update(
                **{kolom: F(kolom) + 1}, **fields):
            raise KonflikVersi(_pesan_konflik(JawabanLke, obj))
        obj.refresh_from_db()
        obj.save()  # the audit history listens to save()
    return obj
