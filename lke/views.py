"""LKE pages: the self-assessment in the workbook's layout (unit and TPI answers, scores,
predicate forecast), the links between questions and the plan's indikator, the XLSX."""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from organisasi import permissions
from rencana_aksi.akses import get_rencana_kerja_for_user
from rencana_aksi.models import Isian
from rencana_aksi.services import KonflikVersi

from . import jendela, lembar_kerja, selectors, services
from . import skor as S
from .ekspor import lke_xlsx as buat
from .forms import (
    SEMUA,
    AksiTautanForm,
    AreaLkeForm,
    ImporLembarKerjaForm,
    JawabForm,
    TautanIndikatorForm,
    TautanIsianForm,
)
from .models import SoalLke, TautanSoal


def _rk(request, kode, tahun):
    rk = get_rencana_kerja_for_user(request, kode, tahun)
    if not permissions.can_view_lke(request.user, rk.unit):
        raise Http404
    return rk


def _lke(rk):
    lke = selectors.lke_tahun(rk.tahun)
    if lke is None:
        raise Http404(_("LKE tahun %(t)s belum disiapkan.") % {"t": rk.tahun})
    return lke


def _sisi(ns, sisi, j, boleh):
    """One side of a row as the template shows it; `v`/`cv` are what the form holds (the
    saved answer, or the refused input with `galat`)."""
    if j is None:
        jwb, ctt, oleh, pada, versi = "", "", None, None, 0
    elif sisi == "unit":
        jwb, ctt, oleh, pada, versi = (j.jawaban_unit, j.catatan_unit, j.diisi_oleh, j.diisi_pada,
                                       j.versi_unit)
    else:
        jwb, ctt, oleh, pada, versi = (j.jawaban_tpi, j.catatan_tpi, j.dinilai_oleh, j.dinilai_pada,
                                       j.versi_tpi)
    return SimpleNamespace(sisi=sisi, jwb=jwb, ctt=ctt, oleh=oleh if (jwb or ctt) else None,
                           pada=pada, versi=versi, boleh=boleh, v=jwb, cv=ctt, galat="",
                           isian=sisi == "unit" and ns.dari_isian)


def konteks(request, rk, lke):
    """Everything the page, a row and the summary need, in a fixed number of queries. Each
    row's NilaiSoal gets what it shows: both sides with rights, evidence, linked indikator
    (every attribute set here: a missing one costs the template a lookup through dir())."""
    skor, areas, tautan = selectors.skor_rencana(rk, lke)
    user, unit = request.user, rk.unit
    pic = selectors.pic_per_soal(tautan)
    bukti = selectors.bukti_soal(rk, tautan)
    indikator = selectors.indikator_tertaut(tautan)
    tutup = jendela.tertutup(unit, rk.tahun, user=user)  # the TPI round's windows, if any
    tanda = jendela.penanda(unit, rk.tahun)  # e.g. questions the TPI sent back
    bisa_tpi = permissions.can_assess_lke(user, unit) and not tutup["tpi"]
    url_soal = reverse("lke:jawab", args=[unit.kode, rk.tahun, 0]).removesuffix("0/")
    for ns in skor.soal():
        pk = ns.soal.pk
        ns.url = f"{url_soal}{pk}/"
        # a linked count row is filled once, in the plan
        bisa_unit = (not ns.dari_isian and not jendela.pesan_tutup(tutup, "unit", pk)
                     and permissions.can_answer_lke(user, unit, pic.get(pk)))
        ns.sisi = [_sisi(ns, "unit", ns.jawaban, bisa_unit), _sisi(ns, "tpi", ns.jawaban, bisa_tpi)]
        ns.bukti = bukti.get(pk, [])
        ns.tanda = tanda.get(pk, [])
        ns.indikator = [(f"{i.komponen.area_rencana.bagian.kode}.{i.komponen.area_rencana.area.kode}."
                         f"{i.komponen.nomor}", i) for i in indikator.get(pk, [])]
        ns.nilai_teks = "" if ns.soal.angka else S.koma(ns.nilai)
    semua = skor.soal()
    return {"rk": rk, "lke": lke, "skor": skor, "tutup": tutup,
            "t_catatan": _("Catatan"), "t_simpan": _("Simpan"),
            "t_jawaban": _("Jawaban"), "t_indikator": _("Indikator rencana"), "t_belum": _("belum"),
            "t_jumlah": _("Jumlah yang dihitung"),
            "bisa_tautkan": permissions.can_link_lke(user, unit),
            "tak_tertaut": sum(1 for ns in semua
                               if not ns.indikator and ns.soal.komponen.area.bagian != "hasil"),
            "tanpa_soal_id": sum(1 for ns in semua if not ns.soal.soal_id),
            "bisa_impor": permissions.can_import_lke(user, unit)}


