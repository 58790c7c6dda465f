from collections import defaultdict
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from bukti_dukung.kebutuhan import Hitungan, hitung_progres, sebagai_baris, urut_kebutuhan
from bukti_dukung.kebutuhan import linimasa as hitung_linimasa
from bukti_dukung.selectors import angka_indikator
from organisasi import permissions
from organisasi.models import nama_pengguna
from progres.selectors import progres_per_rencana
from rencana_aksi.akses import get_rencana_kerja_for_user
from rencana_aksi.models import Area, Komponen, RencanaKerja, tandai_berubah

from .forms import LABEL_STATUS, KebutuhanFilterForm, PengaturanPublikForm, WilayahFilterForm


def _badan(rk, nama, buat, *varian):
    """The body `_<nama>_isi.html` of a page, cached under the plan's data_versi and today
    (plus `varian`): a body holds no form and nothing per user, and every change that can
    move a figure bumps data_versi (rencana_aksi.models.tandai_baris)."""
    key = ":".join(str(x) for x in ("zi:isi", nama, rk.pk, rk.data_versi,
                                     timezone.localdate().isoformat(), *varian))
    html = cache.get(key)
    if html is None:
        html = render_to_string(f"progres/_{nama}_isi.html", {"rk": rk, **buat()})
        cache.set(key, html, timeout=3600)
    return html


def _isi(request, rk, nama, buat, *varian):
    """Render page `nama` around its cached body (`_badan`)."""
    return render(request, f"progres/{nama}.html",
                  {"rk": rk, "isi": _badan(rk, nama, buat, *varian)})


def badan_dasbor(rk, user):
    """The dashboard's body for `user` (the same cached HTML as the dashboard page)."""
    bisa_tinjau = permissions.can_review(user, rk.unit)
    return _badan(rk, "dasbor", lambda: _angka_dasbor(rk, bisa_tinjau), bisa_tinjau)


@login_required
def dasbor(request, kode, tahun):
    """Where the unit stands: overall, per area and komponen, per PIC, the review queue
    and the numeric indicators, all from the one progress rule."""
    rk = get_rencana_kerja_for_user(request, kode, tahun)
    if not permissions.can_view_dashboard(request.user, rk.unit):
        raise PermissionDenied
    return render(request, "progres/dasbor.html",
                  {"rk": rk, "isi": badan_dasbor(rk, request.user)})


def _angka_dasbor(rk, bisa_tinjau):
    per_komponen, per_pic = defaultdict(Hitungan), defaultdict(Hitungan)
    for (k, pic), h in hitung_progres(rk, per=("komponen", "pic")).items():
        per_komponen[k] += h
        per_pic[pic] += h
    total = sum(per_komponen.values(), start=Hitungan())
    komponen = list(Komponen.objects.filter(area_rencana__rencana_kerja=rk)
                    .select_related("area_rencana__bagian", "area_rencana__area", "pic")
                    .order_by("area_rencana__bagian__kode", "area_rencana__area__urutan", "nomor"))
    per_area, areas = defaultdict(Hitungan), {}
    for k in komponen:
        areas.setdefault(k.area_rencana_id, k.area_rencana)
        per_area[k.area_rencana_id] += per_komponen.get(k.pk, Hitungan())
    users = {u.pk: u for u in get_user_model().objects.filter(
        pk__in=[k for k in per_pic if k is not None])}
    pic_rows = sorted(((users.get(k), h) for k, h in per_pic.items()),
                      key=lambda r: (r[0] is None, nama_pengguna(r[0]).lower()))
    return {
        "total": total,
        "areas": [(a, per_area[pk]) for pk, a in areas.items()],
        "komponen": [(k, per_komponen.get(k.pk, Hitungan())) for k in komponen],
        "pic_rows": pic_rows, "angka": angka_indikator(rk),
        "bisa_tinjau": bisa_tinjau,
    }


@login_required
def kebutuhan(request, kode, tahun):
    """The requirements behind a dashboard figure (state, area, komponen, PIC, month)."""
    rk = get_rencana_kerja_for_user(request, kode, tahun)
    if not permissions.can_view_dashboard(request.user, rk.unit):
        raise PermissionDenied
    saringan, nomor = KebutuhanFilterForm(request.GET).saringan()

    def buat():
        halaman = Paginator(urut_kebutuhan(rk, **saringan), PER_HALAMAN_KEBUTUHAN).get_page(nomor)
        # the pager keeps the filters that hold (the body is cached per filters and page)
        pindah = urlencode({k: f"{v:%Y-%m}" if k == "bulan" else v
                            for k, v in saringan.items() if v})
        return {"items": sebagai_baris(halaman.object_list), "halaman": halaman,
                "jumlah": halaman.paginator.count,
                "status": saringan["status"], "bulan": saringan["bulan"],
                "label_status": LABEL_STATUS, "saringan_url": pindah}

    return _isi(request, rk, "kebutuhan", buat, *saringan.values(), nomor)


