"""Workflows of the LKE: seed a year from the data file, copy a year, link a plan's
indikator to the questions, save answers (unit and TPI) with a version check."""

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from bukti_dukung.models import NilaiIsian
from rencana_aksi.models import Area, Indikator, Isian, RencanaKerja, tandai_baris
from rencana_aksi.services import KonflikVersi, _pesan_konflik

from . import skor as S
from . import tautan as cocok
from .models import (
    AreaLke,
    Aturan,
    BagianLke,
    JawabanLke,
    JenisJawaban,
    KomponenLke,
    KriteriaPredikat,
    LembarKerja,
    Macam,
    RumusLke,
    SoalLke,
    TautanIsian,
    TautanSoal,
)

DATA = Path(__file__).resolve().parent / "data" / "lke.yaml"
MAKS_CATATAN = 4000  # characters of a note, typed or imported


def data_bawaan():
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def _soal_id(data, tahun, s):
    """PortalRB's soal_id of a row, for the years PortalRB's master list covers."""
    return s.get("soal_id") if tahun >= data.get("portalrb_sejak", 9999) else None


@transaction.atomic
def muat_lke(tahun, data=None):
    """Create the LKE of `tahun` from the data file (or parsed `data`)."""
    if LembarKerja.objects.filter(tahun=tahun).exists():
        raise ValidationError(_("LKE tahun %(t)s sudah ada.") % {"t": tahun})
    data = data or data_bawaan()
    lke = LembarKerja.objects.create(tahun=tahun, nama=data["nama"])
    jenis = {j["kode"]: JenisJawaban.objects.create(
        lke=lke, kode=j["kode"], nama=j["nama"], aturan=j["aturan"], nilai=j.get("nilai") or {})
        for j in data["jenis_jawaban"]}
    area_master = {a.kode: a for a in Area.objects.all()}
    urutan = 0
    for b in data["bagian"]:
        for a in b["areas"]:
            urutan += 1
            kode_area = f"{b['kode']}.{a['area']}"
            area = AreaLke.objects.create(
                lke=lke, bagian=b["bagian"], kode=kode_area, nama=a["nama"],
                area=area_master[a["area"]] if b["bagian"] != BagianLke.HASIL else None,
                bobot=Decimal(str(a["bobot"])), urutan=urutan)
            for k in a["komponen"]:
                kom = KomponenLke.objects.create(
                    area=area, kode=f"{kode_area}.{k['nomor']}", nomor=k["nomor"], nama=k["nama"],
                    bobot=Decimal(str(k["bobot"])))
                soal = SoalLke.objects.bulk_create([SoalLke(
                    komponen=kom, kode=s["kode"], urutan=i, macam=s.get("macam", Macam.SOAL),
                    teks=s.get("teks", ""), jenis=jenis[s["jenis"]], petunjuk=s.get("petunjuk", ""),
                    panduan=s.get("panduan") or {}, soal_id=_soal_id(data, tahun, s),
                    baris_excel=s.get("baris_excel"), isian_label=s.get("isian_label", ""),
                    indikator_ke=s.get("indikator_ke"))
                    for i, s in enumerate(k["soal"], start=1)])
                by_kode = {s.kode: s for s in soal}
                for i, r in enumerate(k.get("rumus") or [], start=1):
                    rumus = RumusLke.objects.create(komponen=kom, urutan=i, nama=r["nama"],
                                                    jenis=r["jenis"])
                    rumus.atas.set([by_kode[x] for x in r["atas"]])
                    rumus.bawah.set([by_kode[x] for x in r["bawah"]])
    for i, kr in enumerate(data["kriteria"]):
        KriteriaPredikat.objects.create(
            lke=lke, predikat=kr["predikat"], nama=kr["nama"], jenis=kr["jenis"],
            area=area_master[kr["area"]] if kr.get("area") else None, kode=kr.get("kode", ""),
            batas=Decimal(str(kr["batas"])), urutan=i)
    return lke


SALIN_SOAL = ["kode", "urutan", "macam", "teks", "petunjuk", "panduan", "soal_id", "baris_excel",
              "isian_label", "indikator_ke"]


