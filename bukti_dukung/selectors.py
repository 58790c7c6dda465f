"""Read models of evidence: the state of each requirement (bukti dukung x target month),
used by the action page, "Tugas saya" and the review queue."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import CharField, F, OuterRef, Prefetch, Subquery, Value
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisasi.models import nama_pengguna
from rencana_aksi.models import (
    BuktiDukung,
    Indikator,
    Isian,
    Komponen,
    RencanaAksi,
    RencanaKerja,
    TargetBulan,
)
from umum.angka import bilangan

from . import angka
from .kebutuhan import kebutuhan, saring
from .models import Berkas, NilaiIsian, Pengajuan, Status

KOSONG = "kosong"  # no upload yet (not a Pengajuan status)
LABEL = {
    KOSONG: "Belum diunggah",
    Status.DIAJUKAN: "Menunggu tinjauan",
    Status.PERLU_PERBAIKAN: "Perlu perbaikan",
    Status.DISETUJUI: "Disetujui",
}
WARNA = {KOSONG: "secondary", Status.DIAJUKAN: "info", Status.PERLU_PERBAIKAN: "warning",
         Status.DISETUJUI: "success"}


def hari_ini():
    return timezone.localdate()  # Asia/Jakarta


# the ledger's state -> the submission status the evidence templates speak
STATUS_KEADAAN = {"kosong": KOSONG, "menunggu": Status.DIAJUKAN,
                  "perbaikan": Status.PERLU_PERBAIKAN, "disetujui": Status.DISETUJUI}


@dataclass
class Sel:
    """One requirement (a bukti dukung in a target month, `keadaan` and `terlambat` from the
    ledger) or one occurrence of an event-driven action (its submission's own status)."""

    bukti_dukung: BuktiDukung
    bulan: date | None
    pengajuan: Pengajuan | None = None
    terlambat: bool = False
    berkas: list = field(default_factory=list)
    keadaan: str | None = None

    @property
    def status(self):
        if self.keadaan is not None:
            return STATUS_KEADAAN[self.keadaan]
        return self.pengajuan.status if self.pengajuan else KOSONG

    @property
    def kunci(self):
        """Unique on a page: bukti dukung and month (or occurrence)."""
        if self.bulan:
            return f"{self.bukti_dukung.pk}-{self.bulan:%Y%m}"
        return f"{self.bukti_dukung.pk}-k{self.pengajuan.pk if self.pengajuan else 0}"

    @property
    def label(self):
        return LABEL[self.status]

    @property
    def warna(self):
        return WARNA[self.status]


def _berkas_prefetch():
    return Prefetch("pengajuan__berkas",
                    queryset=Berkas.objects.aktif().select_related("diunggah_oleh"),
                    to_attr="berkas_aktif")


def _buku(qs):
    """{(bukti dukung pk, month or None): (keadaan, terlambat)} from ledger rows."""
    return {(r["pk"], r["bulan"]): (r["keadaan"], r["terlambat"])
            for r in qs.values("pk", "bulan", "keadaan", "terlambat")}


def sel_rencana_aksi(ra, today=None):
    """For one action: [(bukti_dukung, [Sel per target month], [Sel per occurrence])]."""
    rk = ra.indikator.komponen.area_rencana.rencana_kerja
    buku = _buku(saring(kebutuhan(rk, hari=today), rencana_aksi=ra.pk))
    bds = list(ra.bukti_dukung.select_related("isian").prefetch_related(
        Prefetch("pengajuan", queryset=Pengajuan.objects.select_related("ditinjau_oleh")),
        _berkas_prefetch()))
    months = ra.bulan_list()
    out = []
    for bd in bds:
        by_month = {p.bulan: p for p in bd.pengajuan.all() if p.bulan}
        cells = []
        for m in months:
            p = by_month.get(m)
            keadaan, terlambat = buku.get((bd.pk, m), ("kosong", False))
            cells.append(Sel(bd, m, p, terlambat=terlambat, keadaan=keadaan,
                             berkas=p.berkas_aktif if p else []))
        kejadian = sorted((p for p in bd.pengajuan.all() if p.tanggal_kejadian),
                          key=lambda p: p.tanggal_kejadian)
        out.append((bd, cells, [Sel(bd, None, p, berkas=p.berkas_aktif) for p in kejadian]))
    return out


def tugas_untuk(user, rk, today=None):
    """The user's assigned requirements in a plan (the ledger's rows whose effective PIC is
    the user), each action with its requirement cells, grouped by target month:
    [(month or None, [(ra, [Sel])])]; event requirements come under None, showing their
    latest occurrence. A fixed number of queries."""
    milik = saring(kebutuhan(rk, hari=today), pic=user.pk)
    per_bd = defaultdict(list)
    for (bd_pk, m), v in _buku(milik).items():
        per_bd[bd_pk].append((m, *v))
    ras = list(
        RencanaAksi.objects.filter(pk__in=milik.values("rencana_aksi_id"))
        .select_related("indikator__komponen__area_rencana__area",
                        "indikator__komponen__area_rencana__bagian")
        .prefetch_related(
            Prefetch("bukti_dukung", queryset=BuktiDukung.objects.prefetch_related(
                "pengajuan", _berkas_prefetch())),
        )
        .order_by("indikator__komponen__area_rencana__bagian__kode",
                  "indikator__komponen__area_rencana__area__urutan",
                  "indikator__komponen__nomor", "indikator__urutan", "urutan")
    )
    groups = {}
    for ra in ras:
        per_bulan = defaultdict(list)
        for bd in ra.bukti_dukung.all():
            for m, keadaan, terlambat in sorted(per_bd[bd.pk], key=lambda r: r[0] or date.max):
                if m is None:
                    p = max((p for p in bd.pengajuan.all() if p.tanggal_kejadian),
                            key=lambda p: p.tanggal_kejadian, default=None)
                else:
                    p = next((p for p in bd.pengajuan.all() if p.bulan == m), None)
                per_bulan[m].append(Sel(bd, m, p, berkas=p.berkas_aktif if p else [],
                                        keadaan=keadaan, terlambat=terlambat))
        for m, cells in per_bulan.items():
            groups.setdefault(m, []).append((ra, cells))
    return sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0] or date.min))


