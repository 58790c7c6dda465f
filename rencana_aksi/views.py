import json
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from organisasi import permissions

from . import services
from .akses import (
    get_indikator_for_user,
    get_komponen_for_user,
    get_rencana_aksi_for_user,
    get_rencana_kerja_for_user,
)
from .berkas_rencana import baca_berkas_rencana
from .bulan import NAMA_BULAN
from .forms import (
    SEMUA_AREA,
    BuktiDukungFormSet,
    FilterRencanaForm,
    HapusForm,
    ImporRencanaForm,
    IndikatorForm,
    IsianFormSet,
    KembaliForm,
    KomponenForm,
    PendahuluanForm,
    RencanaAksiForm,
    SalinRencanaForm,
    TambahIndikatorForm,
    TambahRencanaAksiForm,
    bukti_dukung_diinginkan,
    isian_diinginkan,
)
from .models import Area, Indikator, Komponen, RencanaAksi, RencanaKerja
from .resources import ekspor_xlsx, templat_xlsx
from .selectors import (
    jumlah_perlu_atur_bulan,
    kelompok_bagian,
    pohon_rencana,
    rencana_kerja_sebagai_data,
    riwayat,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def daftar(request):
    """Every plan the user may see, and the units without one (import); straight to the
    plan when there is exactly one."""
    plans = list(
        RencanaKerja.objects.filter(unit__in=permissions.units_for_user(request.user))
        .select_related("unit")
        .order_by("unit__nama", "-tahun")
    )
    units = {rk.unit_id for rk in plans}
    visible = list(permissions.units_for_user(request.user))
    if len(units) == 1 and len(visible) == 1:
        rk = plans[0]
        return redirect("rencana_aksi:rencana", kode=rk.unit.kode, tahun=rk.tahun)
    tanpa_rencana = [u for u in visible
                     if u.pk not in units and permissions.can_import_plan(request.user, u)]
    return render(request, "rencana_aksi/beranda.html", {
        "plans": plans, "tanpa_rencana": tanpa_rencana, "tahun_ini": timezone.localdate().year,
    })


def _filters(request, rk):
    """The plan page filters; bad values are ignored with a warning shown above the tree
    (also in htmx fragments), not a crash."""
    return FilterRencanaForm(request.GET, unit=rk.unit).filter()


@login_required
def rencana(request, kode, tahun):
    rk = get_rencana_kerja_for_user(request, kode, tahun)
    f, peringatan = _filters(request, rk)
    area_pilihan = list(Area.objects.all())
    filtered = any(f.values())
    # the long plan opens one area at a time (the first); a filter without an area (a link
    # from another page, e.g. "?bulan=2024-04") looks through every area
    if not f["area"]:
        f["area"] = SEMUA_AREA if filtered or not area_pilihan else area_pilihan[0].kode
    areas = pohon_rencana(rk, area=None if f["area"] == SEMUA_AREA else f["area"],
                          bulan=f["bulan"], pic=f["pic"], cari=f["cari"],
                          perlu_atur=f["perlu_atur"])
    bisa_ubah = permissions.can_edit_plan(request.user, rk.unit)
    ctx = {
        "rk": rk,
        "tahun_lain": RencanaKerja.objects.filter(unit=rk.unit).values_list("tahun", flat=True),
        "groups": kelompok_bagian(areas),
        "filter": f,
        "filtered": filtered,
        "semua_area": SEMUA_AREA,
        "peringatan_filter": peringatan,
        "bisa_dasbor": permissions.can_view_dashboard(request.user, rk.unit),
        "jumlah_perlu_atur": jumlah_perlu_atur_bulan(rk),
        "bisa_ubah": bisa_ubah,
        "area_pilihan": area_pilihan,
        "bulan_pilihan": [
            (f"{rk.tahun}-{m:02d}", f"{NAMA_BULAN[m]} {rk.tahun}") for m in range(1, 13)
        ],
        "pic_pilihan": permissions.anggota_tim(rk.unit),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "pohon":
        resp = render(request, "rencana_aksi/_pohon.html", ctx)
    else:
        resp = render(request, "rencana_aksi/rencana.html", ctx)
    # The same URL answers with a fragment or a page: caches must tell them apart.
    patch_vary_headers(resp, ["HX-Request", "HX-Target"])
    return resp


@login_required
def pendahuluan(request, kode, tahun):
    rk = get_rencana_kerja_for_user(request, kode, tahun)
    paragraphs = [p.strip() for p in re.split(r"\r?\n\s*\n", rk.pendahuluan) if p.strip()]
    return render(request, "rencana_aksi/pendahuluan.html", {
        "rk": rk, "paragraphs": paragraphs,
        "bisa_ubah": permissions.can_edit_plan(request.user, rk.unit),
    })


@login_required
@require_http_methods(["GET", "POST"])
def pendahuluan_ubah(request, kode, tahun):
    rk = get_rencana_kerja_for_user(request, kode, tahun, write=True)
    form = PendahuluanForm(request.POST or None, instance=rk)
    status = 200
    if request.method == "POST":
        valid = form.is_valid()
        cd = form.cleaned_data if valid else {}
        done, status = _simpan_ubahan(request, valid, form, lambda: services.ubah_pendahuluan(
            rencana_kerja=rk, versi=cd["versi"], pendahuluan=cd["pendahuluan"],
            mekanisme_penetapan_tim=cd["mekanisme_penetapan_tim"],
            target_prioritas=cd["target_prioritas"],
        ), _("Pendahuluan dan lampiran disimpan."), rk, "")
        if done:
            return redirect("rencana_aksi:pendahuluan", kode=rk.unit.kode, tahun=rk.tahun)
    return render(request, "rencana_aksi/pendahuluan_ubah.html", {"form": form, "rk": rk},
                  status=status)


def _area_jangkar(anchor):
    """`?area=<kode>` of the plan row an anchor ("ra-12", "indikator-3", "komponen-4")
    names: the plan page shows one area at a time."""
    jenis, _sep, pk = anchor.rpartition("-")
    jalur = {"ra": (RencanaAksi, "indikator__komponen__"), "indikator": (Indikator, "komponen__"),
             "komponen": (Komponen, "")}.get(jenis)
    if not jalur or not pk.isascii() or not pk.isdigit():
        return ""
    model, awal = jalur
    kode = model.objects.filter(pk=int(pk)).values_list(
        f"{awal}area_rencana__area__kode", flat=True).first()
    return f"?area={kode}" if kode else ""


def _kembali(request, rk, anchor):
    """Where an edit page returns to: the plan page the user came from (with its filters,
    passed as `next`), at the edited row."""
    plan = reverse("rencana_aksi:rencana", args=[rk.unit.kode, rk.tahun])
    nxt = ""
    for data in (request.POST, request.GET):
        f = KembaliForm(data)
        if f.is_valid() and f.cleaned_data["next"]:
            nxt = f.cleaned_data["next"]
            break
    if not (nxt.startswith(plan) and url_has_allowed_host_and_scheme(
            nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure())):
        nxt = plan + _area_jangkar(anchor)
    nxt = nxt.split("#")[0]
    return {"next": nxt, "batal_url": f"{nxt}#{anchor}"}


def _simpan_ubahan(request, forms_valid, form, simpan, pesan, rk, anchor):
    """The POST half of an edit page: run `simpan()` when the forms are valid. Returns
    (redirect, None) on success, else (None, status): 400 invalid, 409 version conflict
    (the message goes on the form and the user's input stays)."""
    if not forms_valid:
        return None, 400
    try:
        simpan()
    except services.KonflikVersi as exc:
        # Show the latest saved state; a second Simpan deliberately overwrites it.
        form.instance.refresh_from_db()
        form.data = form.data.copy()
        form.data["versi"] = form.instance.versi
        form.terbaru = form.instance
        form.add_error(None, exc.messages[0])
        return None, 409
    except ValidationError as exc:  # e.g. evidence already uploaded to a removed item
        form.add_error(None, exc.messages[0])
        return None, 400
    messages.success(request, pesan)
    return redirect(_kembali(request, rk, anchor)["batal_url"]), None


@login_required
@require_http_methods(["GET", "POST"])
def rencana_aksi_ubah(request, pk):
    ra = get_rencana_aksi_for_user(request, pk, write=True)
    rk = ra.indikator.komponen.area_rencana.rencana_kerja
    anggota = permissions.anggota_tim(rk.unit)
    form = RencanaAksiForm(request.POST or None, instance=ra, tahun=rk.tahun, anggota=anggota)
    own_bd = list(ra.bukti_dukung.filter(isian__isnull=True))
    bd_formset = BuktiDukungFormSet(
        request.POST or None, prefix="bd",
        initial=None if request.method == "POST" else [{"id": b.pk, "nama": b.nama} for b in own_bd],
    )
    status = 200
    if request.method == "POST":
        valid = form.is_valid() & bd_formset.is_valid()
        cd = form.cleaned_data if valid else {}
        bulan, per_kejadian = form.target_manual() if valid else (None, None)
        done, status = _simpan_ubahan(request, valid, form, lambda: services.ubah_rencana_aksi(
            rencana_aksi=ra, versi=cd["versi"], teks=cd["teks"],
            target_waktu=cd["target_waktu"], pic=cd["pic"], bulan=bulan,
            per_kejadian=per_kejadian,
            bukti_dukung=bukti_dukung_diinginkan(bd_formset, {b.pk for b in own_bd}),
        ), _("Rencana aksi disimpan."), rk, f"ra-{ra.pk}")
        if done:
            return done
    ctx = {"form": form, "bd_formset": bd_formset, "ra": ra, "rk": rk, "riwayat": riwayat(ra),
           **_kembali(request, rk, f"ra-{ra.pk}"),
           "bd_isian": ra.bukti_dukung.filter(isian__isnull=False).select_related("isian")}
    return render(request, "rencana_aksi/rencana_aksi_ubah.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def indikator_ubah(request, pk):
    ind = get_indikator_for_user(request, pk, write=True)
    rk = ind.komponen.area_rencana.rencana_kerja
    form = IndikatorForm(request.POST or None, instance=ind)
    existing = list(ind.isian.all())
    isian_formset = IsianFormSet(
        request.POST or None, prefix="isian",
        initial=None if request.method == "POST" else [
            {"id": s.pk, "label": s.label, "jenis": s.jenis} for s in existing])
    status = 200
    if request.method == "POST":
        valid = form.is_valid() & isian_formset.is_valid()
        done, status = _simpan_ubahan(request, valid, form, lambda: services.ubah_indikator(
            indikator=ind, versi=form.cleaned_data["versi"], teks=form.cleaned_data["teks"],
            isian=isian_diinginkan(isian_formset, {s.pk for s in existing}),
        ), _("Indikator disimpan."), rk, f"indikator-{ind.pk}")
        if done:
            return done
    return render(request, "rencana_aksi/indikator_ubah.html",
                  {"form": form, "isian_formset": isian_formset, "ind": ind, "rk": rk,
                   **_kembali(request, rk, f"indikator-{ind.pk}")},
                  status=status)


@login_required
@require_http_methods(["GET", "POST"])
def rencana_aksi_hapus(request, pk):
    ra = get_rencana_aksi_for_user(request, pk, write=True)
    rk = ra.indikator.komponen.area_rencana.rencana_kerja
    kembali = _kembali(request, rk, f"indikator-{ra.indikator_id}")
    konflik = None
    if request.method == "POST":
        hapus = HapusForm(request.POST)
        try:
            if not hapus.is_valid():
                raise ValidationError(_("Permintaan tidak lengkap; muat ulang halaman lalu ulangi."))
            services.hapus_rencana_aksi(rencana_aksi=ra, versi=hapus.cleaned_data["versi"])
        except services.KonflikVersi as exc:
            konflik = exc.messages[0]
            ra.refresh_from_db()
        except ValidationError as exc:
            konflik = exc.messages[0]
        else:
            messages.success(request, _("Rencana aksi dihapus."))
            return redirect(kembali["batal_url"])
    return render(request, "rencana_aksi/rencana_aksi_hapus.html",
                  {"ra": ra, "rk": rk, "konflik": konflik, **kembali},
                  status=409 if konflik else 200)


@login_required
@require_http_methods(["GET", "POST"])
def indikator_tambah(request, pk):
    k = get_komponen_for_user(request, pk, write=True)
    rk = k.area_rencana.rencana_kerja
    form = TambahIndikatorForm(request.POST or None)
    ra_form = TambahRencanaAksiForm(request.POST or None, prefix="ra",
                                    anggota=permissions.anggota_tim(rk.unit))
    if request.method == "POST" and form.is_valid() & ra_form.is_valid():
        cd = ra_form.cleaned_data
        ind = services.tambah_indikator(komponen=k, teks=form.cleaned_data["teks"], rencana_aksi={
            "teks": cd["teks"], "target_waktu": cd["target_waktu"], "pic": cd["pic"],
            "bukti_dukung": cd["bukti_dukung"]})
        messages.success(request, _("Indikator ditambahkan."))
        return redirect(_kembali(request, rk, f"indikator-{ind.pk}")["batal_url"])
    return render(request, "rencana_aksi/indikator_tambah.html",
                  {"form": form, "ra_form": ra_form, "k": k, "rk": rk,
                   **_kembali(request, rk, f"komponen-{k.pk}")},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def rencana_aksi_tambah(request, pk):
    ind = get_indikator_for_user(request, pk, write=True)
    rk = ind.komponen.area_rencana.rencana_kerja
    form = TambahRencanaAksiForm(request.POST or None, anggota=permissions.anggota_tim(rk.unit))
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        ra = services.tambah_rencana_aksi(indikator=ind, teks=cd["teks"],
                                          target_waktu=cd["target_waktu"], pic=cd["pic"],
                                          bukti_dukung=cd["bukti_dukung"])
        messages.success(request, _("Rencana aksi ditambahkan."))
        return redirect(_kembali(request, rk, f"ra-{ra.pk}")["batal_url"])
    return render(request, "rencana_aksi/rencana_aksi_tambah.html",
                  {"form": form, "ind": ind, "rk": rk, **_kembali(request, rk, f"indikator-{ind.pk}")},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def salin(request, kode, tahun):
    rk = get_rencana_kerja_for_user(request, kode, tahun, write=True)
    units = permissions.units_for_user(request.user)
    units = units.filter(pk__in=[u.pk for u in units if permissions.can_edit_plan(request.user, u)])
    form = SalinRencanaForm(request.POST or None, units=units,
                            initial={"unit": rk.unit, "tahun": rk.tahun + 1})
    if request.method == "POST" and form.is_valid():
        unit, tahun_baru = form.cleaned_data["unit"], form.cleaned_data["tahun"]
        try:
            baru = services.salin_rencana_kerja(sumber=rk, unit=unit, tahun=tahun_baru,
                                                ganti=form.cleaned_data["ganti"])
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, _("Rencana kerja disalin ke %(unit)s tahun %(tahun)s.")
                             % {"unit": unit.nama, "tahun": tahun_baru})
            return redirect("rencana_aksi:rencana", kode=unit.kode, tahun=baru.tahun)
    return render(request, "rencana_aksi/salin.html", {"form": form, "rk": rk},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def komponen_ubah(request, pk):
    k = get_komponen_for_user(request, pk, write=True)
    rk = k.area_rencana.rencana_kerja
    form = KomponenForm(request.POST or None, instance=k, anggota=permissions.anggota_tim(rk.unit))
    status = 200
    if request.method == "POST":
        valid = form.is_valid()
        done, status = _simpan_ubahan(request, valid, form, lambda: services.ubah_komponen(
            komponen=k, versi=form.cleaned_data["versi"], nama=form.cleaned_data["nama"],
            pic=form.cleaned_data["pic"],
        ), _("Komponen disimpan."), rk, f"komponen-{k.pk}")
        if done:
            return done
    return render(request, "rencana_aksi/komponen_ubah.html",
                  {"form": form, "k": k, "rk": rk, **_kembali(request, rk, f"komponen-{k.pk}")},
                  status=status)


@login_required
def ekspor(request, kode, tahun, fmt):
    rk = get_rencana_kerja_for_user(request, kode, tahun)
    name = f"rencana-kerja-{rk.unit.kode}-{rk.tahun}"
    if fmt == "xlsx":
        resp = HttpResponse(ekspor_xlsx(rk), content_type=XLSX_TYPE)
        resp["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return resp
    body = json.dumps(rencana_kerja_sebagai_data(rk), ensure_ascii=False, indent=2)
    resp = HttpResponse(body, content_type="application/json; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return resp


@login_required
def templat(request):
    resp = HttpResponse(templat_xlsx(), content_type=XLSX_TYPE)
    resp["Content-Disposition"] = 'attachment; filename="templat-rencana-kerja-zi.xlsx"'
    return resp


@login_required
@require_http_methods(["GET", "POST"])
def impor(request, kode, tahun):
    """Import a plan file into the unit, for the year chosen on the form (default: the
    year in the URL)."""
    unit = permissions.get_unit_for_user(request, kode)
    if not permissions.can_import_plan(request.user, unit):
        raise PermissionDenied
    form = ImporRencanaForm(request.POST or None, request.FILES or None, initial={"tahun": tahun})
    errors = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            tahun = form.cleaned_data["tahun"]
            existing = RencanaKerja.objects.filter(unit=unit, tahun=tahun).first()
            f = form.cleaned_data["berkas"]
            try:
                data = baca_berkas_rencana(f.name, f.read())
                if existing and getattr(data, "sumber", None) == "xlsx":
                    # a sheet has no pendahuluan/lampiran: keep the plan's own
                    data["pendahuluan"] = existing.pendahuluan
                    data["mekanisme_penetapan_tim"] = existing.mekanisme_penetapan_tim
                    data["target_prioritas"] = existing.target_prioritas
                rk = services.import_rencana_kerja(
                    data=data, unit=unit, tahun=tahun, ganti=form.cleaned_data["ganti"]
                )
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, _("Rencana kerja %(unit)s %(tahun)s berhasil diimpor.")
                                 % {"unit": unit.nama, "tahun": tahun})
                for w in rk.peringatan:
                    messages.warning(request, w)
                return redirect("rencana_aksi:rencana", kode=unit.kode, tahun=rk.tahun)
    return render(request, "rencana_aksi/impor.html", {
        "form": form, "unit": unit, "tahun": tahun, "errors": errors,
        "tahun_ada": list(RencanaKerja.objects.filter(unit=unit).values_list("tahun", flat=True)),
    }, status=status)
