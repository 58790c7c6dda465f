"""Every existing LKE takes the official structure of PortalRB's master list (lke/data/
lke.yaml): komponen weights, one answer type per question, the count rows of numeric
komponen with their rules, the five questions the seed plan has no indikator for, Hasil
codes C.I / C.II, workbook rows, and soal_id from 2026 on.

Nothing answered is lost. A question is kept (same row, its answers and links) where the
official list has it; an answer whose type changed is converted where the value is the same
(Ya = A, Tidak = the lowest choice), else it is emptied and written into the note. Answers to
questions that became count rows move, as notes, to the first count row of that indikator.
Plans get the two B.IV.1 counts (sasaran kinerja) the seed has no row for, and their count
rows are linked to the plan's numeric inputs. An LKE that is already official (it has count
rows) is left alone, so running this again changes nothing.

Frozen: the data beside this file is lke/data/lke.yaml as of this migration, and the
matching rules are a copy of lke/tautan.py as of this migration."""

from decimal import Decimal
from pathlib import Path

import re

import yaml
from django.db import migrations
from django.db.models import F, Max

DATA = Path(__file__).with_suffix(".yaml")
KODE_LAMA = {"C.I": "C.1", "C.II": "C.2", "C.I.1": "C.1.1", "C.I.2": "C.1.2",
             "C.II.1": "C.2.1"}
SASARAN = ["Jumlah Sasaran Kinerja", "Jumlah Sasaran Kinerja yang tercapai 100% atau lebih"]


def _teks_dasar(s):
    return re.sub(r"[^a-z0-9]+", " ", (s or "").lower()).strip()


def pasangan_soal(soal, indikator, terpakai=()):
    """Choice question -> indikator: the same text, else the indikator at its position."""
    bebas = [i for i in indikator if i.pk not in terpakai]
    out, by_text, sisa = [], {}, []
    for i in bebas:
        by_text.setdefault(_teks_dasar(i.teks), i)
    for s in soal:
        i = by_text.get(_teks_dasar(s.teks)) if s.teks else None
        if i is not None and i in bebas:
            out.append((s, i))
            bebas.remove(i)
        else:
            sisa.append(s)
    for s in sisa:
        k = s.indikator_ke
        if k and k <= len(indikator) and indikator[k - 1] in bebas:
            out.append((s, indikator[k - 1]))
            bebas.remove(indikator[k - 1])
    return out


def pasangan_isian(baris, indikator, isian):
    """Count row -> the input labelled `isian_label`, at its indikator first."""
    out = []
    for b in baris:
        label = _teks_dasar(b.isian_label)
        if not label:
            continue
        k = b.indikator_ke
        utama = indikator[k - 1] if k and k <= len(indikator) else None
        cocok = [s for s in isian.get(utama.pk, []) if _teks_dasar(s.label) == label] if utama else []
        if not cocok:
            cocok = [s for i in indikator for s in isian.get(i.pk, [])
                     if _teks_dasar(s.label) == label]
            if len(cocok) != 1:
                continue
        out.append((b, cocok[0]))
    return out


def _nilai(jenis, teks):
    v = (jenis.nilai or {}).get((teks or "").strip())
    return Decimal(str(v)) if v is not None else None


def _ubah(lama, baru, teks, paksa=False):
    """(answer for the new type, note line or None). `paksa`: never kept (a question that
    became a count row: its old answer was a percentage, not a count)."""
    teks = (teks or "").strip()
    if not teks or (lama.pk == baru.pk and not paksa):
        return teks, None
    if baru.aturan == "pilihan" and lama.aturan == "pilihan" and not paksa:
        v = _nilai(lama, teks)
        if teks in baru.nilai and _nilai(baru, teks) == v:
            return teks, None
        same = [p for p in baru.nilai if v is not None and _nilai(baru, p) == v]
        if same:
            return same[0], (f"[LKE resmi: jawaban “{teks}” ({lama.nama}) menjadi “{same[0]}” "
                             f"({baru.nama}), nilainya sama.]")
    if baru.aturan == lama.aturan == "survei" and not paksa:
        return teks, None
    return "", (f"[LKE resmi: jawaban lama “{teks}” ({lama.nama}) tidak berlaku untuk jenis "
                f"{baru.nama}; jawab ulang.]")


