"""The requirement ledger: the one place that decides what a plan requires and the state of
each requirement as of a date. Every figure aggregates it and every list filters it.

A requirement is a bukti dukung in one target month of its rencana aksi; a bukti dukung of
an event-driven action without target months is one requirement for the year. As of a day
D (Asia/Jakarta, to the end of that day) a submission is *disetujui* when approved by then,
*perbaikan* when returned by then, *menunggu* when submitted by then and not decided then,
else *kosong*. A month requirement has the state of its month's submission; an event
requirement has the best state of its occurrences (disetujui > menunggu > perbaikan). A
month requirement is *terlambat* when its month ended before D without approval.
`kebutuhan()` is one queryset (one row per requirement, no per-row queries)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from rencana_aksi.models import BuktiDukung, RencanaAksi, kolom_pic_efektif

from .models import Berkas, Pengajuan, Status

RK = "indikator__komponen__area_rencana__rencana_kerja"  # from a rencana aksi

# the states, best first; "terlambat" is a flag on top of a state
DISETUJUI, MENUNGGU, PERBAIKAN, KOSONG = 3, 2, 1, 0
KEADAAN = {DISETUJUI: "disetujui", MENUNGGU: "menunggu", PERBAIKAN: "perbaikan", KOSONG: "kosong"}
PERINGKAT = {v: k for k, v in KEADAAN.items()}
STATUS_DAFTAR = ("disetujui", "menunggu", "perbaikan", "kosong", "terlambat")

# group name -> path from a rencana aksi
KELOMPOK = {
    "bagian": "indikator__komponen__area_rencana__bagian__kode",
    "area": "indikator__komponen__area_rencana_id",
    "komponen": "indikator__komponen_id",
    "indikator": "indikator_id",
    "rencana_aksi": "id",
    "unit": f"{RK}__unit_id",
    "rencana_kerja": f"{RK}_id",
    "area_baku": "indikator__komponen__area_rencana__area__kode",
}


@dataclass
class Hitungan:
    """Counts of requirements by state (a figure of a dashboard, report or export)."""

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

    @property
    def ringkas(self):
        """One word for a bukti dukung's requirements (the status export)."""
        if not self.total:
            return "tidak ada target"
        if self.disetujui == self.total:
            return "selesai"
        return "terlambat" if self.terlambat else "berjalan"

    def __add__(self, other):
        return Hitungan(*(getattr(self, f) + getattr(other, f)
                          for f in ("total", "disetujui", "menunggu", "perbaikan", "terlambat")))

    def tambah(self, peringkat, terlambat, n):
        self.total += n
        if peringkat != KOSONG:
            setattr(self, KEADAAN[peringkat], getattr(self, KEADAAN[peringkat]) + n)
        if terlambat:
            self.terlambat += n


def akhir_hari(hari):
    return timezone.make_aware(datetime.combine(hari, time.max))


def peringkat_pengajuan(hari, p=""):
    """The state of a submission as of `hari` (prefix `p` from the queried model), as a
    number of KEADAAN."""
    akhir = akhir_hari(hari)
    diputus = Q(**{f"{p}ditinjau_pada__lte": akhir})
    return Case(
        When(Q(**{f"{p}status": Status.DISETUJUI}) & diputus, then=Value(DISETUJUI)),
        When(Q(**{f"{p}status": Status.PERLU_PERBAIKAN}) & diputus, then=Value(PERBAIKAN)),
        When(Q(**{f"{p}diajukan_pada__lte": akhir}) & (
            Q(**{f"{p}status": Status.DIAJUKAN}) | ~diputus
            | Q(**{f"{p}ditinjau_pada__isnull": True})), then=Value(MENUNGGU)),
        default=Value(KOSONG), output_field=IntegerField())


def kebutuhan(lingkup, *, hari=None, sampai=None):
    """Every requirement of the plans in `lingkup` as of `hari` (default today): a
    BuktiDukung queryset with one row per requirement, annotated with `bulan` (None for an
    event requirement), `peringkat` (KEADAAN), `keadaan`, `terlambat`, `pic_efektif` (the
    action's PIC, else the komponen's) and `pengajuan_id` (a month's submission).
    `lingkup`: a RencanaKerja, or filters on the plan ({"__tahun": 2024, "__in": ids});
    `sampai`: month requirements up to that month only (event ones stay)."""
    hari = hari or timezone.localdate()
    if not isinstance(lingkup, dict):
        lingkup = {"": lingkup}
    per_kejadian = (Pengajuan.objects.filter(bukti_dukung=OuterRef("pk"),
                                             tanggal_kejadian__isnull=False)
                    .annotate(p=peringkat_pengajuan(hari)).order_by("-p"))
    qs = (BuktiDukung.objects
          .filter(**{f"rencana_aksi__{RK}{k}": v for k, v in lingkup.items()})
          .annotate(bulan=F("rencana_aksi__target_bulan__bulan"))
          .filter(Q(bulan__isnull=False) | Q(rencana_aksi__per_kejadian=True)))
    if sampai:
        qs = qs.filter(Q(bulan__lte=sampai) | Q(bulan__isnull=True))
    # a month's submission is joined (one per bukti dukung and month); an event
    # requirement's best occurrence is looked up for those rows only
    qs = qs.annotate(
        pj=FilteredRelation("pengajuan", condition=Q(pengajuan__bulan=F("bulan"))),
    ).annotate(
        pengajuan_id=F("pj__id"),
        peringkat=Case(When(bulan__isnull=False, then=peringkat_pengajuan(hari, "pj__")),
                       default=Coalesce(Subquery(per_kejadian.values("p")[:1]), Value(KOSONG))),
    ).annotate(
        keadaan=Case(*(When(peringkat=k, then=Value(v)) for k, v in KEADAAN.items()),
                     output_field=CharField()),
        lewat=Case(When(bulan__lt=hari.replace(day=1), then=Value(True)), default=Value(False),
                   output_field=BooleanField()),  # its month is over
        terlambat=Case(When(Q(bulan__lt=hari.replace(day=1)) & ~Q(peringkat=DISETUJUI),
                            then=Value(True)), default=Value(False), output_field=BooleanField()),
        pic_efektif=kolom_pic_efektif("rencana_aksi__"),
    )
    return qs


