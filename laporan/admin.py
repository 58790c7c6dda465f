from django.contrib import admin

from .models import PengingatTerkirim, PreferensiPengguna


@admin.register(PreferensiPengguna)
class PreferensiPenggunaAdmin(admin.ModelAdmin):
    list_display = ["user", "terima_pengingat"]
    list_select_related = ["user"]


@admin.register(PengingatTerkirim)
class PengingatTerkirimAdmin(admin.ModelAdmin):
    list_display = ["user", "kunci", "tanggal", "dikirim_pada"]
    list_select_related = ["user"]
    list_filter = ["tanggal"]