@transaction.atomic
def salin_lke(dari, ke):
    """A new year's LKE as a copy of another year's (weights, rows, numeric rules, soal_id,
    criteria). Copied into a year PortalRB's master list covers, rows without a soal_id
    take the master list's (by kode)."""
    asal = LembarKerja.objects.filter(tahun=dari).first()
    if asal is None:
        raise ValidationError(_("LKE tahun %(t)s tidak ada.") % {"t": dari})
    if LembarKerja.objects.filter(tahun=ke).exists():
        raise ValidationError(_("LKE tahun %(t)s sudah ada.") % {"t": ke})
    data = data_bawaan()
    resmi = {s["kode"]: s for b in data["bagian"] for a in b["areas"] for k in a["komponen"]
             for s in k["soal"]}
    lke = LembarKerja.objects.create(tahun=ke, nama=asal.nama, catatan=asal.catatan)
    jenis = {}
    for j in asal.jenis_jawaban.all():
        jenis[j.pk] = JenisJawaban.objects.create(lke=lke, kode=j.kode, nama=j.nama,
                                                  aturan=j.aturan, nilai=j.nilai)
    for a in asal.areas.order_by("urutan"):
        na = AreaLke.objects.create(lke=lke, bagian=a.bagian, kode=a.kode, nama=a.nama,
                                    area_id=a.area_id, bobot=a.bobot, urutan=a.urutan)
        for k in a.komponen.prefetch_related("soal", "rumus__atas", "rumus__bawah"):
            nk = KomponenLke.objects.create(area=na, kode=k.kode, nomor=k.nomor, nama=k.nama,
                                            bobot=k.bobot)
            baru = {}
            for s in k.soal.all():
                nilai = {f: getattr(s, f) for f in SALIN_SOAL}
                if nilai["soal_id"] is None and s.kode in resmi:
                    nilai["soal_id"] = _soal_id(data, ke, resmi[s.kode])
                baru[s.pk] = SoalLke(komponen=nk, jenis=jenis[s.jenis_id], **nilai)
            SoalLke.objects.bulk_create(list(baru.values()))
            for r in k.rumus.all():
                nr = RumusLke.objects.create(komponen=nk, urutan=r.urutan, nama=r.nama,
                                             jenis=r.jenis)
                nr.atas.set([baru[x.pk] for x in r.atas.all()])
                nr.bawah.set([baru[x.pk] for x in r.bawah.all()])
    for kr in asal.kriteria.all():
        KriteriaPredikat.objects.create(lke=lke, predikat=kr.predikat, nama=kr.nama, jenis=kr.jenis,
                                        area_id=kr.area_id, kode=kr.kode, batas=kr.batas,
                                        urutan=kr.urutan)
    return lke


BAGIAN_RENCANA = {"A": "pemenuhan", "B": "reform"}


@transaction.atomic
def tautkan_otomatis(rk, lke):
    """Link the plan's unlinked indikator to the LKE's choice questions of the same komponen
    (same part, area and number) and the count rows to the plan's numeric inputs, by the
    rules of `lke/tautan.py`. Anything else is left for the Sekretaris to link by hand.
    Returns how many links were made."""
    soal_per_kom = defaultdict(list)
    for s in SoalLke.objects.filter(komponen__area__lke=lke, komponen__area__area__isnull=False
                                    ).select_related("komponen__area__area").order_by("urutan"):
        a = s.komponen.area
        soal_per_kom[(a.bagian, a.area.kode, s.komponen.nomor)].append(s)
    sudah_ind, sudah_soal = set(), set()
    for ind_id, soal_id in TautanSoal.objects.filter(
            indikator__komponen__area_rencana__rencana_kerja=rk).values_list("indikator_id", "soal_id"):
        sudah_ind.add(ind_id)
        sudah_soal.add(soal_id)
    sudah_angka = set(TautanIsian.objects.filter(rencana_kerja=rk).values_list("soal_id", flat=True))
    per_kom = defaultdict(list)
    for ind in Indikator.objects.filter(komponen__area_rencana__rencana_kerja=rk).select_related(
            "komponen__area_rencana__bagian", "komponen__area_rencana__area").order_by("urutan", "pk"):
        ar = ind.komponen.area_rencana
        per_kom[(BAGIAN_RENCANA.get(ar.bagian.kode), ar.area.kode, ind.komponen.nomor)].append(ind)
    isian = defaultdict(list)
    for s in Isian.objects.filter(indikator__komponen__area_rencana__rencana_kerja=rk,
                                  jenis=Isian.Jenis.JUMLAH).order_by("urutan"):
        isian[s.indikator_id].append(s)
    baru, baru_isian = [], []
    for kunci, inds in per_kom.items():
        rows = soal_per_kom.get(kunci, [])
        pilihan = [s for s in rows if s.macam == Macam.SOAL and s.pk not in sudah_soal]
        baru += [TautanSoal(soal=s, indikator=i)
                 for s, i in cocok.pasangan_soal(pilihan, inds, sudah_ind)]
        angka = [s for s in rows if s.macam == Macam.ANGKA and s.pk not in sudah_angka]
        baru_isian += [TautanIsian(soal=s, isian=i, rencana_kerja=rk)
                       for s, i in cocok.pasangan_isian(angka, inds, isian)]
    TautanSoal.objects.bulk_create(baru, ignore_conflicts=True)
    TautanIsian.objects.bulk_create(baru_isian, ignore_conflicts=True)
    pindahkan_angka_ketikan(rk, [(t.soal, t.isian) for t in baru_isian])
    return len(baru) + len(baru_isian)


