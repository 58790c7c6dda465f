from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Laporan, LaporanTertanda, Proses


@admin.register(Laporan)
class LaporanAdmin(SimpleHistoryAdmin):
    list_display = ["rencana_kerja", "semester", "status", "diubah_pada"]
    list_select_related = ["rencana_kerja__unit"]
    list_filter = ["semester", "status"]


@admin.register(LaporanTertanda)
class LaporanTertandaAdmin(admin.ModelAdmin):
    """Signed versions are frozen: readable here, never edited or deleted."""

    list_display = ["laporan", "nomor", "kode_verifikasi", "nama_penandatangan",
                    "ditandatangani_pada"]
    list_select_related = ["laporan__rencana_kerja__unit"]
    search_fields = ["kode_verifikasi", "sha256"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Proses)
class ProsesAdmin(admin.ModelAdmin):
    """Background tasks as their users see them; the queue's own rows, with tracebacks, are
    under Tasks Database Backend. Read-only: tasks are made by the app, files removed by
    bersihkan_berkas."""

    list_display = ["dibuat_pada", "jenis", "rencana_kerja", "semester", "status", "dibuat_oleh",
                    "mulai_pada", "selesai_pada", "pesan"]
    list_select_related = ["rencana_kerja__unit", "dibuat_oleh"]
    list_filter = ["status", "jenis"]
    date_hierarchy = "dibuat_pada"
    search_fields = ["id", "id_antrean"]  # the worker's log names the queue's id

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
