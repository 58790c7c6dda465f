"""LKE pages: the self-assessment in the workbook's layout (unit and TPI answers, scores,
predicate forecast), the links between questions and the plan's indikator, the XLSX."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rencana_aksi.models import Indikator
from rencana_aksi.services import KonflikVersi
from zona_integritas import permissions

from . import selectors, services
from .models import SoalLke, TautanSoal


def _rk(request, kode, tahun):
    rk = permissions.get_rencana_kerja_for_user(request, kode, tahun)
    if not permissions.can_view_lke(request.user, rk.unit):
        raise Http404
    return rk


def _lke(rk):
    lke = selectors.lke_tahun(rk.tahun)
    if lke is None:
        raise Http404(_("LKE tahun %(t)s belum disiapkan.") % {"t": rk.tahun})
    return lke


def konteks(request, rk, lke):
    """Everything the page, a row and the summary need, in a fixed number of queries. Each
    question's NilaiSoal gets what the row shows: rights, evidence, linked indikator."""
    skor, areas, tautan = selectors.skor_rencana(rk, lke)
    user, unit = request.user, rk.unit
    pic = selectors.pic_per_soal(tautan)
    bukti = selectors.bukti_soal(tautan)
    indikator = selectors.indikator_tertaut(tautan)
    bisa_tpi = permissions.can_assess_lke(user, unit)
    for ns in skor.soal():
        pk = ns.soal.pk
        ns.bisa_unit = permissions.can_answer_lke(user, unit, pic.get(pk))
        ns.bisa_tpi = bisa_tpi
        ns.bukti = bukti.get(pk, [])
        ns.indikator = indikator.get(pk, [])
        ns.versi_unit = ns.jawaban.versi_unit if ns.jawaban else 0
        ns.versi_tpi = ns.jawaban.versi_tpi if ns.jawaban else 0
    semua = skor.soal()
    return {"rk": rk, "lke": lke, "skor": skor,
            "bisa_tautkan": permissions.can_link_lke(user, unit),
            "tak_tertaut": sum(1 for ns in semua
                               if not ns.indikator and ns.soal.komponen.area.bagian != "hasil"),
            "tanpa_soal_id": sum(1 for ns in semua if not ns.soal.soal_id),
            "bobot_perkiraan": any(k.komponen.bobot_perkiraan for a in skor.areas for k in a.komponen)}


@login_required
def lke_unit(request, kode, tahun):
    rk = _rk(request, kode, tahun)
    lke = selectors.lke_tahun(rk.tahun)
    if lke is None:
        terakhir = services.tahun_sumber(rk.tahun)
        return render(request, "lke/belum.html", {
            "rk": rk, "terakhir": terakhir, "bisa_siapkan": permissions.is_admin(request.user)},
            status=404)
    return render(request, "lke/lke.html", konteks(request, rk, lke))


@login_required
@require_POST
def siapkan(request, kode, tahun):
    """The Admin starts a year's LKE: a copy of the nearest year, or the bundled data."""
    rk = _rk(request, kode, tahun)
    if not permissions.is_admin(request.user):
        raise PermissionDenied
    try:
        _lke, dibuat = services.siapkan_tahun(rk.tahun)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        if dibuat:
            messages.success(request, _("LKE tahun %(t)s disiapkan.") % {"t": rk.tahun})
    return redirect("lke:lke", rk.unit.kode, rk.tahun)