def pindahkan_angka_ketikan(rk, pasangan):
    """Counts typed in the LKE before their row had a numeric input (a unit without a plan
    that year, or an unlinked row) move into the newly linked input, so that nothing typed
    is hidden by the plan's empty one. An input that already holds a count keeps it; the
    typed count then goes into the unit's note. `pasangan`: [(count row, Isian)]."""
    if not pasangan:
        return
    ketik = {j.soal_id: j for j in JawabanLke.objects.filter(
        unit_id=rk.unit_id, soal__in=[s for s, _i in pasangan]).exclude(jawaban_unit="")}
    isi = {n.isian_id: n for n in NilaiIsian.objects.filter(
        isian__in=[i for _s, i in pasangan], nilai__isnull=False)}
    for soal, isian in pasangan:
        j = ketik.get(soal.pk)
        angka = S.cacah(j.jawaban_unit) if j else None
        if j is None:
            continue
        if angka is not None and isian.pk not in isi:
            n, _dibuat = NilaiIsian.objects.get_or_create(isian=isian, defaults={"versi": 0})
            n.nilai, n.diisi_oleh, n.versi = angka, j.diisi_oleh, n.versi + 1
            n.save()
            tandai_baris(n)
            isi[isian.pk] = n
            catatan = j.catatan_unit
        else:
            catatan = "\n".join(x for x in [j.catatan_unit, _(
                "[Jumlah “%(a)s” diketik di LKE sebelum baris ini ditautkan ke isian “%(l)s”.]")
                % {"a": j.jawaban_unit, "l": isian.label}] if x)
        JawabanLke.objects.filter(pk=j.pk).update(jawaban_unit="", catatan_unit=catatan,
                                                  versi_unit=F("versi_unit") + 1)
        j.refresh_from_db()
        j.save()  # the audit history listens to save()


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
    for rk in RencanaKerja.objects.filter(tahun=tahun):
        tautkan_otomatis(rk, lke)
    return lke, dibuat


def tautkan_rencana(rk):
    """Link a new or copied plan to the LKE of its year, if there is one."""
    lke = LembarKerja.objects.filter(tahun=rk.tahun).first()
    return tautkan_otomatis(rk, lke) if lke else 0


def tautkan(indikator, soal):
    """Link one indikator to one choice question (replacing its earlier link)."""
    if soal.komponen.area.lke.tahun != indikator.komponen.area_rencana.rencana_kerja.tahun:
        raise ValidationError(_("Soal harus dari LKE tahun yang sama dengan rencana kerja."))
    if soal.macam != Macam.SOAL:
        raise ValidationError(_("Baris angka ditautkan ke isian angka, bukan ke indikator."))
    TautanSoal.objects.update_or_create(indikator=indikator, defaults={"soal": soal})


def tautkan_isian(rk, soal, isian):
    """Link a count row to a numeric input of the plan (or unlink it: `isian` None)."""
    if soal.macam != Macam.ANGKA:
        raise ValidationError(_("Hanya baris angka yang ditautkan ke isian angka."))
    if isian is None:
        TautanIsian.objects.filter(soal=soal, rencana_kerja=rk).delete()
        return
    if isian.indikator.komponen.area_rencana.rencana_kerja_id != rk.pk:
        raise ValidationError(_("Isian angka harus dari rencana kerja ini."))
    if soal.komponen.area.lke.tahun != rk.tahun:
        raise ValidationError(_("Soal harus dari LKE tahun yang sama dengan rencana kerja."))
    with transaction.atomic():
        TautanIsian.objects.update_or_create(soal=soal, rencana_kerja=rk, defaults={"isian": isian})
        pindahkan_angka_ketikan(rk, [(soal, isian)])


def _sudah_begitu(obj, sisi, jawaban, catatan):
    """That side already holds exactly this answer and note: nothing to save, no conflict."""
    return (getattr(obj, f"jawaban_{sisi}"), getattr(obj, f"catatan_{sisi}")) == (jawaban, catatan)


def simpan_jawaban(*, user, unit, soal, sisi, jawaban, catatan, versi):
    """Save the unit's (sisi "unit") or the TPI's (sisi "tpi") answer and note to a question.
    `versi`: the version of that side the user loaded (0 when it was never saved); a newer
    one raises KonflikVersi. The two sides have their own versions, so the TPI and the unit
    never block each other. An answer that is not valid for its type raises
    ValidationError. Returns the JawabanLke."""
    jawaban, catatan = (jawaban or "").strip(), (catatan or "").replace("\r\n", "\n").strip()
    err = S.periksa_jawaban(soal.jenis, jawaban)
    if err:
        raise ValidationError(err)
    if soal.jenis.aturan in (Aturan.SURVEI, Aturan.PERSENTASE):
        jawaban = jawaban.replace(".", ",")  # one way of writing an index: 3,6
    if len(catatan) > MAKS_CATATAN:
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
            if _sudah_begitu(obj, sisi, jawaban, catatan):
                return obj
            raise KonflikVersi(_pesan_konflik(JawabanLke, obj)) from None
    with transaction.atomic():
        # conditional UPDATE: only when that side still has the version the user loaded
        if not JawabanLke.objects.filter(pk=obj.pk, **{kolom: versi}).update(
                **{kolom: F(kolom) + 1}, **fields):
            obj.refresh_from_db()
            if _sudah_begitu(obj, sisi, jawaban, catatan):
                return obj  # the same save twice (a choice saved, then "Simpan" pressed)
            raise KonflikVersi(_pesan_konflik(JawabanLke, obj))
        obj.refresh_from_db()
        obj.save()  # the audit history listens to save()
    return obj