def _catatan(*bagian):
    return "\n".join(b for b in bagian if b)


def _pindah_jawaban(apps, soal_lama, soal_baru, jenis_baru):
    JawabanLke = apps.get_model("lke", "JawabanLke")  # noqa: N806
    Hist = apps.get_model("lke", "HistoricalJawabanLke")  # noqa: N806
    lama = soal_lama.jenis
    paksa = soal_baru.macam == "angka" and soal_lama.pk != soal_baru.pk
    for j in JawabanLke.objects.filter(soal=soal_lama):
        ju, nu = _ubah(lama, jenis_baru, j.jawaban_unit, paksa)
        jt, nt = _ubah(lama, jenis_baru, j.jawaban_tpi, paksa)
        if soal_baru.pk == soal_lama.pk:
            JawabanLke.objects.filter(pk=j.pk).update(
                jawaban_unit=ju, jawaban_tpi=jt, catatan_unit=_catatan(j.catatan_unit, nu),
                catatan_tpi=_catatan(j.catatan_tpi, nt))
            continue
        sebelum = f"[Dari soal {soal_lama.kode} sebelum LKE resmi.]"
        cu = _catatan(sebelum if (j.catatan_unit or nu) else "", j.catatan_unit, nu)
        ct = _catatan(sebelum if (j.catatan_tpi or nt) else "", j.catatan_tpi, nt)
        ada = JawabanLke.objects.filter(unit_id=j.unit_id, soal=soal_baru).first()
        if ada:
            # the row has its own answer: the moved one goes into the note, never lost
            if ju and ada.jawaban_unit:
                cu = _catatan(cu, f"[Jawaban “{ju}” dari soal {soal_lama.kode}.]")
            if jt and ada.jawaban_tpi:
                ct = _catatan(ct, f"[Jawaban TPI “{jt}” dari soal {soal_lama.kode}.]")
            JawabanLke.objects.filter(pk=ada.pk).update(
                catatan_unit=_catatan(ada.catatan_unit, cu), catatan_tpi=_catatan(ada.catatan_tpi, ct),
                jawaban_unit=ada.jawaban_unit or ju, jawaban_tpi=ada.jawaban_tpi or jt)
            Hist.objects.filter(id=j.pk).update(id=ada.pk)
            j.delete()
        else:
            JawabanLke.objects.filter(pk=j.pk).update(
                soal=soal_baru, jawaban_unit=ju, jawaban_tpi=jt, catatan_unit=cu, catatan_tpi=ct)
    # the audit history (reports "as of" a past date) reads the same converted answers
    for h in Hist.objects.filter(soal_id=soal_lama.pk):
        ju, _n = _ubah(lama, jenis_baru, h.jawaban_unit, paksa)
        jt, _n = _ubah(lama, jenis_baru, h.jawaban_tpi, paksa)
        Hist.objects.filter(pk=h.pk).update(soal_id=soal_baru.pk, jawaban_unit=ju, jawaban_tpi=jt)


