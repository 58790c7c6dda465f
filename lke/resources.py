"""The questions' scoring guidance as a spreadsheet (django-import-export): the Admin exports
a year's questions, fills what each choice means, and imports it back. Update only: a row
names an existing question by year and kode; nothing else of the question changes."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources

from .models import SoalLke

PILIHAN = ["Ya", "Tidak", "A", "B", "C", "D", "E"]


class PanduanResource(resources.ModelResource):
    tahun = fields.Field(attribute="komponen__area__lke__tahun", column_name="tahun",
                         readonly=True)
    kode = fields.Field(attribute="kode", column_name="kode", readonly=True)
    soal_id = fields.Field(attribute="soal_id", column_name="soal_id", readonly=True)
    jenis = fields.Field(attribute="jenis__nama", column_name="jenis", readonly=True)
    teks = fields.Field(attribute="teks", column_name="teks", readonly=True)
    petunjuk = fields.Field(attribute="petunjuk", column_name="petunjuk")

    panduan_Ya = fields.Field(column_name="panduan Ya", readonly=True)
    panduan_Tidak = fields.Field(column_name="panduan Tidak", readonly=True)
    panduan_A = fields.Field(column_name="panduan A", readonly=True)
    panduan_B = fields.Field(column_name="panduan B", readonly=True)
    panduan_C = fields.Field(column_name="panduan C", readonly=True)
    panduan_D = fields.Field(column_name="panduan D", readonly=True)
    panduan_E = fields.Field(column_name="panduan E", readonly=True)

    class Meta:
        model = SoalLke
        fields = ["tahun", "kode", "soal_id", "jenis", "teks", "petunjuk",
                  *(f"panduan_{p}" for p in PILIHAN)]
        export_order = fields
        import_id_fields = []
        clean_model_instances = True

    def _panduan(self, obj, p):
        return (obj.panduan or {}).get(p, "") if isinstance(obj.panduan, dict) else ""

    def dehydrate_panduan_Ya(self, obj):  # noqa: N802
        return self._panduan(obj, "Ya")

    def dehydrate_panduan_Tidak(self, obj):  # noqa: N802
        return self._panduan(obj, "Tidak")

    def dehydrate_panduan_A(self, obj):  # noqa: N802
        return self._panduan(obj, "A")

    def dehydrate_panduan_B(self, obj):  # noqa: N802
        return self._panduan(obj, "B")

    def dehydrate_panduan_C(self, obj):  # noqa: N802
        return self._panduan(obj, "C")

    def dehydrate_panduan_D(self, obj):  # noqa: N802
        return self._panduan(obj, "D")

    def dehydrate_panduan_E(self, obj):  # noqa: N802
        return self._panduan(obj, "E")

    def get_queryset(self):
        return SoalLke.objects.select_related("jenis", "komponen__area__lke").order_by(
            "-komponen__area__lke__tahun", "komponen__area__urutan", "komponen__nomor", "urutan")

    def get_instance(self, instance_loader, row):
        tahun, kode = str(row.get("tahun") or "").strip(), str(row.get("kode") or "").strip()
        obj = (SoalLke.objects.select_related("jenis").filter(
            komponen__area__lke__tahun=tahun, kode=kode).first() if tahun.isascii()
            and tahun.isdigit() else None)
        if obj is None:
            raise ValidationError(_("Soal %(k)s tahun %(t)s tidak ada: panduan hanya mengubah "
                                    "soal yang sudah ada.") % {"k": kode or "?", "t": tahun or "?"})
        return obj

    def before_save_instance(self, instance, row, **kwargs):
        panduan = {}
        for p in instance.jenis.nilai:
            teks = str(row.get(f"panduan {p}") or "").strip()
            if teks:
                panduan[p] = teks
        lain = [p for p in PILIHAN if p not in instance.jenis.nilai
                and str(row.get(f"panduan {p}") or "").strip()]
        if lain:
            raise ValidationError(_("Soal %(k)s berjenis %(j)s: tidak ada pilihan %(p)s.") % {
                "k": instance.kode, "j": instance.jenis.nama, "p": ", ".join(lain)})
        instance.panduan = panduan
