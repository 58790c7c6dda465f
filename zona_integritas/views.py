"""Each role's home after sign-in, the navigation bar's counts and the unit/year switch."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bukti_dukung.kebutuhan import perlu_tindakan
from bukti_dukung.selectors import jumlah_antrean
from evaluasi.selectors import jumlah_menunggu_unit
from laporan.models import Laporan, Semester, StatusLaporan
from laporan.selectors import batas_semester
from lke.models import JawabanLke, SoalLke
from lke.selectors import lke_tahun, skor_banyak
from organisasi import permissions
from organisasi.models import Peran
from progres.selectors import progres_per_rencana
from progres.views import badan_dasbor
from rencana_aksi.models import RencanaKerja

from . import navigasi


class PindahForm(forms.Form):
    """Switch the current unit and year (the navigation bar's menu)."""

    unit = forms.SlugField(required=False, max_length=50)
    tahun = forms.IntegerField(required=False, min_value=2000, max_value=2100)


def _pindah(request):
    """Apply ?unit=&tahun= to the session; a redirect, or None when there is nothing to do."""
    f = PindahForm(request.GET)
    if not f.is_valid() or not (f.cleaned_data["unit"] or f.cleaned_data["tahun"]):
        return None
    d = f.cleaned_data
    simpan = dict(request.session.get(navigasi.SESI) or {})
    if d["unit"]:
        unit = permissions.get_unit_for_user(request, d["unit"])  # 404 for strangers
        simpan.update(unit=unit.pk, kode=unit.kode, nama=unit.nama)
        simpan.pop("tahun", None)
    if d["tahun"]:
        simpan["tahun"] = d["tahun"]
    request.session[navigasi.SESI] = simpan
    return redirect("beranda")


@login_required
def beranda(request):
    """The home of the user's roles in the current unit: the Admin gets the regency
    overview, a team member their tasks; the Kepala Dinas the reports awaiting signature
    and the dashboard; the Sekretaris what waits; the TPI its units and their LKE."""
    pindah = _pindah(request)
    if pindah:
        return pindah
    user = request.user
    pos = navigasi.posisi(request)
    unit, tahun = pos.unit, pos.tahun
    if unit is None:
        if permissions.is_admin(user):
            return redirect("progres:wilayah", tahun=tahun)
        return render(request, "beranda_kosong.html")
    roles = permissions.peran_di_unit(user, unit) - {Peran.ADMIN}
    if not roles and permissions.is_admin(user):
        return redirect("progres:wilayah", tahun=tahun)
    if roles == {Peran.ANGGOTA}:
        return redirect(reverse("bukti_dukung:tugas_saya") + f"?unit={unit.kode}&tahun={tahun}")
    rk = RencanaKerja.objects.filter(unit=unit, tahun=tahun).select_related("unit").first()
    ctx = {"unit": unit, "tahun": tahun, "rk": rk, "roles": roles,
           "tahun_lain": RencanaKerja.objects.filter(unit=unit).exclude(tahun=tahun)
           .values_list("tahun", flat=True).order_by("-tahun")}
    if Peran.KEPALA_DINAS in roles:
        ctx["menunggu_tanda"] = list(
            Laporan.objects.filter(rencana_kerja__unit=unit, status=StatusLaporan.DIAJUKAN)
            .select_related("rencana_kerja").order_by("rencana_kerja__tahun", "semester"))
    if Peran.SEKRETARIS in roles:
        ctx["antrean"] = jumlah_antrean(unit)
        ctx["kembali"] = jumlah_menunggu_unit(unit, tahun)  # the TPI's send-backs, first
        if rk:
            ctx["laporan"] = _laporan_disiapkan(rk)
            ctx["lke"] = _status_lke(rk)
            ctx["tindakan"] = perlu_tindakan(rk, user)
    if Peran.TPI in roles:
        ctx["unit_tpi"] = _unit_tpi(user, tahun)
    if rk and permissions.can_view_dashboard(user, unit):
        ctx["dasbor"] = badan_dasbor(rk, user)
    return render(request, "beranda.html", ctx)


def _laporan_disiapkan(rk):
    """Both semester reports of the plan with their state; `perlu`: its semester has
    started and it is not yet signed (the July and December reports to prepare)."""
    ada = {lap.semester: lap for lap in Laporan.objects.filter(rencana_kerja=rk)}
    hari = timezone.localdate()
    out = []
    for s in Semester:
        lap = ada.get(s.value)
        akhir, _sampai = batas_semester(rk.tahun, s.value)
        mulai = akhir.replace(month=1 if s.value == 1 else 7, day=1)
        out.append({"semester": s, "laporan": lap, "akhir": akhir,
                    "status": lap.get_status_display() if lap else _("Draf (belum disimpan)"),
                    "perlu": hari >= mulai and (lap is None
                                                or lap.status != StatusLaporan.DITANDATANGANI)})
    return out


def _status_lke(rk):
    """The LKE of the plan's year: questions answered by the unit, and the scores."""
    lke = lke_tahun(rk.tahun)
    if lke is None:
        return None
    jumlah = SoalLke.objects.filter(komponen__area__lke=lke).count()
    terjawab = JawabanLke.objects.filter(unit_id=rk.unit_id, soal__komponen__area__lke=lke).aggregate(
        unit=Count("pk", filter=~Q(jawaban_unit="")), tpi=Count("pk", filter=~Q(jawaban_tpi="")))
    return {"jumlah": jumlah, "unit": terjawab["unit"], "tpi": terjawab["tpi"],
            "skor": skor_banyak([rk], lke)[rk.unit_id]}


def _unit_tpi(user, tahun):
    """The units the TPI evaluates, with the year's progress and LKE scores."""
    units = [u for u in permissions.unit_anggota(user)
             if Peran.TPI in permissions.peran_di_unit(user, u)]
    plans = {rk.unit_id: rk for rk in RencanaKerja.objects.filter(unit__in=units, tahun=tahun)
             .select_related("unit")}
    progres = progres_per_rencana(list(plans.values()))
    lke = lke_tahun(tahun)
    skor = skor_banyak([plans.get(u.pk) or RencanaKerja(unit=u, tahun=tahun) for u in units],
                       lke) if lke else {}
    return [{"unit": u, "rk": plans.get(u.pk),
             "progres": progres[plans[u.pk].pk].get(None) if u.pk in plans else None,
             "skor": skor.get(u.pk)} for u in units]


@login_required
def navigasi_hitungan(request):
    """The navigation bar's counts and unit/year menu, swapped in by htmx after the page
    (out of band: each into its place)."""
    user = request.user
    pos = navigasi.posisi(request)
    unit, tahun = pos.unit, pos.tahun
    ctx = {"pos": pos, "units": permissions.unit_anggota(user)}
    if unit is not None:
        roles = permissions.peran_di_unit(user, unit)
        ctx["tahun_unit"] = list(RencanaKerja.objects.filter(unit=unit).values_list(
            "tahun", flat=True).order_by("-tahun"))
        if roles & {Peran.ANGGOTA, Peran.SEKRETARIS}:
            rk = RencanaKerja.objects.filter(unit=unit, tahun=tahun).first()
            ctx["tugas"] = perlu_tindakan(rk, user).jumlah if rk else 0
            ctx["kembali"] = jumlah_menunggu_unit(unit, tahun)
        if permissions.can_review(user, unit):
            ctx["antrean"] = jumlah_antrean(unit)
        if Peran.KEPALA_DINAS in roles:
            ctx["laporan"] = Laporan.objects.filter(rencana_kerja__unit=unit,
                                                    status=StatusLaporan.DIAJUKAN).count()
            ctx["laporan_judul"] = _("laporan menunggu tanda tangan Anda")
        elif Peran.SEKRETARIS in roles:
            ctx["laporan"] = Laporan.objects.filter(rencana_kerja__unit=unit,
                                                    status=StatusLaporan.DIKEMBALIKAN).count()
            ctx["laporan_judul"] = _("laporan dikembalikan Kepala Dinas")
    ctx["total"] = sum(ctx.get(k) or 0 for k in ("tugas", "kembali", "antrean", "laporan"))
    return render(request, "_navigasi.html", ctx)
