from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from rencana_aksi.admin import BerubahAdminMixin

from .models import Berkas, BerkasDibuka, NilaiIsian, Pengajuan


class BerkasInline(admin.TabularInline):
    model = Berkas
    extra = 0
    fields = ["putaran", "nama_asli", "mime", "ukuran", "diunggah_oleh", "diunggah_pada",
              "dihapus_pada", "alasan_hapus"]
    readonly_fields = fields
    can_delete = False


@admin.register(Pengajuan)
class PengajuanAdmin(BerubahAdminMixin, SimpleHistoryAdmin):
    list_display = ["bukti_dukung", "bulan", "tanggal_kejadian", "status", "putaran",
                    "diajukan_pada"]
    list_filter = ["status"]
    list_select_related = ["bukti_dukung"]
    search_fields = ["bukti_dukung__nama"]
    autocomplete_fields = ["bukti_dukung"]
    readonly_fields = ["ditinjau_oleh", "ditinjau_pada", "diajukan_pada"]
    inlines = [BerkasInline]


@admin.register(Berkas)
class BerkasAdmin(BerubahAdminMixin, SimpleHistoryAdmin):
    """Files are evidence: read-only here; they are added and soft-deleted in the app."""

    list_display = ["nama_asli", "pengajuan", "putaran", "ukuran", "diunggah_oleh",
                    "diunggah_pada", "dihapus_pada"]
    list_select_related = ["pengajuan__bukti_dukung", "diunggah_oleh"]
    search_fields = ["nama_asli", "sha256"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NilaiIsian)
class NilaiIsianAdmin(BerubahAdminMixin, SimpleHistoryAdmin):
    list_display = ["isian", "nilai", "diisi_oleh", "diisi_pada"]
    list_select_related = ["isian", "diisi_oleh"]
    autocomplete_fields = ["isian"]


@admin.register(BerkasDibuka)
class BerkasDibukaAdmin(admin.ModelAdmin):
    """What the TPI opened: a record, read only."""

    list_display = ["berkas", "user", "pertama_pada", "terakhir_pada", "kali"]
    list_select_related = ["berkas", "user"]
    search_fields = ["berkas__nama_asli", "user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