def perlu_perbaikan(groups):
    """From `tugas_untuk`'s groups: the (action, cell) pairs sent back for revision."""
    return [(ra, sel) for _m, items in groups for ra, cells in items for sel in cells
            if sel.status == Status.PERLU_PERBAIKAN]


def _menunggu(unit):
    return Pengajuan.objects.milik_unit(unit).filter(status=Status.DIAJUKAN)


def jumlah_antrean(unit):
    """How many submissions wait in the unit's review queue: the navbar badge, the home
    page, the reminder e-mail and the queue page (`antrean_tinjauan`) count the same."""
    return _menunggu(unit).count()


def antrean_tinjauan(unit, *, area=None, anggota=None, bulan=None):
    """Everything waiting for review in a unit, oldest first, with what the queue shows."""
    qs = (_menunggu(unit)
          .select_related("bukti_dukung__rencana_aksi__indikator__komponen__area_rencana__area",
                          "bukti_dukung__rencana_aksi__indikator__komponen__area_rencana__bagian")
          .prefetch_related(Prefetch("berkas", queryset=Berkas.objects.aktif()
                                     .select_related("diunggah_oleh"), to_attr="berkas_aktif"))
          .order_by("diajukan_pada", "pk"))
    if area:
        qs = qs.filter(bukti_dukung__rencana_aksi__indikator__komponen__area_rencana__area__kode=area)
    if anggota:
        qs = qs.filter(berkas__diunggah_oleh=anggota, berkas__dihapus_pada__isnull=True).distinct()
    if bulan:
        qs = qs.filter(bulan=bulan)
    return qs


