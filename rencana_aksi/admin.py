from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    Area,
    AreaRencana,
    Bagian,
    BuktiDukung,
    Indikator,
    Isian,
    Komponen,
    RencanaAksi,
    RencanaKerja,
    TargetBulan,
    tandai_baris,
)


class BerubahAdminMixin:
    """Saving or deleting a row in the admin bumps its plan's version, as the services do
    (rencana_aksi.models.tandai_baris): cached figures follow the admin's changes too."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        tandai_baris(obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # inlines: months, evidence
        tandai_baris(form.instance)

    def delete_model(self, request, obj):
        tandai_baris(obj)  # before: the row is gone after
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            tandai_baris(obj)
        super().delete_queryset(request, queryset)


class VersiAdminMixin:
    """Saving in the admin makes a new version, so a form opened in the app before
    reports a conflict instead of silently overwriting the admin's change."""

    def save_model(self, request, obj, form, change):
        if change:
            obj.versi += 1
        super().save_model(request, obj, form, change)


@admin.register(Bagian)
class BagianAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "urutan"]


class AreaRencanaInline(admin.TabularInline):
    model = AreaRencana
    extra = 0


@admin.register(RencanaKerja)
class RencanaKerjaAdmin(BerubahAdminMixin, VersiAdminMixin, SimpleHistoryAdmin):
    list_display = ["unit", "tahun", "updated_at"]
    list_filter = ["tahun", "unit"]
    inlines = [AreaRencanaInline]


@admin.register(AreaRencana)
class AreaRencanaAdmin(BerubahAdminMixin, admin.ModelAdmin):
    list_display = ["rencana_kerja", "bagian", "area", "judul"]
    search_fields = ["judul", "rencana_kerja__unit__nama"]
    list_filter = ["bagian", "area", "rencana_kerja__unit"]
    list_select_related = ["rencana_kerja__unit", "bagian", "area"]


@admin.register(Komponen)
class KomponenAdmin(BerubahAdminMixin, VersiAdminMixin, SimpleHistoryAdmin):
    list_display = ["nomor", "nama", "area_rencana", "pic"]
    autocomplete_fields = ["area_rencana", "pic"]
    list_filter = ["area_rencana__rencana_kerja__unit", "area_rencana__bagian", "area_rencana__area"]
    list_select_related = ["area_rencana__rencana_kerja__unit", "area_rencana__bagian",
                           "area_rencana__area", "pic"]
    search_fields = ["nama"]


class RencanaAksiInline(admin.StackedInline):
    model = RencanaAksi
    extra = 0
    autocomplete_fields = ["pic"]
    fields = ["urutan", "teks", "target_waktu", "per_kejadian", "pic"]


class IsianInline(admin.TabularInline):
    model = Isian
    extra = 0


@admin.register(Indikator)
class IndikatorAdmin(BerubahAdminMixin, VersiAdminMixin, SimpleHistoryAdmin):
    list_display = ["teks", "komponen"]
    list_select_related = ["komponen"]
    autocomplete_fields = ["komponen"]
    search_fields = ["teks"]
    inlines = [RencanaAksiInline, IsianInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is RencanaAksi:
            for ra in formset.new_objects + [obj for obj, _f in formset.changed_objects]:
                services.terapkan_target_waktu(rencana_aksi=ra)


class BuktiDukungInline(admin.TabularInline):
    model = BuktiDukung
    extra = 0
    autocomplete_fields = ["isian"]


class TargetBulanInline(admin.TabularInline):
    model = TargetBulan
    extra = 0


@admin.register(RencanaAksi)
class RencanaAksiAdmin(BerubahAdminMixin, SimpleHistoryAdmin):
    list_display = ["teks", "target_waktu", "per_kejadian", "target_terbaca", "pic"]
    autocomplete_fields = ["indikator", "pic"]
    list_filter = ["target_terbaca", "per_kejadian",
                   "indikator__komponen__area_rencana__rencana_kerja__unit"]
    list_select_related = ["pic"]
    search_fields = ["teks", "target_waktu"]
    inlines = [BuktiDukungInline, TargetBulanInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the inlines, so months typed by hand in the inline are not undone when
        # the action is marked "bulan diatur manual".
        services.terapkan_target_waktu(rencana_aksi=form.instance)


@admin.register(TargetBulan)
class TargetBulanAdmin(BerubahAdminMixin, admin.ModelAdmin):
    list_display = ["rencana_aksi", "bulan"]
    list_select_related = ["rencana_aksi"]


@admin.register(Isian)
class IsianAdmin(BerubahAdminMixin, SimpleHistoryAdmin):
    list_display = ["label", "jenis", "indikator"]
    autocomplete_fields = ["indikator"]
    list_select_related = ["indikator"]
    search_fields = ["label"]


@admin.register(BuktiDukung)
class BuktiDukungAdmin(BerubahAdminMixin, SimpleHistoryAdmin):
    list_display = ["nama", "rencana_aksi", "isian"]
    autocomplete_fields = ["rencana_aksi", "isian"]
    list_select_related = ["rencana_aksi", "isian"]
    search_fields = ["nama"]
