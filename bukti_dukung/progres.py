"""The one progress rule, used by every page, export and report.

A requirement is a bukti dukung in one target month of its rencana aksi; a bukti dukung of
an event-driven action without target months is one requirement for the year. As of a date
D (Asia/Jakarta): a requirement is *disetujui* when its evidence was approved on or before D
(an event-driven one: at least one approved occurrence), *menunggu* when submitted by D and
not decided by then, *perlu perbaikan* when returned by D, *kosong* otherwise; it is
*terlambat* when its month ended before D without approval. Progress = disetujui / all
requirements (of a month, a group, or the whole plan); "sampai" counts only the months up
to D. Each figure is a grouped SQL aggregate: the number of queries does not grow with
units, rows or uploads."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from rencana_aksi.models import BuktiDukung, TargetBulan

from .models import Pengajuan, Status
from .selectors import bulan_berakhir

_RK_RA = "indikator__komponen__area_rencana__rencana_kerja"

# group name -> path from a rencana aksi
KELOMPOK = {
    None: None,
    "bagian": "indikator__komponen__area_rencana__bagian__kode",
    "area": "indikator__komponen__area_rencana_id",
    "komponen": "indikator__komponen_id",
    "indikator": "indikator_id",
    "rencana_aksi": "id",
    "unit": "indikator__komponen__area_rencana__rencana_kerja__unit_id",
    "rencana_kerja": "indikator__komponen__area_rencana__rencana_kerja_id",
    "area_baku": "indikator__komponen__area_rencana__area__kode",
}


@dataclass
class Hitungan:
    total: int = 0
    disetujui: int = 0
    menunggu: int = 0
    perbaikan: int = 0
    terlambat: int = 0

    @property
    def kosong(self):
        return self.total - self.disetujui - self.menunggu - self.perbaikan

    @property
    def persen(self):
        return round(100 * self.disetujui / self.total, 1) if self.total else None

    def __add__(self, other):
        return Hitungan(*(getattr(self, f) + getattr(other, f)
                          for f in ("total", "disetujui", "menunggu", "perbaikan", "terlambat")))


def _akhir(d):
    return timezone.make_aware(datetime.combine(d, time.max))


def _syarat(hari, p=""):
    """The states of a submission as of `hari` (prefix `p` from the queried model):
    approved by then; waiting (submitted by then and not yet decided then); returned by
    then and not resubmitted. The one place where "as of" is decided for submissions."""
    akhir = _akhir(hari)
    ok = Q(**{f"{p}status": Status.DISETUJUI, f"{p}ditinjau_pada__lte": akhir})
    tunggu = Q(**{f"{p}diajukan_pada__lte": akhir}) & (
        Q(**{f"{p}status": Status.DIAJUKAN}) | Q(**{f"{p}ditinjau_pada__gt": akhir}))
    balik = Q(**{f"{p}status": Status.PERLU_PERBAIKAN, f"{p}ditinjau_pada__lte": akhir})
    return ok, tunggu, balik


def _kunci(per, prefix, dari_bd=False):
    """{name: expression} grouping keys for `per` (a name or a tuple of names), seen from
    a model whose path to the rencana aksi is `prefix` (`dari_bd`: the model is BuktiDukung)."""
    names = per if isinstance(per, tuple) else (per,) if per else ()
    keys = {}
    for name in names:
        if name == "bukti_dukung":
            keys[name] = F("id") if dari_bd else F(f"{prefix}bukti_dukung__id")
        elif name == "bulan":
            keys[name] = F("bulan")
        elif name == "pic":
            keys[name] = Coalesce(F(f"{prefix}pic_id"), F(f"{prefix}indikator__komponen__pic_id"))
        else:
            keys[name] = F(f"{prefix}{KELOMPOK[name]}")
    return keys


def _baris(qs, keys, **aggs):
    """Grouped aggregate rows with "k": the key value (a tuple for several keys, None
    when there are none, then a single row)."""
    if not keys:
        return [{"k": None, **qs.aggregate(**aggs)}]
    names = [f"k_{n}" for n in keys]
    rows = (qs.annotate(**{f"k_{n}": e for n, e in keys.items()}).values(*names)
            .annotate(**aggs).order_by())
    return [{**r, "k": tuple(r[n] for n in names) if len(names) > 1 else r[names[0]]}
            for r in rows]


def _dalam(prefix, lingkup):
    """Filters that keep rows of the plans in scope, seen through `prefix`."""
    return {f"{prefix}{_RK_RA}{suffix}": value for suffix, value in lingkup.items()}


def hitung_progres(rk=None, *, per=None, sampai=None, hari=None, lingkup=None):
    """{group key: Hitungan} for plan `rk` (or for every plan matching `lingkup`, filters
    on the plan such as {"__tahun": 2024, "__unit__in": units}). `per`: a name of
    KELOMPOK, "bulan", "pic" (effective PIC id, None = unassigned) or "bukti_dukung", or
    a tuple of them; key None when per is None. `sampai`: only months up to that month;
    `hari`: the date "as of" (default today in Asia/Jakarta)."""
    hari = hari or timezone.localdate()
    bulan_ini = hari.replace(day=1)
    lingkup = lingkup if lingkup is not None else {"": rk}
    out = defaultdict(Hitungan)

    # 1. month requirements (target months x bukti dukung) with their evidence, one query
    tb = TargetBulan.objects.filter(**_dalam("rencana_aksi__", lingkup)).annotate(
        pj=FilteredRelation("rencana_aksi__bukti_dukung__pengajuan",
                            condition=Q(rencana_aksi__bukti_dukung__pengajuan__bulan=F("bulan"))))
    if sampai:
        tb = tb.filter(bulan__lte=sampai)
    approved, tunggu, balik = _syarat(hari, "pj__")
    lewat = Q(bulan__lt=bulan_ini)
    for r in _baris(tb, _kunci(per, "rencana_aksi__"), n=Count("rencana_aksi__bukti_dukung"),
                    lewat=Count("rencana_aksi__bukti_dukung", filter=lewat),
                    ok=Count("pj", filter=approved),
                    ok_lewat=Count("pj", filter=approved & lewat),
                    tunggu=Count("pj", filter=tunggu),
                    balik=Count("pj", filter=balik)):
        h = out[r["k"]]
        h.total += r["n"] or 0
        h.terlambat += (r["lewat"] or 0) - (r["ok_lewat"] or 0)
        h.disetujui += r["ok"] or 0
        h.menunggu += r["tunggu"] or 0
        h.perbaikan += r["balik"] or 0

    # 3. event-driven actions without months: one requirement per bukti dukung
    if "bulan" not in (per if isinstance(per, tuple) else (per,)):
        occ = Pengajuan.objects.filter(bukti_dukung=OuterRef("pk"), tanggal_kejadian__isnull=False)
        bds = BuktiDukung.objects.filter(**_dalam("rencana_aksi__", lingkup),
                                         rencana_aksi__per_kejadian=True,
                                         rencana_aksi__target_bulan__isnull=True)
        q_ok, q_tunggu, q_balik = _syarat(hari)
        bds = bds.annotate(ok=Exists(occ.filter(q_ok)), tunggu=Exists(occ.filter(q_tunggu)),
                           balik=Exists(occ.filter(q_balik)))
        for r in _baris(bds, _kunci(per, "rencana_aksi__", dari_bd=True),
                        n=Count("id", distinct=True),
                        ok_n=Count("id", filter=Q(ok=True), distinct=True),
                        tunggu_n=Count("id", filter=Q(ok=False, tunggu=True), distinct=True),
                        balik_n=Count("id", filter=Q(ok=False, tunggu=False, balik=True),
                                      distinct=True)):
            if not r["n"]:
                continue
            h = out[r["k"]]
            h.total += r["n"]
            h.disetujui += r["ok_n"] or 0
            h.menunggu += r["tunggu_n"] or 0
            h.perbaikan += r["balik_n"] or 0
    return dict(out)


def per_rencana(plans, nama, hitung, hari=None):
    """{plan pk: value} for many plans, each value cached under (nama, plan, its
    data_versi, day): only plans changed since are computed, all of them at once by
    `hitung(plan ids, hari)` -> {plan pk: value}. Every write that can move a figure
    bumps data_versi (rencana_aksi.signals); the timeout is only a safety net."""
    from django.core.cache import cache

    hari = hari or timezone.localdate()
    keys = {rk.pk: f"zi:{nama}:{rk.pk}:{rk.data_versi}:{hari.isoformat()}" for rk in plans}
    got = cache.get_many(list(keys.values()))
    out = {pk: got[key] for pk, key in keys.items() if key in got}
    missing = [pk for pk in keys if pk not in out]
    if missing:
        fresh = hitung(missing, hari)
        fresh = {pk: fresh.get(pk) for pk in missing}
        cache.set_many({keys[pk]: v for pk, v in fresh.items()}, timeout=3600)
        out.update(fresh)
    return out


def progres_per_rencana(plans, per=None, hari=None):
    """`hitung_progres(rk, per=per)` for each of `plans`: {plan pk: {key: Hitungan}},
    cached per plan version (see per_rencana)."""
    names = per if isinstance(per, tuple) else (per,) if per else ()

    def hitung(ids, hari):
        out = defaultdict(dict)
        for key, h in hitung_progres(per=("rencana_kerja", *names), lingkup={"__in": ids},
                                     hari=hari).items():
            rest = key[1:] if len(names) > 1 else key[1] if names else None
            out[key[0]][rest] = h
        return {pk: out.get(pk, {}) for pk in ids}

    return per_rencana(plans, f"progres:{'.'.join(names)}", hitung, hari)


def progres_total(rk, **kw):
    return hitung_progres(rk, **kw).get(None, Hitungan())


def bulan_tahun(rk):
    return [date(rk.tahun, m, 1) for m in range(1, 13)]


def angka_indikator(rk):
    """The plan's numeric inputs with their derived percentages:
    [(indikator, [(isian, value)], [Hasil])] for indikator that have numeric sub-rows."""
    from rencana_aksi.models import Isian

    from .angka import hitung
    from .models import NilaiIsian

    isian = list(Isian.objects.filter(indikator__komponen__area_rencana__rencana_kerja=rk)
                 .select_related("indikator").order_by("indikator_id", "urutan"))
    nilai = dict(NilaiIsian.objects.filter(isian__in=isian).values_list("isian_id", "nilai"))
    out, by_ind = [], {}
    for s in isian:
        by_ind.setdefault(s.indikator, []).append(s)
    for ind, rows in by_ind.items():
        vals = {s.pk: nilai.get(s.pk) for s in rows}
        out.append((ind, [(s, vals[s.pk]) for s in rows], hitung(rows, vals)))
    return out


STATUS_DAFTAR = ("disetujui", "menunggu", "perbaikan", "kosong", "terlambat")


def keadaan(status, ditinjau_pada, hari, diajukan_pada):
    """One requirement's state as of `hari` from its submission's status, review and
    submission times: the row-by-row form of `_syarat`."""
    akhir = _akhir(hari)
    ditinjau = ditinjau_pada is not None and ditinjau_pada <= akhir
    if status == Status.DISETUJUI and ditinjau:
        return "disetujui"
    if status == Status.PERLU_PERBAIKAN and ditinjau:
        return "perbaikan"
    diajukan = diajukan_pada is not None and diajukan_pada <= akhir
    if status and diajukan and (status == Status.DIAJUKAN or not ditinjau):
        return "menunggu"
    return "kosong"


def daftar_kebutuhan(rk, *, status=None, area=None, komponen=None, pic=None, bulan=None,
                     hari=None):
    """The requirements behind a dashboard figure, by the same rule as `hitung_progres`:
    [{"bukti_dukung", "rencana_aksi", "bulan", "status", "terlambat"}]. Two queries."""
    from django.db.models import OuterRef, Subquery

    from rencana_aksi.models import RencanaAksi

    hari = hari or timezone.localdate()
    ra_filter = {}
    if area:
        ra_filter["indikator__komponen__area_rencana_id"] = area
    if komponen:
        ra_filter["indikator__komponen_id"] = komponen
    ras = RencanaAksi.objects.filter(**{_RK_RA: rk}, **ra_filter)
    if pic == "kosong":
        ras = ras.filter(pic__isnull=True, indikator__komponen__pic__isnull=True)
    elif pic:
        ras = ras.filter(Q(pic_id=pic) | Q(pic__isnull=True, indikator__komponen__pic_id=pic))
    ras = {ra.pk: ra for ra in ras.select_related("indikator__komponen__area_rencana__area",
                                                  "indikator__komponen__area_rencana__bagian")}
    pj = Pengajuan.objects.filter(bukti_dukung=OuterRef("rencana_aksi__bukti_dukung"),
                                  bulan=OuterRef("bulan"))
    rows = (TargetBulan.objects.filter(rencana_aksi_id__in=ras.keys())
            .values("rencana_aksi_id", "bulan", "rencana_aksi__bukti_dukung",
                    "rencana_aksi__bukti_dukung__nama")
            .annotate(st=Subquery(pj.values("status")[:1]),
                      tgl=Subquery(pj.values("ditinjau_pada")[:1]),
                      aju=Subquery(pj.values("diajukan_pada")[:1]))
            .order_by("bulan", "rencana_aksi_id", "rencana_aksi__bukti_dukung"))
    if bulan:
        rows = rows.filter(bulan=bulan)
    out = []
    for r in rows:
        if r["rencana_aksi__bukti_dukung"] is None:
            continue
        st = keadaan(r["st"], r["tgl"], hari, r["aju"])
        late = st != "disetujui" and bulan_berakhir(r["bulan"], hari)
        if status and not (status == st or (status == "terlambat" and late)):
            continue
        out.append({"bukti_dukung_id": r["rencana_aksi__bukti_dukung"],
                    "nama": r["rencana_aksi__bukti_dukung__nama"],
                    "rencana_aksi": ras[r["rencana_aksi_id"]], "bulan": r["bulan"],
                    "status": st, "terlambat": late})
    return out


def linimasa(rk, hari=None):
    """The plan as a Gantt: for each rencana aksi the state of each month of the year
    ("disetujui", "perbaikan", "menunggu", "terlambat", "kosong"; None: no target that
    month). Returns (months, [(rencana aksi, [state or None] * 12)]). Three queries."""
    from rencana_aksi.models import RencanaAksi

    hari = hari or timezone.localdate()
    months = bulan_tahun(rk)
    need = defaultdict(int)
    for r in (TargetBulan.objects.filter(**{f"rencana_aksi__{_RK_RA}": rk}, bulan__in=months)
              .values("rencana_aksi_id", "bulan")
              .annotate(n=Count("rencana_aksi__bukti_dukung")).order_by()):
        need[r["rencana_aksi_id"], r["bulan"]] = r["n"]
    got = {}
    q_ok, q_tunggu, q_balik = _syarat(hari)
    pj = Pengajuan.objects.filter(**{f"bukti_dukung__rencana_aksi__{_RK_RA}": rk},
                                  bulan__in=months)
    for r in (pj.values("bukti_dukung__rencana_aksi_id", "bulan").annotate(
            ok=Count("id", filter=q_ok), tunggu=Count("id", filter=q_tunggu),
            balik=Count("id", filter=q_balik)).order_by()):
        got[r["bukti_dukung__rencana_aksi_id"], r["bulan"]] = r
    ras = (RencanaAksi.objects.filter(**{_RK_RA: rk})
           .select_related("indikator__komponen__area_rencana__area",
                           "indikator__komponen__area_rencana__bagian")
           .order_by("indikator__komponen__area_rencana__bagian__kode",
                     "indikator__komponen__area_rencana__area__urutan",
                     "indikator__komponen__nomor", "indikator__urutan", "urutan"))
    rows = []
    for ra in ras:
        cells = []
        for m in months:
            n = need.get((ra.pk, m), 0)
            g = got.get((ra.pk, m), {})
            if not n:
                cells.append(None)
            elif g.get("ok", 0) >= n:
                cells.append("disetujui")
            elif g.get("balik"):
                cells.append("perbaikan")
            elif g.get("tunggu"):
                cells.append("menunggu")
            elif bulan_berakhir(m, hari):
                cells.append("terlambat")
            else:
                cells.append("kosong")
        rows.append((ra, cells))
    return months, rows