def saring(qs, *, status=None, area=None, komponen=None, pic=None, bulan=None,
           rencana_aksi=None):
    """The requirements behind one figure: `status` one of STATUS_DAFTAR, `pic` a user id
    or "kosong" (no PIC), `bulan` a month."""
    if status == "terlambat":
        qs = qs.filter(terlambat=True)
    elif status:
        qs = qs.filter(peringkat=PERINGKAT[status])
    if area:
        qs = qs.filter(rencana_aksi__indikator__komponen__area_rencana_id=area)
    if komponen:
        qs = qs.filter(rencana_aksi__indikator__komponen_id=komponen)
    if pic == "kosong":
        qs = qs.filter(pic_efektif__isnull=True)
    elif pic:
        qs = qs.filter(pic_efektif=pic)
    if bulan:
        qs = qs.filter(bulan=bulan)
    if rencana_aksi:
        qs = qs.filter(rencana_aksi_id=rencana_aksi)
    return qs


def _kunci(per):
    names = per if isinstance(per, tuple) else (per,) if per else ()
    keys = {}
    for name in names:
        if name == "bukti_dukung":
            keys[name] = F("id")
        elif name == "bulan":
            keys[name] = F("bulan")
        elif name == "pic":
            keys[name] = F("pic_efektif")
        else:
            keys[name] = F(f"rencana_aksi__{KELOMPOK[name]}")
    return keys


def hitung(qs, per=None):
    """{group key: Hitungan} over ledger rows `qs`, one grouped query. `per`: a name of
    KELOMPOK, "bulan" (None: event requirements), "pic" (effective PIC id, None =
    unassigned) or "bukti_dukung", or a tuple of them (key: a tuple); key None when per
    is None."""
    keys = _kunci(per)
    names = [f"k_{n}" for n in keys]
    # grouped on the state and "month over" (the state is computed once per row);
    # late = month over and not approved, as the `terlambat` annotation says
    rows = (qs.annotate(**{f"k_{n}": e for n, e in keys.items()})
            .values(*names, "peringkat", "lewat").order_by())
    out = defaultdict(Hitungan)
    for r in _kelompokkan(rows, [*names, "peringkat", "lewat"]):
        k = tuple(r[n] for n in names) if len(names) > 1 else r[names[0]] if names else None
        out[k].tambah(r["peringkat"], r["lewat"] and r["peringkat"] != DISETUJUI, r["n"])
    return dict(out)


def _kelompokkan(rows, cols):
    """COUNT(*) of values() queryset `rows` grouped on its columns `cols`, as dicts with
    "n". Grouped outside the ledger's query: PostgreSQL then hashes the few groups instead
    of sorting every row on the state expression (the province's overview: 1.5 s -> 1 s).
    The values go through the ORM's converters, as a values() query's would."""
    connection = connections[rows.db]
    compiler = rows.query.get_compiler(rows.db)
    sql, params = compiler.as_sql()
    ubah = {alias: compiler.get_converters([expr]).get(0, ((), None))
            for expr, _sql, alias in compiler.select}
    q = connection.ops.quote_name
    daftar = ", ".join(q(c) for c in cols)
    with connection.cursor() as cur:
        cur.execute(f"SELECT {daftar}, COUNT(*) FROM ({sql}) t GROUP BY {daftar}", params)
        hasil = cur.fetchall()
    out = []
    for baris in hasil:
        r = {"n": baris[-1]}
        for c, v in zip(cols, baris, strict=False):
            fungsi, expr = ubah[c]
            for f in fungsi:
                v = f(v, expr, connection)
            r[c] = v
        out.append(r)
    return out


def hitung_progres(rk=None, *, per=None, sampai=None, hari=None, lingkup=None):
    """`hitung` over the requirements of plan `rk` (or of the plans matching `lingkup`)."""
    return hitung(kebutuhan(lingkup if lingkup is not None else rk, hari=hari, sampai=sampai), per)


