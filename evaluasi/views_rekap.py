"""The rekap page of a round for the Inspektorat: every unit's scores, criteria and open
questions, sortable, as XLSX; the Admin proposes a passing unit to PortalRB with one action
(lke's Pengusulan, never automatically)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook

from lke.forms import UsulanForm
from lke.models import Pengusulan
from lke.pilihan import Kategori, Predikat
from lke.selectors import lke_tahun
from organisasi import permissions
from umum import xlsx

from . import selectors
from .models import PutaranEvaluasi
from .rekap import URUTAN, baris_rekap

KATEGORI = {"WBK": (Predikat.WBK, Kategori.WBK), "WBBM": (Predikat.WBBM, Kategori.WBBM)}


class UrutForm(forms.Form):
    urut = forms.ChoiceField(choices=[(k, k) for k in URUTAN], required=False)
    turun = forms.BooleanField(required=False)

    def nilai(self):
        if not self.is_valid():
            return "unit", False
        return self.cleaned_data["urut"] or "unit", self.cleaned_data["turun"]


class UsulkanForm(forms.Form):
    unit = forms.CharField(max_length=50)
    kategori = forms.ChoiceField(choices=[(k, k) for k in KATEGORI], error_messages={
        "invalid_choice": gettext_lazy("Kategori harus WBK atau WBBM.")})


def _peserta(request, putaran):
    """The round's units the user may see here: all for the Admin, its own for a TPI."""
    user = request.user
    qs = selectors.peserta_rekap(putaran)
    if permissions.is_admin(user):
        return qs
    if not permissions.is_tpi(user):
        raise PermissionDenied
    return qs.filter(penugasan__user=user).distinct()


def _baris(request, tahun, urut="unit", turun=False):
    putaran = get_object_or_404(PutaranEvaluasi, tahun=tahun)
    peserta = _peserta(request, putaran)
    lke = lke_tahun(tahun)
    if lke is None:
        raise Http404
    return putaran, baris_rekap(peserta, lke, urut, turun)


@login_required
@require_http_methods(["GET", "POST"])
def rekap(request, tahun):
    urut, turun = UrutForm(request.GET).nilai()
    putaran, baris = _baris(request, tahun, urut, turun)
    admin = permissions.is_admin(request.user)
    if request.method == "POST":
        if not admin:
            raise PermissionDenied
        _usulkan(request, tahun, baris)
        return redirect(request.get_full_path())
    usulan = {u.unit_id: u for u in Pengusulan.objects.filter(
        tahun=tahun, unit__in=[b.unit for b in baris])}
    for b in baris:
        b.usulan = usulan.get(b.unit.pk)
    return render(request, "evaluasi/rekap.html", {
        "putaran": putaran, "baris": baris, "urut": urut, "turun": turun, "admin": admin,
        "kolom": [("unit", _("Unit kerja")), ("skor_unit", _("Nilai mandiri")),
                  ("skor_tpi", _("Nilai TPI")), ("selisih", _("Selisih")),
                  ("dikembalikan", _("Dikembalikan, belum ditutup"))]})


def _usulkan(request, tahun, baris):
    form = UsulkanForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for e in form.errors.values() for m in e))
        return
    b = next((b for b in baris if b.unit.kode == form.cleaned_data["unit"]), None)
    predikat, kategori = KATEGORI[form.cleaned_data["kategori"]]
    if b is None:
        messages.error(request, _("Unit ini bukan peserta putaran."))
        return
    if not b.lulus(predikat):
        messages.error(request, _("%(u)s belum memenuhi semua kriteria %(k)s: tidak dapat "
                                  "diusulkan.") % {"u": b.unit.nama, "k": kategori})
        return
    usul = UsulanForm({"unit": b.unit.kode, "tahun": tahun, "kategori": kategori})
    try:
        if not usul.is_valid():
            raise ValidationError([m for e in usul.errors.values() for m in e])
        usul.simpan(oleh=request.user, ganti=False)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return
    messages.success(request, _("%(u)s diusulkan sebagai %(k)s %(t)s.")
                     % {"u": b.unit.nama, "k": kategori, "t": tahun})


def _kriteria(b, predikat):
    hp = b.predikat.get(predikat)
    ya, tidak = _("ya"), _("tidak")
    return "; ".join(f"{k.nama}: {ya if k.lulus else tidak}" for k in hp.kriteria) if hp else ""


@login_required
def rekap_xlsx(request, tahun):
    urut, turun = UrutForm(request.GET).nilai()
    putaran, baris = _baris(request, tahun, urut, turun)
    wb = Workbook()
    wb.remove(wb.active)
    xlsx.lembar(wb, _("Rekap %(t)s") % {"t": tahun}, [
        (_("Kode"), 20), (_("Unit kerja"), 36), (_("Nilai mandiri"), 12), (_("Nilai TPI"), 12),
        (_("Selisih"), 10), ("WBK", 8), (_("Kriteria WBK"), 40), ("WBBM", 8),
        (_("Kriteria WBBM"), 40), (_("Dikembalikan, belum ditutup"), 14)],
        [[b.unit.kode, b.unit.nama, float(b.skor_unit), float(b.skor_tpi), float(b.selisih),
          _("memenuhi") if b.wbk else _("belum"), _kriteria(b, Predikat.WBK),
          _("memenuhi") if b.wbbm else _("belum"), _kriteria(b, Predikat.WBBM),
          b.dikembalikan_terbuka] for b in baris])
    resp = HttpResponse(xlsx.simpan(wb), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    resp["Content-Disposition"] = f'attachment; filename="rekap-evaluasi-{putaran.tahun}.xlsx"'
    return resp