PER_HALAMAN_KEBUTUHAN = 100


@login_required
def linimasa(request, kode, tahun):
    """Month-by-month timeline of every action (a Gantt of the plan)."""

    rk = get_rencana_kerja_for_user(request, kode, tahun)
    if not permissions.can_view_dashboard(request.user, rk.unit):
        raise PermissionDenied

    def buat():
        months, rows = hitung_linimasa(rk)
        return {"months": months, "rows": rows}

    return _isi(request, rk, "linimasa", buat)


PER_HALAMAN_WILAYAH = 100


@login_required
def wilayah(request, tahun):
    """Every unit of the year the user may evaluate (Admin, TPI): overall and per-area
    progress, overdue requirements, last activity; sortable; links to each dashboard.
    Figures are cached per plan version: only plans changed since are computed."""

    user = request.user
    units = [u for u in permissions.units_for_user(user) if permissions.can_see_overview(user, u)]
    if not units:
        raise PermissionDenied
    plans = list(RencanaKerja.objects.filter(tahun=tahun, unit__in=units).select_related("unit"))
    per_area = progres_per_rencana(plans, per="area_baku")
    areas = list(Area.objects.all())
    rows = []
    for rk in plans:
        cells = [per_area[rk.pk].get(a.kode, Hitungan()) for a in areas]
        total = sum(cells, start=Hitungan())
        rows.append({"rk": rk, "total": total, "areas": cells, "aktif": rk.unggahan_terakhir})
    urut, cari, nomor = WilayahFilterForm(request.GET).filter()
    keys = {"nama": lambda r: r["rk"].unit.nama.lower(),
            "persen": lambda r: -(r["total"].persen or 0),
            "terlambat": lambda r: -r["total"].terlambat,
            "aktif": lambda r: -(r["aktif"].timestamp() if r["aktif"] else 0)}
    rows.sort(key=keys.get(urut, keys["nama"]))
    if cari:
        rows = [r for r in rows if cari.lower() in r["rk"].unit.nama.lower()
                or cari.lower() in r["rk"].unit.kode]
    halaman = Paginator(rows, PER_HALAMAN_WILAYAH).get_page(nomor)
    return render(request, "progres/wilayah.html", {
        "tahun": tahun, "rows": halaman.object_list, "halaman": halaman, "jumlah": len(rows),
        "areas": areas, "urut": urut, "cari": cari,
        "tahun_lain": sorted({t for t in RencanaKerja.objects.filter(unit__in=units)
                              .values_list("tahun", flat=True)}),
    })


def publik(request, kode, tahun):
    """A unit's public progress page (opt-in by the Sekretaris): percentages per area and
    the pencanangan, nothing else; no login."""

    rk = get_object_or_404(RencanaKerja.objects.select_related("unit"), unit__kode=kode,
                           tahun=tahun, unit__is_active=True)
    if not rk.unit.halaman_publik:
        raise Http404
    def buat():
        per = hitung_progres(rk, per="area_baku")
        areas = [(a, per.get(a.kode, Hitungan())) for a in Area.objects.all()]
        return {"areas": areas, "total": sum((h for _a, h in areas), start=Hitungan())}

    return _isi(request, rk, "publik", buat)


@login_required
def atur_publik(request, kode):
    """The Sekretaris turns the public page on or off and writes the pencanangan."""

    unit = permissions.get_unit_for_user(request, kode)
    if request.method != "POST" or not permissions.can_review(request.user, unit):
        raise PermissionDenied
    form = PengaturanPublikForm(request.POST)
    if not form.is_valid():
        for errs in form.errors.values():
            for m in errs:
                messages.error(request, m)
        return redirect("bukti_dukung:antrean", kode=unit.kode)
    unit.halaman_publik = form.cleaned_data["halaman_publik"]
    unit.tanggal_pencanangan = form.cleaned_data["tanggal_pencanangan"]
    unit.keterangan_pencanangan = form.cleaned_data["keterangan_pencanangan"]
    unit.save(update_fields=["halaman_publik", "tanggal_pencanangan", "keterangan_pencanangan"])
    tandai_berubah(unit=unit)  # the public page shows the pencanangan
    messages.success(request, _("Pengaturan halaman publik disimpan."))
    return redirect("bukti_dukung:antrean", kode=unit.kode)