def _soal_komponen(apps, kom, data_kom, jenis, resmi):
    SoalLke = apps.get_model("lke", "SoalLke")  # noqa: N806
    RumusLke = apps.get_model("lke", "RumusLke")  # noqa: N806
    lama = list(SoalLke.objects.filter(komponen=kom).select_related("jenis").order_by("urutan"))
    SoalLke.objects.filter(komponen=kom).update(urutan=F("urutan") + 1000)
    per_urutan = {s.urutan: s for s in lama}  # old data: question n = indikator n
    dipakai, baru = set(), []
    for i, d in enumerate(data_kom["soal"], start=1):
        macam = d.get("macam", "soal")
        s = None
        if macam == "hasil" and lama:
            s = lama[0]
        elif macam == "soal" and d.get("indikator_ke"):
            s = per_urutan.get(d["indikator_ke"])
        nilai = {"kode": d["kode"], "urutan": i, "macam": macam,
                 "soal_id": d.get("soal_id") if resmi else None,
                 "baris_excel": d.get("baris_excel"), "isian_label": d.get("isian_label", ""),
                 "indikator_ke": d.get("indikator_ke")}
        j = jenis[d["jenis"]]
        if s is not None and s.pk not in dipakai:
            dipakai.add(s.pk)
            _pindah_jawaban(apps, s, s, j)
            SoalLke.objects.filter(pk=s.pk).update(jenis=j, teks=s.teks or d["teks"], **nilai)
            s.refresh_from_db()
        else:
            s = SoalLke.objects.create(komponen=kom, teks=d["teks"], jenis=j, **nilai)
        baru.append((s, d))
    for s in lama:
        if s.pk in dipakai:
            continue
        ke = [b for b, d in baru if d.get("indikator_ke") == s.urutan]
        tujuan = (ke or [b for b, _d in baru])[0]
        _pindah_jawaban(apps, s, tujuan, tujuan.jenis)
        s.delete()
    if data_kom.get("rumus") and not RumusLke.objects.filter(komponen=kom).exists():
        by_kode = {s.kode: s for s, _d in baru}
        for i, r in enumerate(data_kom["rumus"], start=1):
            rumus = RumusLke.objects.create(komponen=kom, urutan=i, nama=r["nama"], jenis=r["jenis"])
            rumus.atas.set([by_kode[k] for k in r["atas"]])
            rumus.bawah.set([by_kode[k] for k in r["bawah"]])


def resmikan(apps, schema_editor):
    LembarKerja = apps.get_model("lke", "LembarKerja")  # noqa: N806
    if not LembarKerja.objects.exists():
        return
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    JenisJawaban = apps.get_model("lke", "JenisJawaban")  # noqa: N806
    AreaLke = apps.get_model("lke", "AreaLke")  # noqa: N806
    KomponenLke = apps.get_model("lke", "KomponenLke")  # noqa: N806
    KriteriaPredikat = apps.get_model("lke", "KriteriaPredikat")  # noqa: N806
    Area = apps.get_model("rencana_aksi", "Area")  # noqa: N806
    master = {a.kode: a for a in Area.objects.all()}
    SoalLke = apps.get_model("lke", "SoalLke")  # noqa: N806
    for lke in LembarKerja.objects.all():
        if SoalLke.objects.filter(komponen__area__lke=lke, macam="angka").exists():
            continue  # already official
        resmi = lke.tahun >= data["portalrb_sejak"]
        jenis = {j.kode: j for j in JenisJawaban.objects.filter(lke=lke)}
        for j in data["jenis_jawaban"]:
            if j["kode"] not in jenis:
                jenis[j["kode"]] = JenisJawaban.objects.create(
                    lke=lke, kode=j["kode"], nama=j["nama"], aturan=j["aturan"], nilai=j["nilai"])
        areas = {a.kode: a for a in AreaLke.objects.filter(lke=lke)}
        AreaLke.objects.filter(lke=lke).update(urutan=F("urutan") + 1000)
        urutan = 0
        for b in data["bagian"]:
            for a in b["areas"]:
                urutan += 1
                kode = f"{b['kode']}.{a['area']}"
                area = areas.get(kode) or areas.get(KODE_LAMA.get(kode, ""))
                if area is None:
                    area = AreaLke.objects.create(
                        lke=lke, bagian=b["bagian"], kode=kode, nama=a["nama"], urutan=urutan,
                        area=master.get(a["area"]) if b["bagian"] != "hasil" else None,
                        bobot=Decimal(a["bobot"]))
                else:
                    AreaLke.objects.filter(pk=area.pk).update(kode=kode, urutan=urutan,
                                                              bobot=Decimal(a["bobot"]))
                kom_lama = {k.nomor: k for k in KomponenLke.objects.filter(area=area)}
                for k in a["komponen"]:
                    kkode = f"{kode}.{k['nomor']}"
                    kom = kom_lama.get(k["nomor"])
                    if kom is None:
                        kom = KomponenLke.objects.create(area=area, kode=kkode, nomor=k["nomor"],
                                                         nama=k["nama"], bobot=Decimal(k["bobot"]))
                    else:
                        KomponenLke.objects.filter(pk=kom.pk).update(kode=kkode,
                                                                     bobot=Decimal(k["bobot"]))
                    _soal_komponen(apps, kom, k, jenis, resmi)
        for lama, baru in ((v, k) for k, v in KODE_LAMA.items()):
            KriteriaPredikat.objects.filter(lke=lke, kode=lama).update(kode=baru)
    _isian_sasaran(apps)
    _tautkan_isian(apps)


