from django.contrib import admin

from .models import Laporan, PengingatTerkirim, PreferensiPengguna


@admin.register(PreferensiPengguna)
class PreferensiPenggunaAdmin(admin.ModelAdmin):
    list_display = ["user", "terima_pengingat", "nip"]
    list_select_related = ["user"]


@admin.register(PengingatTerkirim)
class PengingatTerkirimAdmin(admin.ModelAdmin):
    list_display = ["user", "kunci", "tanggal", "dikirim_pada"]
    list_select_related = ["user"]
    list_filter = ["tanggal"]


@admin.register(Laporan)
class LaporanAdmin(admin.ModelAdmin):
    list_display = ["rencana_kerja", "semester", "status", "diubah_pada"]
    list_select_related = ["rencana_kerja__unit"]
    list_filter = ["semester", "status"]