@login_required
def lke_unit(request, kode, tahun):
    rk = _rk(request, kode, tahun)
    lke = selectors.lke_tahun(rk.tahun)
    if lke is None:
        terakhir = services.tahun_sumber(rk.tahun)
        return render(request, "lke/belum.html", {
            "rk": rk, "terakhir": terakhir, "bisa_siapkan": permissions.is_admin(request.user)},
            status=404)
    ctx = konteks(request, rk, lke)
    kode_area = [a.area.kode for a in ctx["skor"].areas]
    pilih = AreaLkeForm(request.GET).pilih(kode_area)
    ctx["area_pilih"] = pilih
    ctx["area_tampil"] = [a for a in ctx["skor"].areas if pilih in (SEMUA, a.area.kode)]
    ctx["semua"] = SEMUA
    if pilih != SEMUA:
        i = kode_area.index(pilih)
        areas = [a.area for a in ctx["skor"].areas]
        ctx["area_sebelum"] = areas[i - 1] if i else None
        ctx["area_sesudah"] = areas[i + 1] if i + 1 < len(areas) else None
    return render(request, "lke/lke.html", ctx)


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
    isian = selectors.isian_rencana(rk, lke)
    tautan = selectors.tautan_rencana(rk, lke, isian)
    boleh = {"unit": soal.pk not in isian and permissions.can_answer_lke(
                 request.user, rk.unit, selectors.pic_per_soal(tautan).get(soal.pk)),
             "tpi": permissions.can_assess_lke(request.user, rk.unit)}
    if not any(boleh.values()):
        raise PermissionDenied
    form = JawabForm(request.POST)
    form.is_valid()
    sisi = form.cleaned_data.get("sisi")
    if sisi is None:
        return HttpResponseBadRequest(_("Sisi jawaban tidak dikenal."))
    if not boleh[sisi]:
        raise PermissionDenied
    galat, status = None, 200
    tutup = jendela.pesan_tutup(jendela.tertutup(rk.unit, rk.tahun, user=request.user), sisi,
                                soal.pk)
    if tutup:  # the window closed while the page was open: said in the row, nothing saved
        galat, status = tutup, 400
    elif "versi" in form.errors:
        galat, status = _("Versi jawaban tidak dikenal; muat ulang halaman."), 409
    elif form.errors:
        galat, status = _("Jawaban atau catatan terlalu panjang (catatan paling banyak 4.000 "
                          "karakter)."), 400
    else:
        try:
            services.simpan_jawaban(user=request.user, unit=rk.unit, soal=soal, sisi=sisi,
                                    jawaban=form.cleaned_data["jawaban"],
                                    catatan=form.cleaned_data["catatan"],
                                    versi=form.cleaned_data["versi"])
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
        d = baris[2].sisi[0 if sisi == "unit" else 1]
        d.galat, (d.v, d.cv) = galat, form.masukan()
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
        aksi = AksiTautanForm(request.POST)
        if aksi.is_valid() and aksi.cleaned_data["aksi"] == "otomatis":
            n = services.tautkan_otomatis(rk, lke)
            messages.success(request, _("%(n)s tautan dibuat otomatis.") % {"n": n})
        elif "isian" in request.POST:
            _tautan_isian(request, rk, lke)
        else:
            form = TautanIndikatorForm(request.POST, rk=rk, lke=lke)
            if not form.is_valid():
                raise Http404
            ind, soal = form.cleaned_data["indikator"], form.cleaned_data["soal"]
            if soal is None:
                TautanSoal.objects.filter(indikator=ind).delete()
                messages.success(request, _("Tautan indikator dilepas."))
            else:
                try:
                    services.tautkan(ind, soal)
                except ValidationError as exc:
                    messages.error(request, exc.messages[0])
                else:
                    messages.success(request, _("Indikator ditautkan ke soal %(k)s.") % {
                        "k": soal.kode})
        return redirect("lke:tautan", rk.unit.kode, rk.tahun)
    areas = selectors.pohon(lke)
    isian = selectors.isian_rencana(rk, lke)
    tt = selectors.tautan_rencana(rk, lke, isian)
    soal_lepas, ind_lepas = selectors.tak_tertaut(rk, lke, areas, tt)
    semua = [s for a in areas for k in a.komponen.all() for s in k.soal.all()]
    return render(request, "lke/tautan.html", {
        "rk": rk, "lke": lke, "areas": areas, "soal_lepas": soal_lepas, "ind_lepas": ind_lepas,
        "indikator": selectors.indikator_tertaut(tt), "bisa": bisa, "isian": isian,
        "semua_soal": [s for s in semua if not s.angka],
        "baris_angka": [s for s in semua if s.angka],
        "isian_rencana": list(Isian.objects.filter(
            indikator__komponen__area_rencana__rencana_kerja=rk, jenis=Isian.Jenis.JUMLAH)
            .select_related("indikator__komponen__area_rencana__bagian",
                            "indikator__komponen__area_rencana__area")
            .order_by("indikator__komponen__area_rencana__bagian__kode",
                      "indikator__komponen__area_rencana__area__urutan",
                      "indikator__komponen__nomor", "indikator__urutan", "urutan"))})


