"""Read models of the plan, shared by the plan page, the exports and (later) reports."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q

from organisasi.models import nama_pengguna

from .models import AreaRencana, BuktiDukung, Indikator, Isian, Komponen, RencanaAksi


def pohon_rencana(rk, *, area=None, bulan=None, pic=None, cari=None, perlu_atur=False):
    """The plan tree of `rk` as AreaRencana objects with komponen -> indikator ->
    rencana_aksi (with target_bulan, bukti_dukung) and isian prefetched. A fixed number
    of queries whatever the plan's size. Filters keep only matching rencana aksi and drop
    empty branches (the drop happens in Python on the prefetched rows)."""
    ra_qs = RencanaAksi.objects.select_related("pic").prefetch_related(
        "target_bulan",
        Prefetch("bukti_dukung", queryset=BuktiDukung.objects.select_related("isian")),
    )
    filtered = bool(bulan or pic or cari or perlu_atur)
    if perlu_atur:
        ra_qs = ra_qs.perlu_atur_bulan()
    if bulan:
        ra_qs = ra_qs.filter(target_bulan__bulan=bulan)
    if pic:
        ra_qs = ra_qs.dengan_pic(pic)
    if cari:
        ra_qs = ra_qs.filter(
            Q(teks__icontains=cari)
            | Q(bukti_dukung__nama__icontains=cari)
            | Q(indikator__teks__icontains=cari)
            | Q(indikator__komponen__nama__icontains=cari)
            | Q(target_waktu__icontains=cari)
        )
    if filtered:
        ra_qs = ra_qs.distinct()
    areas = (
        AreaRencana.objects.filter(rencana_kerja=rk)
        .select_related("bagian", "area")
        .prefetch_related(
            Prefetch("komponen", queryset=Komponen.objects.select_related("pic")),
            Prefetch("komponen__indikator", queryset=Indikator.objects.all()),
            Prefetch("komponen__indikator__rencana_aksi", queryset=ra_qs),
            Prefetch("komponen__indikator__isian", queryset=Isian.objects.all()),
        )
    )
    if area:
        areas = areas.filter(area__kode=area)
    areas = list(areas)
    if filtered:
        for ar in areas:
            kept = []
            for k in ar.komponen.all():
                k.indikator_tampil = [i for i in k.indikator.all() if i.rencana_aksi.all()]
                if k.indikator_tampil:
                    kept.append(k)
            ar.komponen_tampil = kept
        areas = [ar for ar in areas if ar.komponen_tampil]
    else:
        for ar in areas:
            ar.komponen_tampil = list(ar.komponen.all())
            for k in ar.komponen_tampil:
                k.indikator_tampil = list(k.indikator.all())
    return areas


def kelompok_bagian(areas):
    """Group AreaRencana rows by bagian, keeping order: [(bagian, [areas])]."""
    groups = []
    for ar in areas:
        if not groups or groups[-1][0].pk != ar.bagian_id:
            groups.append((ar.bagian, []))
        groups[-1][1].append(ar)
    return groups


def rencana_kerja_sebagai_data(rk):
    """The plan as the plain tree of the plan file / `export_rencana_kerja` JSON."""
    areas = pohon_rencana(rk)
    bagian = []
    for b, ars in kelompok_bagian(areas):
        bagian.append({
            "kode": b.kode,
            "nama": b.nama.upper(),
            "area": [_area_data(ar) for ar in ars],
        })
    return {
        "unit": {"kode": rk.unit.kode, "nama": rk.unit.nama},
        "tahun": rk.tahun,
        "bagian": bagian,
        "pendahuluan": rk.pendahuluan,
        "mekanisme_penetapan_tim": list(rk.mekanisme_penetapan_tim),
        "target_prioritas": list(rk.target_prioritas),
    }


def _area_data(ar):
    return {
        "kode": ar.area.kode,
        "nama": ar.judul,
        "nama_baku": ar.area.nama,
        "komponen": [
            {
                "nomor": k.nomor,
                "nama": k.nama,
                "pic": k.pic.username if k.pic else None,
                "indikator": [_indikator_data(i) for i in k.indikator.all()],
            }
            for k in ar.komponen.all()
        ],
    }


def _indikator_data(ind):
    isian_bd = {}
    rencana_aksi = []
    for ra in ind.rencana_aksi.all():
        bd = []
        for b in ra.bukti_dukung.all():
            if b.isian_id:
                isian_bd.setdefault(b.isian_id, []).append(b.nama)
            else:
                bd.append(b.nama)
        rencana_aksi.append({
            "teks": ra.teks,
            "target_waktu": ra.target_waktu,
            "bulan": [d.strftime("%Y-%m") for d in ra.bulan_list()],
            "per_kejadian": ra.per_kejadian,
            "pic": ra.pic.username if ra.pic else None,
            "bukti_dukung": bd,
        })
    isian = []
    for s in ind.isian.all():
        row = {"label": s.label, "jenis": s.jenis}
        if s.keterangan:
            row["keterangan"] = s.keterangan
        if s.pk in isian_bd:
            row["bukti_dukung"] = isian_bd[s.pk]
        isian.append(row)
    return {"teks": ind.teks, "rencana_aksi": rencana_aksi, "isian": isian}


def jumlah_perlu_atur_bulan(rk):
    """How many actions of the plan still need their months set by hand."""
    return RencanaAksi.objects.filter(
        indikator__komponen__area_rencana__rencana_kerja=rk).perlu_atur_bulan().count()


def riwayat(obj, n=10):
    """The last `n` changes of an audited row, newest first: who, when, what kind, and
    which fields changed (old -> new). One query for the history, one per related model
    named in the changes (the PIC)."""

    records = list(obj.history.select_related("history_user")[: n + 1])
    fields = {f.name: f for f in obj._meta.fields}
    out = []
    for i, rec in enumerate(records[:n]):
        prev = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if prev is not None and rec.history_type == "~":
            for c in rec.diff_against(prev).changes:
                if c.field not in ("versi", "urutan"):
                    changes.append({"field": fields[c.field], "old": c.old, "new": c.new})
        out.append({"user": rec.history_user, "date": rec.history_date,
                    "jenis": rec.get_history_type_display(), "changes": changes})
    wanted = {}
    for entry in out:
        for c in entry["changes"]:
            if c["field"].is_relation:
                wanted.setdefault(c["field"].related_model, set()).update(
                    v for v in (c["old"], c["new"]) if v is not None)
    User = get_user_model()  # noqa: N806
    names = {
        model: {o.pk: nama_pengguna(o) if model is User else str(o)
                for o in model._default_manager.filter(pk__in=ids)}
        for model, ids in wanted.items()
    }
    for entry in out:
        for c in entry["changes"]:
            f = c["field"]
            if f.is_relation:
                c["old"], c["new"] = (names[f.related_model].get(v, "—") if v is not None
                                      else "—" for v in (c["old"], c["new"]))
            c["field"] = f.verbose_name
    return out