@dataclass(frozen=True)
class SumberLog:
    """An audited model of a unit: its key (the log's filter), the path to the unit, the
    related rows its label reads, the label (which item), the fields that describe a created
    or deleted item, the fields a change never shows (technical or said elsewhere) and
    names that replace a field's verbose_name."""

    key: str
    model: type
    path: str
    related: tuple
    label: object
    kunci: tuple
    sembunyi: frozenset = frozenset()
    nama_bidang: dict = field(default_factory=dict)

    @property
    def nama(self):
        return self.model._meta.verbose_name


def _label_pengajuan(h):
    waktu = (date_format(h.bulan, "F Y") if h.bulan else
             date_format(h.tanggal_kejadian, "j F Y") if h.tanggal_kejadian else "")
    return f"{h.bukti_dukung.nama} · {waktu}" if waktu else h.bukti_dukung.nama


def _sumber_log():
    ra = "indikator__komponen__area_rencana__rencana_kerja__unit"
    return [
        SumberLog("pengajuan", Pengajuan, f"bukti_dukung__rencana_aksi__{ra}", ("bukti_dukung",),
                  _label_pengajuan, ("status", "uraian_kejadian"),
                  frozenset({"ditinjau_oleh", "ditinjau_pada"})),
        SumberLog("berkas", Berkas, f"pengajuan__bukti_dukung__rencana_aksi__{ra}",
                  ("pengajuan__bukti_dukung",),
                  lambda h: f"{h.nama_asli} · {h.pengajuan.bukti_dukung.nama}",
                  ("nama_asli", "putaran", "ukuran", "catatan"),
                  frozenset({"pengajuan", "berkas", "ekstensi", "mime", "sha256", "diunggah_oleh",
                             "dihapus_pada", "dihapus_oleh"}),
                  {"alasan_hapus": _("alasan menghapus")}),
        SumberLog("nilai_isian", NilaiIsian,
                  "isian__indikator__komponen__area_rencana__rencana_kerja__unit", ("isian",),
                  lambda h: h.isian.label, ("nilai",), frozenset({"isian", "diisi_oleh"})),
        SumberLog("rencana_aksi", RencanaAksi, ra, (), lambda h: h.teks,
                  ("teks", "target_waktu", "pic"), frozenset({"indikator"})),
        SumberLog("bulan_target", TargetBulan, f"rencana_aksi__{ra}", ("rencana_aksi",),
                  lambda h: f"{h.rencana_aksi.teks} · {date_format(h.bulan, 'F Y')}",
                  ("bulan",), frozenset({"rencana_aksi"})),
        SumberLog("bukti_dukung", BuktiDukung, f"rencana_aksi__{ra}", (), lambda h: h.nama,
                  ("nama",), frozenset({"rencana_aksi", "isian"})),
        SumberLog("indikator", Indikator, "komponen__area_rencana__rencana_kerja__unit", (),
                  lambda h: h.teks, ("teks",), frozenset({"komponen"})),
        SumberLog("komponen", Komponen, "area_rencana__rencana_kerja__unit", (),
                  lambda h: f"{h.nomor}. {h.nama}", ("nomor", "nama", "pic"),
                  frozenset({"area_rencana"})),
        SumberLog("rencana_kerja", RencanaKerja, "unit", (),
                  lambda h: _("Rencana kerja %s") % h.tahun, ("tahun",), frozenset({"unit"})),
    ]


def log_unit(unit, *, jenis=None, user=None, sejak=None, sampai=None):
    """The keys of the unit's audit log, newest first: one row per recorded change of
    evidence, numbers and plan ({history_date, history_id, jenis, prev}: `prev` is the
    history_id of the item's record before it). One UNION query, to page or count;
    `isi_log` turns a page of it into entries."""
    parts = []
    for s in _sumber_log():
        if jenis and jenis != s.key:
            continue
        qs = s.model.history.filter(**{s.path: unit})
        if user:
            qs = qs.filter(history_user=user)
        if sejak:
            qs = qs.filter(history_date__date__gte=sejak)
        if sampai:
            qs = qs.filter(history_date__date__lte=sampai)
        prev = (s.model.history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
                .order_by("-history_id").values("history_id")[:1])
        parts.append(qs.order_by().annotate(jenis=Value(s.key, output_field=CharField()),
                                            prev=Subquery(prev))
                     .values("history_date", "history_id", "jenis", "prev"))
    qs = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return qs.order_by("-history_date", "-history_id", "jenis")


