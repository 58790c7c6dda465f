"""Submissions and files for a request, or 404 (a stranger) / 403 (no right)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from organisasi.permissions import can_review, can_upload, can_view_unit
from rencana_aksi.akses import _BD_RELATED, _unit_bd

from .models import Berkas, Pengajuan


def get_pengajuan_for_user(request, pk, review=False):
    p = get_object_or_404(Pengajuan.objects.select_related(
        f"bukti_dukung__{_BD_RELATED}", "bukti_dukung__rencana_aksi__indikator__komponen__"
        "area_rencana__area", "ditinjau_oleh"), pk=pk)
    unit = _unit_bd(p.bukti_dukung)
    if not can_view_unit(request.user, unit):
        raise Http404
    if review and not can_review(request.user, unit):
        raise PermissionDenied
    return p


def get_berkas_for_user(request, pk, upload=False):
    b = get_object_or_404(Berkas.objects.select_related(
        f"pengajuan__bukti_dukung__{_BD_RELATED}", "diunggah_oleh"), pk=pk)
    unit = _unit_bd(b.pengajuan.bukti_dukung)
    if not can_view_unit(request.user, unit):
        raise Http404
    if upload and not can_upload(request.user, unit):
        raise PermissionDenied
    return b
