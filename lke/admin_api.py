"""Admin for PortalRB: API tokens (issued here, shown once, revoked by an action; the
lifetime of their evidence links set per token, links revoked by an action) and the units
proposed each year (also on the proposals page, lke:pengusulan)."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .models import Pengusulan, TokenApi


class StatusToken(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("aktif", _("Aktif")), ("dicabut", _("Dicabut"))]

    def queryset(self, request, queryset):
        if self.value() == "aktif":
            return queryset.filter(dicabut_pada__isnull=True)
        if self.value() == "dicabut":
            return queryset.filter(dicabut_pada__isnull=False)
        return queryset


@admin.register(TokenApi)
class TokenApiAdmin(admin.ModelAdmin):
    list_display = ["nama", "awalan", "status", "tautan_hari", "dibuat_oleh", "dibuat_pada",
                    "terakhir_dipakai", "dicabut_pada"]
    list_filter = [StatusToken]

    @admin.display(description=_("status"))
    def status(self, obj):
        return _("Dicabut") if obj.dicabut_pada else _("Aktif")
    list_select_related = ["dibuat_oleh"]
    search_fields = ["nama", "awalan"]
    actions = ["cabut", "cabut_tautan"]
    # the hash is never shown; only the prefix identifies a token
    readonly_fields = ["awalan", "dibuat_oleh", "dibuat_pada", "terakhir_dipakai", "dicabut_pada",
                       "tautan_sejak"]

    def get_fields(self, request, obj=None):
        return ["nama", "tautan_hari"] + ([] if obj is None else self.readonly_fields)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, not deleted: the list keeps who had access

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        baru, raw = TokenApi.terbitkan(obj.nama, oleh=request.user)
        if obj.tautan_hari != baru.tautan_hari:
            baru.tautan_hari = obj.tautan_hari
            baru.save(update_fields=["tautan_hari"])
        for f in TokenApi._meta.concrete_fields:
            setattr(obj, f.attname, getattr(baru, f.attname))
        obj._state.adding, obj._state.db = False, baru._state.db
        self.message_user(request, _("Salin token ini sekarang; tidak akan ditampilkan lagi: %(t)s")
                          % {"t": raw}, messages.SUCCESS)

    @admin.action(description=_("Cabut token"))
    def cabut(self, request, queryset):
        n = queryset.filter(dicabut_pada__isnull=True).update(dicabut_pada=timezone.now())
        self.message_user(request, ngettext("%(n)d token dicabut.", "%(n)d token dicabut.", n)
                          % {"n": n})

    @admin.action(description=_("Cabut tautan bukti"))
    def cabut_tautan(self, request, queryset):
        """Evidence links signed before now stop working; the token itself stays valid."""
        n = queryset.update(tautan_sejak=timezone.now())
        self.message_user(request, ngettext(
            "Tautan bukti dari %(n)d token dicabut; tautan baru dibuat pada penarikan berikutnya.",
            "Tautan bukti dari %(n)d token dicabut; tautan baru dibuat pada penarikan berikutnya.",
            n) % {"n": n})


@admin.register(Pengusulan)
class PengusulanAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "tahun", "kategori", "afirmasi", "dibuat_oleh", "dibuat_pada"]
    list_filter = ["tahun", "kategori", "afirmasi"]
    list_select_related = ["unit", "dibuat_oleh"]
    search_fields = ["unit__nama", "unit__kode"]
    autocomplete_fields = ["unit"]
    fields = ["unit", "tahun", "kategori", "afirmasi"]

    def get_changeform_initial_data(self, request):
        return {"tahun": timezone.localdate().year, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        if not change:
            obj.dibuat_oleh = request.user
        super().save_model(request, obj, form, change)