@dataclass
class Perubahan:
    """One field of a log entry: `lama` -> `baru` in words (`lama` is None for a field
    that describes a created or deleted item)."""

    bidang: str
    baru: str
    lama: str | None = None

    def __str__(self):
        if self.lama is None:
            return f"{self.bidang}: {self.baru}"
        return f"{self.bidang}: {self.lama} → {self.baru}"


def _ubahan(s, h, prev):
    """[(field, old raw value or MISSING, new raw value)] of record `h` against `prev`."""
    if h.history_type in ("+", "-") or prev is None:  # what was created or deleted
        fields = {f.name: f for f in _model_fields(s)}
        return [(fields[n], _TIDAK_ADA, getattr(h, fields[n].attname)) for n in s.kunci
                if getattr(h, fields[n].attname) not in (None, "")]
    delta = h.diff_against(prev, excluded_fields=s.sembunyi)
    urut = {f.name: i for i, f in enumerate(_model_fields(s))}
    fields = {f.name: f for f in _model_fields(s)}
    return [(fields[c.field], c.old, c.new)
            for c in sorted(delta.changes, key=lambda c: urut.get(c.field, 99))
            if c.field in fields]


_TIDAK_ADA = object()
AKSI_LOG = {"+": gettext_lazy("Dibuat"), "~": gettext_lazy("Diubah"), "-": gettext_lazy("Dihapus")}


def _model_fields(s):
    return [f for f in s.model._meta.fields if f.editable and f.name not in s.sembunyi
            and not f.primary_key]


def _kata(f, v, terkait):
    """A raw field value in words: a related row by its name, a choice by its label, Ya or
    Tidak, dates in Indonesian."""
    if v is None or v == "" or v == []:
        return "—"
    if f.is_relation:
        obj = terkait.get((f.related_model, v))
        if obj is None:
            return _("#%s (sudah dihapus)") % v
        return nama_pengguna(obj) if f.related_model._meta.label == settings.AUTH_USER_MODEL else str(obj)
    if f.choices:
        return str(dict(f.flatchoices).get(v, v))
    if isinstance(v, bool):
        return _("Ya") if v else _("Tidak")
    if isinstance(v, datetime):
        return date_format(timezone.localtime(v), "j F Y H:i")
    if isinstance(v, date):
        return date_format(v, "F Y" if f.name == "bulan" else "j F Y")
    if isinstance(v, Decimal):
        return bilangan(v)
    if f.name == "ukuran":
        return filesizeformat(v)
    if isinstance(v, (list, tuple)):
        return ", ".join(str(x) for x in v)
    return str(v)


