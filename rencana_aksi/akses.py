"""The plan's rows for a request, or 404 (a stranger) / 403 (read-only)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from organisasi.permissions import can_upload, can_view_unit, periksa_akses

from .models import BuktiDukung, Indikator, Komponen, RencanaAksi, RencanaKerja


def get_rencana_kerja_for_user(request, kode, tahun, write=False):
    """The plan with its unit, in one query (404 for a stranger, as for a missing plan)."""
    rk = get_object_or_404(RencanaKerja.objects.select_related("unit"), unit__kode=kode,
                           unit__is_active=True, tahun=tahun)
    periksa_akses(request, rk.unit, write)
    return rk


def get_rencana_aksi_for_user(request, pk, write=False):
    ra = get_object_or_404(
        RencanaAksi.objects.select_related(
            "indikator__komponen__area_rencana__rencana_kerja__unit",
            "indikator__komponen__area_rencana__area",
            "indikator__komponen__area_rencana__bagian",
            "indikator__komponen__pic",
            "pic",
        ),
        pk=pk,
    )
    periksa_akses(request, ra.indikator.komponen.area_rencana.rencana_kerja.unit, write)
    return ra


def get_indikator_for_user(request, pk, write=False):
    ind = get_object_or_404(
        Indikator.objects.select_related(
            "komponen__area_rencana__rencana_kerja__unit", "komponen__area_rencana__area",
            "komponen__area_rencana__bagian",
        ),
        pk=pk,
    )
    periksa_akses(request, ind.komponen.area_rencana.rencana_kerja.unit, write)
    return ind


def get_komponen_for_user(request, pk, write=False):
    k = get_object_or_404(
        Komponen.objects.select_related(
            "area_rencana__rencana_kerja__unit", "area_rencana__area", "area_rencana__bagian", "pic"
        ),
        pk=pk,
    )
    periksa_akses(request, k.area_rencana.rencana_kerja.unit, write)
    return k


def _unit_bd(bd):
    return bd.rencana_aksi.indikator.komponen.area_rencana.rencana_kerja.unit


_BD_RELATED = "rencana_aksi__indikator__komponen__area_rencana__rencana_kerja__unit"


def get_bukti_dukung_for_user(request, pk, upload=False):
    bd = get_object_or_404(BuktiDukung.objects.select_related(_BD_RELATED), pk=pk)
    unit = _unit_bd(bd)
    if not can_view_unit(request.user, unit):
        raise Http404
    if upload and not can_upload(request.user, unit):
        raise PermissionDenied
    return bd
