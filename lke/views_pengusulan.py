"""The Admin's proposals page: every unit of a year with its LKE forecast (total, Menuju
WBK / WBBM pass or fail, TPI answers counting where given), its proposal to PortalRB, and
forms to propose, change or withdraw it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from organisasi import permissions
from organisasi.models import UnitKerja
from rencana_aksi.models import RencanaKerja

from . import selectors
from . import skor as S
from .forms import AksiUsulanForm, TarikUsulanForm, UsulanForm, tahun_dari
from .models import Kategori, LembarKerja, Pengusulan, Predikat, SoalLke


def baris_pengusulan(tahun, lke):
    """One row per active unit (and per inactive unit proposed that year): its plan, its
    score against `lke` (None without an LKE) and its proposal, in a fixed number of
    queries (`selectors.skor_banyak`)."""
    units = list(UnitKerja.objects.filter(Q(is_active=True) | Q(pengusulan__tahun=tahun))
                 .distinct().order_by("nama", "pk"))
    rks = {rk.unit_id: rk for rk in RencanaKerja.objects.filter(tahun=tahun, unit__in=units)}
    usulan = {p.unit_id: p for p in Pengusulan.objects.filter(tahun=tahun)}
    # a unit without a plan is scored from its typed answers
    semua = selectors.skor_banyak([rks.get(u.pk) or RencanaKerja(unit=u, tahun=tahun)
                                   for u in units], lke) if lke is not None else {}
    rows = []
    for u in units:
        rk = rks.get(u.pk)
        skor = semua.get(u.pk)
        rows.append({
            "unit": u, "rk": rk, "skor": skor, "usulan": usulan.get(u.pk),
            "wbk": skor.predikat.get(Predikat.WBK) if skor else None,
            "wbbm": skor.predikat.get(Predikat.WBBM) if skor else None,
        })
    return rows


def _proses(request):
    """Handle a proposal form: (redirect year or None, form with errors)."""
    if AksiUsulanForm.tarik(request.POST):
        form = TarikUsulanForm(request.POST)
        if form.is_valid():
            usulan = form.usulan()
            if usulan:
                usulan.delete()
                messages.success(request, _("Usulan %(u)s tahun %(t)s ditarik.") % {
                    "u": usulan.unit.nama, "t": usulan.tahun})
            else:
                messages.info(request, _("Unit ini tidak diusulkan untuk tahun tersebut."))
            return form.cleaned_data["tahun"], form
        return None, form
    form = UsulanForm(request.POST)
    if form.is_valid():
        try:
            usulan, baru = form.simpan(oleh=request.user, ganti=True)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            pesan = (_("%(u)s diusulkan untuk tahun %(t)s: %(k)s.") if baru
                     else _("Usulan %(u)s tahun %(t)s diubah: %(k)s."))
            messages.success(request, pesan % {"u": usulan.unit.nama, "t": usulan.tahun,
                                               "k": usulan.kategori})
            _peringatan(request, usulan)
            return usulan.tahun, form
    return None, form


def _peringatan(request, usulan):
    """A proposal is never refused for its forecast, but never made blind either."""
    lke = selectors.lke_tahun(usulan.tahun)
    if lke is None:
        return
    rk = (RencanaKerja.objects.filter(unit=usulan.unit, tahun=usulan.tahun).first()
          or RencanaKerja(unit=usulan.unit, tahun=usulan.tahun))
    skor = selectors.skor_banyak([rk], lke)[usulan.unit_id]
    predikat = Predikat.WBBM if usulan.kategori == Kategori.WBBM else Predikat.WBK
    hp = skor.predikat.get(predikat)
    if hp is not None and not hp.lulus:
        gagal = ", ".join(k.nama for k in hp.kriteria if not k.lulus)
        messages.warning(request, _(
            "Perkiraan LKE %(u)s (nilai %(n)s) belum memenuhi Menuju %(p)s: %(g)s.") % {
            "u": usulan.unit.nama, "n": S.koma(skor.total), "p": predikat, "g": gagal})


@login_required
@require_http_methods(["GET", "POST"])
def pengusulan(request):
    if not permissions.is_admin(request.user):
        raise PermissionDenied
    tahun = tahun_dari(request.GET)
    if tahun is None:
        return HttpResponseBadRequest(_("Tahun tidak valid."))
    status = 200
    if request.method == "POST":
        ke, form = _proses(request)
        if ke is not None:
            return redirect(f"{reverse('lke:pengusulan')}?tahun={ke}")
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        status = 400
    lke = selectors.lke_tahun(tahun)
    return render(request, "lke/pengusulan.html", {
        "tahun": tahun, "lke": lke, "rows": baris_pengusulan(tahun, lke),
        "tanpa_soal_id": lke is not None and not SoalLke.objects.filter(
            komponen__area__lke=lke, soal_id__isnull=False).exists(),
        "kategori": Kategori.choices,
        "tahun_lain": sorted(set(LembarKerja.objects.values_list("tahun", flat=True))
                             | set(Pengusulan.objects.order_by().values_list("tahun", flat=True))),
    }, status=status)