def isi_log(rows):
    """Entries of the audit log for key rows of `log_unit` (a page, or a chunk of the CSV):
    who, when, what kind, which item, and each changed field before -> after in words.
    A fixed number of queries: one per audited model on the page (its records and their
    predecessors) and one per kind of related row named (users, bukti dukung, ...)."""
    rows = list(rows)
    sumber = {s.key: s for s in _sumber_log()}
    ids = defaultdict(set)
    for r in rows:
        ids[r["jenis"]].add(r["history_id"])
        if r["prev"]:
            ids[r["jenis"]].add(r["prev"])
    rekaman = {}
    for key, pks in ids.items():
        s = sumber[key]
        for h in s.model.history.filter(history_id__in=pks).select_related(
                "history_user", *s.related):
            rekaman[key, h.history_id] = h
    pasangan = []
    for r in rows:
        h = rekaman.get((r["jenis"], r["history_id"]))
        if h is None:
            continue
        s = sumber[r["jenis"]]
        pasangan.append((s, h, _ubahan(s, h, rekaman.get((r["jenis"], r["prev"])))))
    # related rows named in the changes, one query per model
    perlu = defaultdict(set)
    for _s, _h, ubahan in pasangan:
        for f, lama, baru in ubahan:
            if f.is_relation:
                perlu[f.related_model].update(v for v in (lama, baru)
                                              if v is not _TIDAK_ADA and v is not None)
    terkait = {(m, pk): obj for m, pks in perlu.items()
               for pk, obj in m._base_manager.in_bulk(pks).items()}
    out = []
    for s, h, ubahan in pasangan:
        aksi = AKSI_LOG[h.history_type]
        if s.key == "berkas" and h.dihapus_pada and any(f.name == "alasan_hapus"
                                                        for f, *_v in ubahan):
            aksi = AKSI_LOG["-"]  # a soft delete: the file is hidden from the item
        perubahan = [
            Perubahan(capfirst(str(s.nama_bidang.get(f.name, f.verbose_name))),
                      _kata(f, baru, terkait),
                      None if lama is _TIDAK_ADA else _kata(f, lama, terkait))
            for f, lama, baru in ubahan]
        out.append({"jenis": s.key, "objek": s.nama, "label": s.label(h),
                    "date": h.history_date, "user": h.history_user, "aksi": aksi,
                    "tipe": h.history_type, "perubahan": perubahan})
    return out


def riwayat_pengajuan(p):
    """The review page's history of item `p`, newest first. Each line is by the person who
    made that record: a status change by whoever caused it, a reviewer's comment only on
    the decision that wrote it (a later upload keeps the comment on the row, but it is
    not the uploader's), file uploads and deletions by their uploader or deleter."""
    out, prev = [], None
    for h in p.history.select_related("history_user").order_by("history_id"):
        status = prev is None or (h.status, h.putaran) != (prev.status, prev.putaran)
        komentar = h.komentar if h.komentar and (prev is None or h.komentar != prev.komentar) else ""
        if status or komentar:
            teks = h.get_status_display()
            if prev is not None and h.putaran != prev.putaran:
                teks = _("%(status)s · versi %(v)s") % {"status": teks, "v": h.putaran}
            out.append({"date": h.history_date, "user": h.history_user, "teks": teks,
                        "komentar": komentar})
        prev = h
    sebelum = {}
    for h in Berkas.history.filter(pengajuan=p).select_related("history_user").order_by(
            "history_id"):
        lama = sebelum.get(h.id)
        if h.history_type == "+":
            teks = _("mengunggah “%(nama)s” (versi %(v)s)") % {"nama": h.nama_asli,
                                                               "v": h.putaran}
        elif h.dihapus_pada and (lama is None or not lama.dihapus_pada):
            teks = _("menghapus “%(nama)s”: %(alasan)s") % {"nama": h.nama_asli,
                                                           "alasan": h.alasan_hapus}
        else:
            teks = None
        if teks:
            out.append({"date": h.history_date, "user": h.history_user, "teks": teks,
                        "komentar": ""})
        sebelum[h.id] = h
    out.sort(key=lambda e: e["date"], reverse=True)
    return out


def angka_indikator(rk):
    """The plan's numeric inputs with their derived percentages:
    [(indikator, [(isian, value)], [Hasil])] for indikator that have numeric sub-rows."""
    isian = list(Isian.objects.filter(indikator__komponen__area_rencana__rencana_kerja=rk)
                 .select_related("indikator").annotate(angka=F("nilai__nilai"))
                 .order_by("indikator_id", "urutan"))  # one query, values joined
    nilai = {s.pk: s.angka for s in isian}
    out, by_ind = [], {}
    for s in isian:
        by_ind.setdefault(s.indikator, []).append(s)
    for ind, rows in by_ind.items():
        vals = {s.pk: nilai.get(s.pk) for s in rows}
        out.append((ind, [(s, vals[s.pk]) for s in rows], angka.hitung(rows, vals)))
    return out
