"""Read models of evidence: the state of each requirement (bukti dukung x target month),
used by the action page, "Tugas saya" and the review queue."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, Prefetch
from django.utils import timezone

from rencana_aksi.models import BuktiDukung, Indikator, Isian, Komponen, RencanaAksi, RencanaKerja

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


def antrean_tinjauan(unit, *, area=None, anggota=None, bulan=None):
    """Everything waiting for review in a unit, oldest first, with what the queue shows."""
    qs = (Pengajuan.objects.milik_unit(unit).filter(status=Status.DIAJUKAN)
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


# Audited models of a unit: (key, model, path to the unit, related rows to load, label).
def _sumber_log():
    ra = "indikator__komponen__area_rencana__rencana_kerja__unit"
    return [
        ("pengajuan", Pengajuan, f"bukti_dukung__rencana_aksi__{ra}", ["bukti_dukung"],
         lambda h: f"{h.bukti_dukung.nama}: {h.get_status_display()}"
                   + (f" – “{h.komentar}”" if h.komentar else "")),
        ("berkas", Berkas, f"pengajuan__bukti_dukung__rencana_aksi__{ra}", [],
         lambda h: h.nama_asli + (f" (dihapus: {h.alasan_hapus})" if h.dihapus_pada else "")),
        ("nilai_isian", NilaiIsian, "isian__indikator__komponen__area_rencana__rencana_kerja__unit",
         ["isian"], lambda h: f"{h.isian.label}: "
                              f"{'—' if h.nilai is None else format(h.nilai.normalize(), 'f')}"),
        ("rencana_aksi", RencanaAksi, ra, [], lambda h: h.teks),
        ("bukti_dukung", BuktiDukung, f"rencana_aksi__{ra}", [], lambda h: h.nama),
        ("indikator", Indikator, "komponen__area_rencana__rencana_kerja__unit", [],
         lambda h: h.teks),
        ("komponen", Komponen, "area_rencana__rencana_kerja__unit", [],
         lambda h: f"{h.nomor}. {h.nama}"),
        ("rencana_kerja", RencanaKerja, "unit", [], lambda h: f"Rencana kerja {h.tahun}"),
    ]


def log_unit(unit, *, jenis=None, user=None, sejak=None, sampai=None, batas=200):
    """The unit's audit log, newest first: every recorded change of evidence, numbers and
    plan (who, when, what kind, which item). One query per audited model."""
    entries = []
    for key, model, path, related, label in _sumber_log():
        if jenis and jenis != key:
            continue
        qs = model.history.filter(**{path: unit}).select_related("history_user", *related)
        if user:
            qs = qs.filter(history_user=user)
        if sejak:
            qs = qs.filter(history_date__date__gte=sejak)
        if sampai:
            qs = qs.filter(history_date__date__lte=sampai)
        for h in qs.order_by("-history_date")[:batas]:
            entries.append({"jenis": key, "objek": model._meta.verbose_name, "label": label(h),
                            "date": h.history_date, "user": h.history_user,
                            "aksi": h.get_history_type_display()})
    entries.sort(key=lambda e: e["date"], reverse=True)
    return entries[:batas]


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