def _tautan_isian(request, rk, lke):
    """Link a count row to a numeric input of the plan, or unlink it (empty `isian`)."""
    form = TautanIsianForm(request.POST, rk=rk, lke=lke)
    if not form.is_valid():
        raise Http404
    soal, isian = form.cleaned_data["soal"], form.cleaned_data["isian"]
    try:
        services.tautkan_isian(rk, soal, isian)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Baris %(k)s ditautkan ke isian “%(l)s”.") % {
            "k": soal.kode, "l": isian.label} if isian else _("Tautan baris %(k)s dilepas.") % {
            "k": soal.kode})


@login_required
def lke_xlsx(request, kode, tahun):
    rk = _rk(request, kode, tahun)
    lke = _lke(rk)
    skor, _areas, tautan = selectors.skor_rencana(rk, lke)
    bukti = selectors.bukti_soal(rk, tautan)
    for ns in skor.soal():
        ns.bukti = bukti.get(ns.soal.pk, [])
    resp = HttpResponse(buat(rk, skor), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    resp["Content-Disposition"] = f'attachment; filename="lke-{rk.unit.kode}-{rk.tahun}.xlsx"'
    return resp


@login_required
def lembar_kerja_unduh(request, kode, tahun):
    """The official workbook (sheet Jawaban) with the unit's and the TPI's answers."""
    rk = _rk(request, kode, tahun)
    lke = _lke(rk)
    resp = HttpResponse(lembar_kerja.ekspor(rk=rk, lke=lke, request=request),
                        content_type=lembar_kerja.XLSX)
    resp["Content-Disposition"] = (
        f'attachment; filename="lembar-kerja-lke-{rk.unit.kode}-{rk.tahun}.xlsx"')
    return resp


def _pratinjau(request, rk, lke, simpanan, kunci, status=200, galat=None):
    """The changes of a pending import as they stand now; their fingerprint is what
    "Simpan" will be checked against."""
    baris = [lembar_kerja.Baris(**b) for b in simpanan["baris"]]
    try:
        perubahan = lembar_kerja.rencana(rk=rk, lke=lke, baris=baris, user=request.user,
                                         kosongkan=simpanan.get("kosongkan", False))
    except ValidationError as exc:
        request.session.pop(kunci, None)
        return render(request, "lke/impor.html", {
            "rk": rk, "lke": lke, "form": ImporLembarKerjaForm(), "galat": exc.messages},
            status=400)
    simpanan["sidik"] = lembar_kerja.sidik(perubahan)
    request.session[kunci] = simpanan
    return render(request, "lke/impor.html", {
        "rk": rk, "lke": lke, "pratinjau": True, "nama_berkas": simpanan["nama"],
        "berubah": [p for p in perubahan if not p.alasan],
        "diabaikan": [p for p in perubahan if p.alasan], "galat": galat or []}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def lembar_kerja_impor(request, kode, tahun):
    """Import the official workbook: upload, preview every change, then save all or
    nothing. The parsed rows wait in the session between the steps."""
    rk = _rk(request, kode, tahun)
    lke = _lke(rk)
    if not permissions.can_import_lke(request.user, rk.unit):
        raise PermissionDenied
    kunci = f"lke_impor:{rk.pk}"
    simpanan = request.session.get(kunci)
    if request.method == "GET":
        if simpanan:
            return _pratinjau(request, rk, lke, simpanan, kunci)
        return render(request, "lke/impor.html", {"rk": rk, "lke": lke,
                                                  "form": ImporLembarKerjaForm()})
    form = ImporLembarKerjaForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "lke/impor.html", {"rk": rk, "lke": lke, "form": form}, status=400)
    aksi = form.cleaned_data["aksi"]
    url_lke = reverse("lke:lke", args=[rk.unit.kode, rk.tahun])
    if aksi == "batal":
        request.session.pop(kunci, None)
        messages.info(request, _("Impor lembar kerja dibatalkan; tidak ada yang diubah."))
        return redirect(url_lke)
    if aksi == "unggah":
        f = form.cleaned_data["berkas"]
        try:
            baris = lembar_kerja.baca(f, lke)
            perubahan = lembar_kerja.rencana(rk=rk, lke=lke, baris=baris, user=request.user,
                                             kosongkan=form.cleaned_data["kosongkan"])
        except ValidationError as exc:
            return render(request, "lke/impor.html", {
                "rk": rk, "lke": lke, "form": ImporLembarKerjaForm(), "galat": exc.messages},
                status=400)
        request.session[kunci] = {"baris": [b.sebagai_data() for b in baris], "nama": f.name,
                                  "sidik": lembar_kerja.sidik(perubahan),
                                  "kosongkan": form.cleaned_data["kosongkan"]}
        return redirect("lke:lembar_kerja_impor", rk.unit.kode, rk.tahun)
    if not simpanan:
        messages.error(request, _("Tidak ada impor yang menunggu; unggah lembar kerjanya lagi."))
        return redirect("lke:lembar_kerja_impor", rk.unit.kode, rk.tahun)
    baris = [lembar_kerja.Baris(**b) for b in simpanan["baris"]]
    berubah = _("Data LKE berubah setelah pratinjau (diubah pengguna lain). Tidak ada yang "
                "disimpan; periksa lagi perubahan di bawah ini lalu simpan.")
    try:
        perubahan = lembar_kerja.rencana(rk=rk, lke=lke, baris=baris, user=request.user,
                                         kosongkan=simpanan.get("kosongkan", False))
        if lembar_kerja.sidik(perubahan) != simpanan.get("sidik"):
            raise KonflikVersi(berubah)
        n = lembar_kerja.terapkan(rk=rk, lke=lke, perubahan=perubahan, user=request.user)
    except KonflikVersi as exc:
        return _pratinjau(request, rk, lke, simpanan, kunci, status=409, galat=exc.messages)
    except ValidationError as exc:
        request.session.pop(kunci, None)
        return render(request, "lke/impor.html", {
            "rk": rk, "lke": lke, "form": ImporLembarKerjaForm(), "galat": exc.messages},
            status=400)
    request.session.pop(kunci, None)
    messages.success(request, _("Lembar kerja diimpor: %(n)s perubahan disimpan.") % {"n": n})
    return redirect(url_lke)
