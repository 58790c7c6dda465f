"""Read models of the LKE: the tree of a year, a unit's score, links and evidence; each in a
fixed number of queries."""

from collections import defaultdict

from django.db.models import Prefetch

from bukti_dukung.angka import rumus_indikator
from bukti_dukung.models import Berkas, NilaiIsian, Status
from rencana_aksi.models import Indikator, Isian

from . import skor as S
from .models import Aturan, JawabanLke, KomponenLke, KriteriaPredikat, LembarKerja, SoalLke, TautanSoal


def lke_tahun(tahun):
    """The LKE of a year with its answer types and criteria, or None."""
    return (LembarKerja.objects.filter(tahun=tahun)
            .prefetch_related(Prefetch("kriteria",
                                       queryset=KriteriaPredikat.objects.select_related("area")))
            .first())


def pohon(lke):
    """The areas of an LKE with komponen and questions (and their answer types) loaded."""
    return list(lke.areas.select_related("area").order_by("urutan").prefetch_related(
        Prefetch("komponen", queryset=KomponenLke.objects.order_by("nomor").prefetch_related(
            Prefetch("soal", queryset=SoalLke.objects.select_related("jenis").order_by("urutan"))))))


def tautan_rencana(rk, lke):
    """{soal pk: [indikator pk]} for the plan's indikator linked to this LKE's questions."""
    out = defaultdict(list)
    for soal_id, ind_id in TautanSoal.objects.filter(
            soal__komponen__area__lke=lke,
            indikator__komponen__area_rencana__rencana_kerja=rk).values_list(
            "soal_id", "indikator_id").order_by("indikator_id"):
        out[soal_id].append(ind_id)
    return out


def _isian(ind_ids, pada=None):
    per_ind, nilai = defaultdict(list), {}
    rows = list(Isian.objects.filter(indikator_id__in=ind_ids).order_by("indikator_id", "urutan"))
    for s in rows:
        per_ind[s.indikator_id].append(s)
    qs = NilaiIsian.history.as_of(pada) if pada else NilaiIsian.objects
    for n in qs.filter(isian_id__in=[s.pk for s in rows]):
        nilai[n.isian_id] = n.nilai
    return per_ind, nilai


def nilai_soal_unit(rk, areas, tautan, pada=None):
    """{soal pk: NilaiSoal} for the unit of `rk`: its answers, the TPI's, and the figures of
    count/percentage questions from the plan's numeric inputs. `pada`: as they stood at
    that moment (from the audit history), e.g. the last day of a semester."""
    soal = [s for a in areas for k in a.komponen.all() for s in k.soal.all()]
    if pada:
        qs = JawabanLke.history.as_of(pada)
    else:
        qs = JawabanLke.objects.select_related("diisi_oleh", "dinilai_oleh")
    jawaban = {j.soal_id: j for j in qs.filter(unit_id=rk.unit_id, soal_id__in=[s.pk for s in soal])}
    per_ind, nilai = _isian([i for ids in tautan.values() for i in ids], pada)
    out = {}
    for s in soal:
        j = jawaban.get(s.pk)
        ns = S.NilaiSoal(s, None, None, jawaban=j)
        if s.jenis.aturan in (Aturan.JUMLAH, Aturan.PERSENTASE):
            isian = [x for i in tautan.get(s.pk, []) for x in per_ind[i]]
            if rumus_indikator(isian) or any(x.jenis == "persentase" for x in isian):
                ns.dari_isian = True
                ns.unit, ns.keterangan = S.nilai_dari_isian(s.jenis, isian, nilai)
        if j:
            if not ns.dari_isian:
                ns.unit = S.nilai_jawaban(s.jenis, j.jawaban_unit)
            ns.tpi = S.nilai_jawaban(s.jenis, j.jawaban_tpi)
        out[s.pk] = ns
    return out


def skor_rencana(rk, lke=None, pada=None):
    """(Skor, areas, tautan) of the unit of plan `rk` against the LKE of its year (as it
    stood at `pada`, when given); None when that year has no LKE."""
    lke = lke or lke_tahun(rk.tahun)
    if lke is None:
        return None
    areas = pohon(lke)
    tautan = tautan_rencana(rk, lke)
    return S.hitung(lke, areas, nilai_soal_unit(rk, areas, tautan, pada)), areas, tautan


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


def bukti_soal(tautan):
    """{soal pk: [Berkas]}: the approved evidence of the linked indikator's rencana aksi
    (current files of approved submissions)."""
    ind_soal = {i: s for s, ids in tautan.items() for i in ids}
    out = defaultdict(list)
    qs = (Berkas.objects.aktif().filter(
        pengajuan__status=Status.DISETUJUI,
        pengajuan__bukti_dukung__rencana_aksi__indikator_id__in=list(ind_soal))
        .select_related("pengajuan__bukti_dukung__rencana_aksi")
        .order_by("pengajuan__bukti_dukung__rencana_aksi__urutan", "pengajuan__bulan", "pk"))
    for b in qs:
        if b.putaran != b.pengajuan.putaran:
            continue
        out[ind_soal[b.pengajuan.bukti_dukung.rencana_aksi.indikator_id]].append(b)
    return out


def pic_per_soal(tautan):
    """{soal pk: {user id}}: PICs of the komponen and rencana aksi linked to each question."""
    from rencana_aksi.models import RencanaAksi

    ind_soal = {i: s for s, ids in tautan.items() for i in ids}
    out = defaultdict(set)
    for ind_id, ra_pic, kom_pic in RencanaAksi.objects.filter(
            indikator_id__in=list(ind_soal)).values_list(
            "indikator_id", "pic_id", "indikator__komponen__pic_id"):
        for u in (ra_pic, kom_pic):
            if u:
                out[ind_soal[ind_id]].add(u)
    return out


def indikator_tertaut(tautan):
    """{soal pk: [Indikator]} with their komponen loaded, for showing the links."""
    ids = [i for ids in tautan.values() for i in ids]
    by_id = {i.pk: i for i in Indikator.objects.filter(pk__in=ids).select_related(
        "komponen__area_rencana__bagian", "komponen__area_rencana__area").prefetch_related(
        "rencana_aksi")}
    return {s: [by_id[i] for i in ids if i in by_id] for s, ids in tautan.items()}