@login_required
@require_POST
def jawab(request, kode, tahun, pk):
    """Save the unit's or the TPI's answer to one question. htmx gets the row back (and the
    komponen, area and summary out of band); a plain form post is redirected."""
    rk = _rk(request, kode, tahun)
    lke = _lke(rk)
    soal = get_object_or_404(SoalLke.objects.select_related("jenis", "komponen__area"),
                             pk=pk, komponen__area__lke=lke)
    tautan = selectors.tautan_rencana(rk, lke)
    boleh = {"unit": permissions.can_answer_lke(request.user, rk.unit,
                                                selectors.pic_per_soal(tautan).get(soal.pk)),
             "tpi": permissions.can_assess_lke(request.user, rk.unit)}
    sisi = request.POST.get("sisi")
    if not any(boleh.values()):
        raise PermissionDenied
    if sisi not in boleh:
        return HttpResponseBadRequest(_("Sisi jawaban tidak dikenal."))
    if not boleh[sisi]:
        raise PermissionDenied
    try:
        versi = int(request.POST.get("versi", ""))
    except ValueError:
        versi = -1
    galat, status = None, 200
    try:
        services.simpan_jawaban(user=request.user, unit=rk.unit, soal=soal, sisi=sisi,
                                jawaban=request.POST.get("jawaban", ""),
                                catatan=request.POST.get("catatan", ""), versi=versi)
    except KonflikVersi as exc:
        galat, status = exc.messages[0], 409
    except ValidationError as exc:
        galat, status = exc.messages[0], 400
    url = reverse("lke:lke", args=[rk.unit.kode, rk.tahun]) + f"#soal-{soal.pk}"
    if not request.headers.get("HX-Request"):
        if galat is None:
            messages.success(request, _("Jawaban %(k)s tersimpan.") % {"k": soal.kode})
            return redirect(url)
    ctx = konteks(request, rk, lke)
    baris = next((a, k, ns) for a in ctx["skor"].areas for k in a.komponen
                 for ns in k.soal if ns.soal.pk == soal.pk)
    if galat:
        # the user's input stays in the form, beside the saved answer
        ns = baris[2]
        ns.galat, ns.sisi_galat = galat, sisi
        ns.isian = {"jawaban": request.POST.get("jawaban", ""),
                    "catatan": request.POST.get("catatan", "")}
    if not request.headers.get("HX-Request"):
        messages.error(request, galat)
        return render(request, "lke/lke.html", ctx, status=status)
    ctx["baris"] = baris
    return render(request, "lke/_jawab.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def tautan(request, kode, tahun):
    """Which indikator answers which question; the unlinked ones on both sides."""
    rk = _rk(request, kode, tahun)
    lke = _lke(rk)
    bisa = permissions.can_link_lke(request.user, rk.unit)
    if request.method == "POST":
        if not bisa:
            raise PermissionDenied
        if request.POST.get("aksi") == "otomatis":
            n = services.tautkan_otomatis(rk, lke)
            messages.success(request, _("%(n)s indikator ditautkan otomatis.") % {"n": n})
        else:
            ind_pk, soal_pk = request.POST.get("indikator", ""), request.POST.get("soal", "")
            if not ind_pk.isdigit() or (soal_pk and not soal_pk.isdigit()):
                raise Http404
            ind = get_object_or_404(Indikator, pk=ind_pk, komponen__area_rencana__rencana_kerja=rk)
            if not soal_pk:
                TautanSoal.objects.filter(indikator=ind).delete()
                messages.success(request, _("Tautan indikator dilepas."))
            else:
                soal = get_object_or_404(SoalLke, pk=soal_pk, komponen__area__lke=lke)
                try:
                    services.tautkan(ind, soal)
                except ValidationError as exc:
                    messages.error(request, exc.messages[0])
                else:
                    messages.success(request, _("Indikator ditautkan ke soal %(k)s.") % {
                        "k": soal.kode})
        return redirect("lke:tautan", rk.unit.kode, rk.tahun)
    areas = selectors.pohon(lke)
    tt = selectors.tautan_rencana(rk, lke)
    soal_lepas, ind_lepas = selectors.tak_tertaut(rk, lke, areas, tt)
    return render(request, "lke/tautan.html", {
        "rk": rk, "lke": lke, "areas": areas, "soal_lepas": soal_lepas, "ind_lepas": ind_lepas,
        "indikator": selectors.indikator_tertaut(tt), "bisa": bisa,
        "semua_soal": [s for a in areas for k in a.komponen.all() for s in k.soal.all()]})


@login_required
def lke_xlsx(request, kode, tahun):
    from .ekspor import lke_xlsx as buat

    rk = _rk(request, kode, tahun)
    lke = _lke(rk)
    skor, _areas, tautan = selectors.skor_rencana(rk, lke)
    bukti = selectors.bukti_soal(tautan)
    for ns in skor.soal():
        ns.bukti = bukti.get(ns.soal.pk, [])
    resp = HttpResponse(buat(rk, skor), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    resp["Content-Disposition"] = f'attachment; filename="lke-{rk.unit.kode}-{rk.tahun}.xlsx"'
    return resp
