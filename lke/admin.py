"""The Admin edits the LKE of each year here: weights, questions (with PortalRB soal_id),
answer types and thresholds. A new year starts as a copy (action below)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Subquery
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from . import admin_api  # noqa: F401  (PortalRB tokens and proposals)
from .models import (
    AreaLke,
    JawabanLke,
    JenisJawaban,
    KomponenLke,
    KriteriaPredikat,
    LembarKerja,
    Macam,
    RumusLke,
    SoalLke,
)
from .resources import PanduanResource
from .services import siapkan_tahun


class JenisJawabanInline(admin.TabularInline):
    model = JenisJawaban
    extra = 0


class AreaLkeInline(admin.TabularInline):
    model = AreaLke
    extra = 0
    show_change_link = True


class KriteriaInline(admin.TabularInline):
    model = KriteriaPredikat
    extra = 0


@admin.register(LembarKerja)
class LembarKerjaAdmin(SimpleHistoryAdmin):
    list_display = ["tahun", "nama"]
    inlines = [JenisJawabanInline, AreaLkeInline, KriteriaInline]
    actions = ["salin_ke_tahun_berikutnya"]

    @admin.action(description=_("Salin ke tahun berikutnya"))
    def salin_ke_tahun_berikutnya(self, request, queryset):
        for lke in queryset:
            if LembarKerja.objects.filter(tahun=lke.tahun + 1).exists():
                self.message_user(request, _("LKE %(t)s sudah ada.") % {"t": lke.tahun + 1},
                                  messages.ERROR)
                continue
            try:
                baru, _dibuat = siapkan_tahun(lke.tahun + 1, dari=lke.tahun)
            except ValidationError as e:
                self.message_user(request, " ".join(e.messages), messages.ERROR)
            else:
                self.message_user(request, _("LKE %(t)s dibuat sebagai salinan dan ditautkan ke "
                                             "rencana kerja tahun itu.") % {"t": baru.tahun})


class KomponenInline(admin.TabularInline):
    model = KomponenLke
    extra = 0
    show_change_link = True


@admin.register(AreaLke)
class AreaLkeAdmin(SimpleHistoryAdmin):
    list_display = ["kode", "nama", "bagian", "bobot", "lke"]
    list_filter = ["lke", "bagian"]
    inlines = [KomponenInline]


def _jenis_tahun_ini(db_field, request, object_id, lke_dari):
    """Answer types offered for a question: those of the same LKE year only."""
    if db_field.name == "jenis" and object_id:
        return JenisJawaban.objects.filter(lke_id=Subquery(lke_dari(object_id)))
    return None


class SoalInline(admin.StackedInline):
    model = SoalLke
    extra = 0
    fields = ["kode", "urutan", "macam", "teks", "jenis", "soal_id", "baris_excel", "isian_label",
              "indikator_ke", "petunjuk", "panduan"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        qs = _jenis_tahun_ini(db_field, request, request.resolver_match.kwargs.get("object_id"),
                              lambda pk: KomponenLke.objects.filter(pk=pk).values("area__lke_id"))
        if qs is not None:
            kwargs["queryset"] = qs
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RumusInline(admin.TabularInline):
    model = RumusLke
    extra = 0
    fields = ["urutan", "nama", "jenis", "atas", "bawah"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # count rows of the same komponen only
        kwargs["queryset"] = SoalLke.objects.filter(
            komponen_id=request.resolver_match.kwargs.get("object_id") or 0, macam=Macam.ANGKA)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(KomponenLke)
class KomponenLkeAdmin(SimpleHistoryAdmin):
    list_display = ["kode", "nama", "bobot"]
    list_filter = ["area__lke", "area__bagian"]
    search_fields = ["nama", "kode"]
    inlines = [SoalInline, RumusInline]


@admin.register(SoalLke)
class SoalLkeAdmin(ImportExportMixin, SimpleHistoryAdmin):
    list_display = ["kode", "judul", "macam", "jenis", "soal_id", "baris_excel"]
    list_filter = ["komponen__area__lke", "komponen__area__bagian", "macam", "jenis__nama"]
    search_fields = ["teks", "kode", "soal_id"]
    list_editable = ["soal_id"]
    list_select_related = ["jenis__lke"]
    resource_classes = [PanduanResource]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        qs = _jenis_tahun_ini(db_field, request, request.resolver_match.kwargs.get("object_id"),
                              lambda pk: SoalLke.objects.filter(pk=pk).values("komponen__area__lke_id"))
        if qs is not None:
            kwargs["queryset"] = qs
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(JawabanLke)
class JawabanLkeAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "soal", "jawaban_unit", "jawaban_tpi"]
    list_filter = ["unit", "soal__komponen__area__lke"]
    list_select_related = ["unit", "soal"]
    readonly_fields = ["diisi_oleh", "diisi_pada", "dinilai_oleh", "dinilai_pada"]

    def save_model(self, request, obj, form, change):
        # a new version of both sides: a form opened in the app reports a conflict
        if change:
            obj.versi_unit += 1
            obj.versi_tpi += 1
        super().save_model(request, obj, form, change)
