from django.contrib import admin

from .models import PengingatTerkirim


@admin.register(PengingatTerkirim)
class PengingatTerkirimAdmin(admin.ModelAdmin):
    list_display = ["user", "kunci", "tanggal", "dikirim_pada"]
    list_select_related = ["user"]
    list_filter = ["tanggal"]
