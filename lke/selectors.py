"""Read models of the LKE: the tree of a year, a unit's score, links and evidence; each in a
fixed number of queries."""

from collections import defaultdict

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.translation import gettext as _

from bukti_dukung import kebutuhan
from bukti_dukung.models import NilaiIsian
from rencana_aksi.models import Indikator, RencanaAksi

from . import skor as S
from .models import (
    JawabanLke,
    KomponenLke,
    KriteriaPredikat,
    LembarKerja,
    RumusLke,
    SoalLke,
    TautanIsian,
    TautanSoal,
)


def lke_tahun(tahun):
    """The LKE of a year with its answer types and criteria, or None."""
    return (LembarKerja.objects.filter(tahun=tahun)
            .prefetch_related(Prefetch("kriteria",
                                       queryset=KriteriaPredikat.objects.select_related("area")))
            .first())


def pohon(lke):
    """The areas of an LKE with komponen, rows (and their answer types) and numeric rules
    loaded."""
    return list(lke.areas.select_related("area").order_by("urutan").prefetch_related(
        Prefetch("komponen", queryset=KomponenLke.objects.order_by("nomor").prefetch_related(
            Prefetch("soal", queryset=SoalLke.objects.select_related("jenis").order_by("urutan")),
            Prefetch("rumus", queryset=RumusLke.objects.order_by("urutan").prefetch_related(
                Prefetch("atas", queryset=SoalLke.objects.only("pk")),
                Prefetch("bawah", queryset=SoalLke.objects.only("pk"))))))))


def isian_rencana(rk, lke):
    """{soal pk: Isian} for the count rows linked to the plan's numeric inputs."""
    if rk.pk is None:
        return {}
    return {t.soal_id: t.isian for t in TautanIsian.objects.filter(
        rencana_kerja=rk, soal__komponen__area__lke=lke).select_related("isian")}


def tautan_rencana(rk, lke, isian=None):
    """{soal pk: [indikator pk]} for the plan's indikator linked to this LKE's rows: choice
    questions by their link, count rows through the indikator of their numeric input."""
    out = defaultdict(list)
    if rk.pk is None:
        return out
    for soal_id, ind_id in TautanSoal.objects.filter(
            soal__komponen__area__lke=lke,
            indikator__komponen__area_rencana__rencana_kerja=rk).values_list(
            "soal_id", "indikator_id").order_by("indikator_id"):
        out[soal_id].append(ind_id)
    for soal_id, i in (isian if isian is not None else isian_rencana(rk, lke)).items():
        out[soal_id].append(i.indikator_id)
    return out


def nilai_soal_unit(rk, areas, tautan, pada=None, isian=None):
    """{soal pk: NilaiSoal} for the unit of `rk`: its answers, the TPI's, and the counts of
    count rows from the plan's numeric inputs (typed in the LKE when a row has none).
    `pada`: as they stood at that moment (from the audit history), e.g. the last day of a
    semester. `isian`: {soal pk: Isian} when already loaded."""
    soal = [s for a in areas for k in a.komponen.all() for s in k.soal.all()]
    if pada:
        qs = JawabanLke.history.as_of(pada)
    else:
        qs = JawabanLke.objects.select_related("diisi_oleh", "dinilai_oleh")
    jawaban = {j.soal_id: j for j in qs.filter(unit_id=rk.unit_id, soal_id__in=[s.pk for s in soal])}
    if isian is None:
        isian = isian_rencana(rk, areas[0].lke_id) if areas else {}
    nilai = {}
    if isian:
        qs_n = NilaiIsian.history.as_of(pada) if pada else NilaiIsian.objects
        nilai = {n.isian_id: n.nilai
                 for n in qs_n.filter(isian_id__in=[i.pk for i in isian.values()])}
    return _nilai_soal(soal, jawaban, isian, nilai)


def _nilai_soal(soal, jawaban, isian, nilai):
    """{soal pk: NilaiSoal} from loaded rows: `jawaban` {soal pk: JawabanLke}, `isian`
    {soal pk: Isian}, `nilai` {isian pk: Decimal}."""
    out = {}
    for s in soal:
        j = jawaban.get(s.pk)
        ns = S.NilaiSoal(s, None, None, jawaban=j)
        if s.angka:
            i = isian.get(s.pk)
            if i is not None:
                ns.dari_isian, ns.isian = True, i
                ns.angka_unit = nilai.get(i.pk)
                ns.keterangan = (_("dari isian rencana “%(l)s”") % {"l": i.label}
                                 if ns.angka_unit is not None else
                                 _("isian rencana “%(l)s” belum diisi") % {"l": i.label})
            elif j:
                ns.angka_unit = S.cacah(j.jawaban_unit)
            if j:
                ns.angka_tpi = S.cacah(j.jawaban_tpi)
        elif j:
            ns.unit = S.nilai_jawaban(s.jenis, j.jawaban_unit)
            ns.tpi = S.nilai_jawaban(s.jenis, j.jawaban_tpi)
        out[s.pk] = ns
    return out


