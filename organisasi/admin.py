from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Keanggotaan, PreferensiPengguna, UnitKerja


@admin.register(UnitKerja)
class UnitKerjaAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "is_active"]
    search_fields = ["kode", "nama"]


@admin.register(Keanggotaan)
class KeanggotaanAdmin(SimpleHistoryAdmin):
    list_display = ["user", "unit", "peran"]
    list_filter = ["peran", "unit"]
    list_select_related = ["user", "unit"]
    search_fields = ["user__username", "user__first_name", "unit__nama"]
    autocomplete_fields = ["user", "unit"]


@admin.register(PreferensiPengguna)
class PreferensiPenggunaAdmin(admin.ModelAdmin):
    list_display = ["user", "terima_pengingat", "nip"]
    list_select_related = ["user"]


class KeanggotaanInline(admin.TabularInline):
    model = Keanggotaan
    extra = 1
    autocomplete_fields = ["unit"]


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class PenggunaAdmin(UserAdmin):
    """Users with their roles per unit on the same page."""

    inlines = [KeanggotaanInline]
    list_display = ["username", "first_name", "last_name", "is_active", "is_staff"]