def _isian_sasaran(apps):
    """B.IV.1's two counts, in the plans that have its indikator but not the rows."""
    Indikator = apps.get_model("rencana_aksi", "Indikator")  # noqa: N806
    Isian = apps.get_model("rencana_aksi", "Isian")  # noqa: N806
    RencanaKerja = apps.get_model("rencana_aksi", "RencanaKerja")  # noqa: N806
    for ind in Indikator.objects.filter(komponen__area_rencana__bagian__kode="B",
                                        komponen__area_rencana__area__kode="IV",
                                        komponen__nomor=1, urutan=1):
        labels = {s.label.lower() for s in Isian.objects.filter(indikator=ind)}
        n = Isian.objects.filter(indikator=ind).aggregate(m=Max("urutan"))["m"] or 0
        for label in SASARAN:
            if label.lower() not in labels:
                n += 1
                Isian.objects.create(indikator=ind, urutan=n, label=label, jenis="jumlah")
        RencanaKerja.objects.filter(areas__komponen__indikator=ind).update(
            data_versi=F("data_versi") + 1)


def _tautkan_isian(apps):
    SoalLke = apps.get_model("lke", "SoalLke")  # noqa: N806
    TautanSoal = apps.get_model("lke", "TautanSoal")  # noqa: N806
    TautanIsian = apps.get_model("lke", "TautanIsian")  # noqa: N806
    RencanaKerja = apps.get_model("rencana_aksi", "RencanaKerja")  # noqa: N806
    Indikator = apps.get_model("rencana_aksi", "Indikator")  # noqa: N806
    Isian = apps.get_model("rencana_aksi", "Isian")  # noqa: N806
    for rk in RencanaKerja.objects.all():
        soal = list(SoalLke.objects.filter(komponen__area__lke__tahun=rk.tahun).exclude(
            komponen__area__bagian="hasil").select_related("komponen__area__area"))
        if not soal:
            continue
        per_kom = {}
        for ind in Indikator.objects.filter(komponen__area_rencana__rencana_kerja=rk).select_related(
                "komponen__area_rencana__bagian", "komponen__area_rencana__area").order_by(
                "urutan", "pk"):
            ar = ind.komponen.area_rencana
            kunci = ({"A": "pemenuhan", "B": "reform"}.get(ar.bagian.kode), ar.area.kode,
                     ind.komponen.nomor)
            per_kom.setdefault(kunci, []).append(ind)
        isian = {}
        for s in Isian.objects.filter(indikator__in=[i for v in per_kom.values() for i in v]):
            isian.setdefault(s.indikator_id, []).append(s)
        tertaut = set(TautanSoal.objects.filter(
            indikator__komponen__area_rencana__rencana_kerja=rk).values_list("indikator_id", flat=True))
        per_soal = {}
        for s in soal:
            a = s.komponen.area
            per_soal.setdefault((a.bagian, a.area.kode, s.komponen.nomor), []).append(s)
        for kunci, rows in per_soal.items():
            inds = per_kom.get(kunci, [])
            angka = [s for s in rows if s.macam == "angka"]
            for s, i in pasangan_isian(angka, inds, isian):
                TautanIsian.objects.get_or_create(soal=s, rencana_kerja=rk, defaults={"isian": i})
            pilihan = [s for s in rows if s.macam == "soal" and not TautanSoal.objects.filter(
                soal=s, indikator__komponen__area_rencana__rencana_kerja=rk).exists()]
            for s, i in pasangan_soal(pilihan, inds, tertaut):
                TautanSoal.objects.get_or_create(indikator=i, defaults={"soal": s})


class Migration(migrations.Migration):
    dependencies = [
        ("lke", "0006_soal_id_bilangan"),
        ("rencana_aksi", "0008_logo_unit"),
    ]
    operations = [migrations.RunPython(resmikan, migrations.RunPython.noop)]
