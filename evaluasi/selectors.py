"""Read models of the round: its units with their TPI and windows, the unit's answers as
submitted (the frozen copy), what is still unanswered, and the rekap of a year. Scores
come only from lke (`skor_banyak` runs the same `lke.skor.hitung` as `hitung_lke`)."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from bukti_dukung.models import NilaiIsian
from lke import selectors as lke_selectors
from lke import skor as S
from rencana_aksi.models import RencanaKerja

from .models import Pengembalian, PenugasanTPI, SalinanJawaban, StatusPengembalian
from .rekap import baris_rekap


def peserta_putaran(putaran):
    """The units of a round with their TPI, extensions and submitter, in a fixed number
    of queries."""
    return list(putaran.peserta.select_related("unit", "diajukan_oleh").prefetch_related(
        "perpanjangan", Prefetch("penugasan", queryset=PenugasanTPI.objects.select_related(
            "user"))).order_by("unit__nama", "pk"))


def penugasan_saya(user, putaran):
    """The TPI's assignments in a round, with each unit, its window extensions and its
    fellow TPI, in a fixed number of queries."""
    return list(PenugasanTPI.objects.filter(
        user=user, peserta__putaran=putaran, peserta__unit__is_active=True).select_related(
        "peserta__unit", "peserta__putaran", "peserta__diajukan_oleh").prefetch_related(
        "peserta__perpanjangan", Prefetch("peserta__penugasan",
                                          queryset=PenugasanTPI.objects.select_related("user")))
        .order_by("peserta__unit__nama"))


def rencana_peserta(peserta):
    """The unit's plan of the round's year (unsaved when it has none: typed answers only)."""
    tahun = peserta.putaran.tahun
    return (RencanaKerja.objects.filter(unit=peserta.unit, tahun=tahun).first()
            or RencanaKerja(unit=peserta.unit, tahun=tahun))


def nilai_unit(peserta, lke):
    """(areas, {soal pk: NilaiSoal}) of the unit's LKE of the round's year, as the LKE
    page loads them (counts from the plan's numeric inputs where linked)."""
    rk = rencana_peserta(peserta)
    areas = lke_selectors.pohon(lke)
    isian = lke_selectors.isian_rencana(rk, lke)
    return areas, lke_selectors.nilai_soal_unit(rk, areas, {}, isian=isian)


def terjawab_unit(ns):
    """Whether the unit has given this row a value (a choice, an index, a count)."""
    return (ns.angka_unit if ns.soal.angka else ns.unit) is not None


def belum_dijawab(areas, nilai):
    """The rows the unit has not answered yet, in LKE order."""
    return [nilai[s.pk] for a in areas for k in a.komponen.all() for s in k.soal.all()
            if not terjawab_unit(nilai[s.pk])]


def baris_salinan(areas, nilai):
    """The unit side of every row, as SalinanJawaban fields: a choice or index as typed,
    a count as the plan's input (else typed), with who filled it and when."""
    isian_ids = [ns.isian.pk for ns in nilai.values() if ns.isian is not None]
    pengisi = {n.isian_id: n for n in NilaiIsian.objects.filter(isian_id__in=isian_ids)}
    out = []
    for a in areas:
        for k in a.komponen.all():
            for s in k.soal.all():
                ns, j = nilai[s.pk], nilai[s.pk].jawaban
                baris = {"soal": s, "jawaban": j.jawaban_unit if j else "",
                         "catatan": j.catatan_unit if j else "",
                         "diisi_oleh_id": j.diisi_oleh_id if j else None,
                         "diisi_pada": j.diisi_pada if j else None}
                if ns.dari_isian:
                    n = pengisi.get(ns.isian.pk)
                    angka = S.bilangan_keluar(ns.angka_unit)
                    baris.update(jawaban="" if angka is None else str(angka),
                                 diisi_oleh_id=n.diisi_oleh_id if n else None,
                                 diisi_pada=n.diisi_pada if n else None)
                out.append(baris)
    return out


def jawaban_untuk_tpi(peserta):
    """{soal pk: SalinanJawaban}: the unit's answers, notes, who and when, frozen at
    submission; empty before the unit has submitted. Later edits never show here."""
    return {s.soal_id: s for s in SalinanJawaban.objects.filter(peserta=peserta)
            .select_related("soal__komponen", "soal__jenis", "diisi_oleh")
            .order_by("soal__komponen__area__urutan", "soal__komponen__nomor", "soal__urutan")}


def jumlah_dikembalikan_terbuka(peserta):
    """Questions the TPI sent back to the unit and not yet closed (waiting for the unit's
    fix or for the TPI's check)."""
    return peserta.pengembalian.terbuka().count()


def jumlah_menunggu_unit(unit, tahun):
    """The unit's sent-back questions waiting for its fix in the round of `tahun`."""
    return Pengembalian.objects.filter(peserta__unit=unit, peserta__putaran__tahun=tahun,
                                       status=StatusPengembalian.DIKEMBALIKAN).count()


def linimasa(rows):
    """The steps of one question's rounds (rows oldest first) as [{pada, oleh, langkah,
    teks}]: sent back, fixed, closed; a round sent back again shows as the next one's start."""
    out = []
    for r in rows:
        out.append({"pada": r.dikembalikan_pada, "oleh": r.dikembalikan_oleh,
                    "langkah": _("Dikembalikan") if r.ke == 1 else _("Dikembalikan lagi"),
                    "teks": r.alasan})
        if r.diperbaiki_pada:
            out.append({"pada": r.diperbaiki_pada, "oleh": r.diperbaiki_oleh,
                        "langkah": _("Sudah diperbaiki"), "teks": r.catatan_perbaikan})
        if r.status == StatusPengembalian.DITUTUP:
            out.append({"pada": r.diperiksa_pada, "oleh": r.diperiksa_oleh,
                        "langkah": _("Ditutup"), "teks": ""})
    return out


def pengembalian_peserta(peserta, soal=None):
    """{soal pk: [Pengembalian, oldest first]} of the unit (or of one question), in one
    query."""
    qs = peserta.pengembalian.select_related(
        "soal__komponen__area", "soal__jenis", "dikembalikan_oleh", "diperbaiki_oleh",
        "diperiksa_oleh")
    if soal is not None:
        qs = qs.filter(soal=soal)
    out = {}
    for p in qs:
        out.setdefault(p.soal_id, []).append(p)
    return out


def soal_dikembalikan(peserta, status=None):
    """The unit's open send-backs (or those of one `status`): the ones waiting for the
    unit first, then LKE order; each with its `linimasa` and its frozen copy (`salinan`),
    in a fixed number of queries."""
    per_soal = pengembalian_peserta(peserta)
    buka = [rows[-1] for rows in per_soal.values() if rows[-1].terbuka
            and (status is None or rows[-1].status == status)]
    salinan = {s.soal_id: s for s in SalinanJawaban.objects.filter(
        peserta=peserta, soal_id__in=[p.soal_id for p in buka]).select_related("diisi_oleh")}
    for p in buka:
        p.linimasa = linimasa(per_soal[p.soal_id])
        p.salinan = salinan.get(p.soal_id)
    urut = {StatusPengembalian.DIKEMBALIKAN: 0, StatusPengembalian.DIPERBAIKI: 1}
    return sorted(buka, key=lambda p: (urut[p.status], p.soal.komponen.area.urutan,
                                       p.soal.komponen.nomor, p.soal.urutan))


def peserta_rekap(putaran):
    """The round's units the rekap lists (command and page): the active ones."""
    return putaran.peserta.filter(unit__is_active=True).select_related("unit", "putaran")


def rekap(putaran, lke):
    """The rekap of a round as the `rekap_evaluasi` JSON rows (evaluasi/rekap.py): its
    active units, as on the rekap page."""
    peserta = peserta_rekap(putaran).order_by("unit__kode")
    return [b.sebagai_json() for b in baris_rekap(peserta, lke, urut="kode")]

