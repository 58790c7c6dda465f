"""Reports, signed reports and background tasks for a request, or 404 / 403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from organisasi.permissions import can_view_report, periksa_laporan
from rencana_aksi.akses import get_rencana_kerja_for_user

from .models import Laporan, LaporanTertanda, Proses


def get_laporan_for_user(request, kode, tahun, semester):
    """The report of a plan and semester (an unsaved empty draft until first written);
    404 for strangers, 403 for team members, like the dashboard."""
    if semester not in (1, 2):
        raise Http404
    rk = get_rencana_kerja_for_user(request, kode, tahun)
    if not can_view_report(request.user, rk.unit):
        raise PermissionDenied
    laporan = Laporan.objects.filter(rencana_kerja=rk, semester=semester).first()
    laporan = laporan or Laporan(rencana_kerja=rk, semester=semester)
    laporan.rencana_kerja = rk
    return laporan


def get_laporan_tertanda_for_user(request, pk):
    lt = get_object_or_404(LaporanTertanda.objects.select_related(
        "laporan__rencana_kerja__unit"), pk=pk)
    periksa_laporan(request, lt.laporan.rencana_kerja.unit)
    return lt


def get_proses_for_user(request, pk):
    """A background task (draft PDF, sign-off, ZIP) and its file: for whoever may read the
    unit's reports; 404 for strangers."""
    proses = get_object_or_404(Proses.objects.select_related("rencana_kerja__unit", "dibuat_oleh"),
                              pk=pk)
    periksa_laporan(request, proses.rencana_kerja.unit)
    return proses