def progres_total(rk, **kw):
    return hitung_progres(rk, **kw).get(None, Hitungan())


def urut_kebutuhan(rk, *, hari=None, sampai=None, **saringan):
    """The ledger rows behind a figure with their action, indikator, komponen and area, in
    plan order (month requirements by month, then event ones): a queryset to page."""
    qs = saring(kebutuhan(rk, hari=hari, sampai=sampai), **saringan)
    return (qs.select_related("rencana_aksi__indikator__komponen__area_rencana__area",
                              "rencana_aksi__indikator__komponen__area_rencana__bagian")
            .order_by(F("bulan").asc(nulls_last=True),
                      "rencana_aksi__indikator__komponen__area_rencana__bagian__kode",
                      "rencana_aksi__indikator__komponen__area_rencana__area__urutan",
                      "rencana_aksi__indikator__komponen__nomor",
                      "rencana_aksi__indikator__urutan", "rencana_aksi__urutan", "pk"))


def sebagai_baris(rows):
    """Ledger rows as [{"bukti_dukung_id", "nama", "rencana_aksi", "bulan" (None: event
    requirement), "status" (KEADAAN), "terlambat"}]."""
    return [{"bukti_dukung_id": bd.pk, "nama": bd.nama, "rencana_aksi": bd.rencana_aksi,
             "bulan": bd.bulan, "status": bd.keadaan, "terlambat": bd.terlambat} for bd in rows]


def daftar_kebutuhan(rk, *, hari=None, sampai=None, **saringan):
    """The requirements behind a figure, in plan order, as `sebagai_baris`. One query."""
    return sebagai_baris(urut_kebutuhan(rk, hari=hari, sampai=sampai, **saringan))


def keadaan_sel(hitungan):
    """The state of a timeline cell (an action in a month) from its requirements: all
    approved, else any returned, else any waiting, else late or empty."""
    if hitungan.disetujui >= hitungan.total:
        return "disetujui"
    if hitungan.perbaikan:
        return "perbaikan"
    if hitungan.menunggu:
        return "menunggu"
    return "terlambat" if hitungan.terlambat else "kosong"  # the ledger's late flag


def linimasa(rk, hari=None):
    """The plan as a Gantt: for each rencana aksi the state of each month of the year (see
    `keadaan_sel`; None: no target that month). Returns (months, [(rencana aksi,
    [state or None] * 12)]). Two queries."""

    hari = hari or timezone.localdate()
    months = [date(rk.tahun, m, 1) for m in range(1, 13)]
    per = hitung_progres(rk, per=("rencana_aksi", "bulan"), hari=hari)
    ras = (RencanaAksi.objects.filter(**{RK: rk})
           .select_related("indikator__komponen__area_rencana__area",
                           "indikator__komponen__area_rencana__bagian")
           .order_by("indikator__komponen__area_rencana__bagian__kode",
                     "indikator__komponen__area_rencana__area__urutan",
                     "indikator__komponen__nomor", "indikator__urutan", "urutan"))
    rows = []
    for ra in ras:
        cells = [keadaan_sel(per[ra.pk, m]) if (ra.pk, m) in per else None
                 for m in months]
        rows.append((ra, cells))
    return months, rows


def berkas_disetujui(lingkup, *, hari=None):
    """Files of the approved requirements of `lingkup` as of `hari`: the approved round of
    each month's submission and of each approved occurrence of an event requirement."""
    hari = hari or timezone.localdate()
    ok = saring(kebutuhan(lingkup, hari=hari), status="disetujui")
    per_bulan = Q(pengajuan__in=ok.filter(bulan__isnull=False).values("pengajuan_id"))
    per_kejadian = Q(pengajuan__bukti_dukung__in=ok.filter(bulan__isnull=True).values("pk"),
                     pengajuan__tanggal_kejadian__isnull=False, p=DISETUJUI)
    return (Berkas.objects.aktif().alias(p=peringkat_pengajuan(hari, "pengajuan__"))
            .filter(per_bulan | per_kejadian, putaran=F("pengajuan__putaran")))


@dataclass
class Tindakan:
    """What a member must do now: this month's requirements with nothing uploaded, those
    sent back for revision, and those overdue with nothing uploaded (disjoint)."""

    bulan_ini: int = 0
    perbaikan: int = 0
    terlambat: int = 0

    @property
    def jumlah(self):
        return self.bulan_ini + self.perbaikan + self.terlambat


def perlu_tindakan(rk, user, hari=None):
    """Tindakan of `user` (the effective PIC) in plan `rk` as of `hari`, from `hitung`."""
    hari = hari or timezone.localdate()
    bulan = hari.replace(day=1)
    per = hitung(saring(kebutuhan(rk, hari=hari), pic=user.pk), "bulan")
    return Tindakan(
        bulan_ini=per[bulan].kosong if bulan in per else 0,
        perbaikan=sum(h.perbaikan for h in per.values()),
        terlambat=sum(h.kosong for m, h in per.items() if m is not None and m < bulan))