def skor_banyak(rks, lke):
    """{unit pk: Skor} of many units against one LKE in a fixed number of queries: `rks`
    are their plans of that year (unsaved for a unit without one: typed answers only)."""
    areas = pohon(lke)
    soal = [s for a in areas for k in a.komponen.all() for s in k.soal.all()]
    jawaban = defaultdict(dict)
    for j in JawabanLke.objects.filter(unit_id__in=[rk.unit_id for rk in rks],
                                       soal_id__in=[s.pk for s in soal]):
        jawaban[j.unit_id][j.soal_id] = j
    isian = defaultdict(dict)
    for t in TautanIsian.objects.filter(rencana_kerja__in=[rk for rk in rks if rk.pk],
                                        soal__komponen__area__lke=lke).select_related("isian"):
        isian[t.rencana_kerja_id][t.soal_id] = t.isian
    nilai = dict(NilaiIsian.objects.filter(
        isian_id__in=[i.pk for per in isian.values() for i in per.values()]).values_list(
        "isian_id", "nilai"))
    return {rk.unit_id: S.hitung(lke, areas, _nilai_soal(
        soal, jawaban[rk.unit_id], isian[rk.pk] if rk.pk else {}, nilai)) for rk in rks}


def skor_rencana(rk, lke=None, pada=None):
    """(Skor, areas, tautan) of the unit of plan `rk` against the LKE of its year (as it
    stood at `pada`, when given); None when that year has no LKE. A `rk` not saved (a unit
    without a plan that year) is scored from its typed answers only."""
    lke = lke or lke_tahun(rk.tahun)
    if lke is None:
        return None
    areas = pohon(lke)
    isian = isian_rencana(rk, lke)
    tautan = tautan_rencana(rk, lke, isian)
    return S.hitung(lke, areas, nilai_soal_unit(rk, areas, tautan, pada, isian)), areas, tautan


def tak_tertaut(rk, lke, areas, tautan):
    """Questions with no indikator of the plan, and the plan's indikator with no question."""
    # Hasil questions (surveys, capaian kinerja) are answered directly, not by the plan
    soal = [s for a in areas if a.bagian != "hasil" for k in a.komponen.all() for s in k.soal.all()
            if s.pk not in tautan]
    tertaut = {i for ids in tautan.values() for i in ids}
    indikator = [i for i in Indikator.objects.filter(
        komponen__area_rencana__rencana_kerja=rk).select_related(
        "komponen__area_rencana__bagian", "komponen__area_rencana__area").order_by(
        "komponen__area_rencana__bagian__kode", "komponen__area_rencana__area__urutan",
        "komponen__nomor", "urutan") if i.pk not in tertaut]
    return soal, indikator


def bukti_soal(rk, tautan):
    """{soal pk: [Berkas]}: the files of the approved requirements (the ledger's) of the
    linked indikator's rencana aksi."""
    ind_soal = _per_indikator(tautan)
    out = defaultdict(list)
    if rk.pk is None or not ind_soal:  # a unit without a plan that year has no evidence
        return out
    qs = (kebutuhan.berkas_disetujui(rk).filter(
        pengajuan__bukti_dukung__rencana_aksi__indikator_id__in=list(ind_soal))
        .select_related("pengajuan__bukti_dukung__rencana_aksi")
        .order_by("pengajuan__bukti_dukung__rencana_aksi__urutan", "pengajuan__bulan", "pk"))
    for b in qs:
        for s in ind_soal[b.pengajuan.bukti_dukung.rencana_aksi.indikator_id]:
            out[s].append(b)
    return out


def _per_indikator(tautan):
    """{indikator pk: [soal pk]}: one indikator may answer several rows (count rows)."""
    out = defaultdict(list)
    for s, ids in tautan.items():
        for i in ids:
            out[i].append(s)
    return out


def pic_per_soal(tautan):
    """{soal pk: {user id}}: PICs of the komponen and rencana aksi linked to each question."""
    ind_soal = _per_indikator(tautan)
    out = defaultdict(set)
    for ind_id, ra_pic, kom_pic in RencanaAksi.objects.filter(
            indikator_id__in=list(ind_soal)).values_list(
            "indikator_id", "pic_id", "indikator__komponen__pic_id"):
        for u in (ra_pic, kom_pic):
            if u:
                for s in ind_soal[ind_id]:
                    out[s].add(u)
    return out


def indikator_tertaut(tautan):
    """{soal pk: [Indikator]} with their komponen loaded and `ra_pertama`, the pk of their
    first rencana aksi (where their numeric inputs are filled), for showing the links."""
    ids = [i for ids in tautan.values() for i in ids]
    pertama = RencanaAksi.objects.filter(indikator=OuterRef("pk")).order_by("urutan", "pk")
    by_id = {i.pk: i for i in Indikator.objects.filter(pk__in=ids).select_related(
        "komponen__area_rencana__bagian", "komponen__area_rencana__area").annotate(
        ra_pertama=Subquery(pertama.values("pk")[:1]))}
    return {s: [by_id[i] for i in ids if i in by_id] for s, ids in tautan.items()}
