"""Forms of the LKE pages: the workbook import, the links of count rows, the year filter
(`?tahun=` of the PortalRB API and the proposals page) and the Admin's proposals of units
(the proposals page and `manage.py usulkan_unit`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisasi.models import UnitKerja
from rencana_aksi.models import Indikator, Isian

from .lembar_kerja import MAKS_UKURAN
from .models import Kategori, Macam, Pengusulan, SoalLke

SEMUA = "semua"


class AreaLkeForm(forms.Form):
    """The LKE page shows one area at a time (its code, e.g. "A.I"), or every area."""

    area = forms.CharField(required=False, max_length=20)

    def pilih(self, kode_area):
        """The chosen area code among `kode_area`, SEMUA, or the first when none or unknown."""
        v = self.cleaned_data.get("area", "") if self.is_valid() else ""
        if v == SEMUA or v in kode_area:
            return v
        return kode_area[0] if kode_area else SEMUA


class JawabForm(forms.Form):
    """One side of an answer as posted from an LKE row. What the answer must look like for
    its type is the service's rule (`lke.services.simpan_jawaban`); a version that is not a
    number never matches (a conflict)."""

    sisi = forms.ChoiceField(choices=[("unit", "unit"), ("tpi", "tpi")])
    versi = forms.IntegerField(min_value=0, max_value=2**31 - 1, required=False)
    jawaban = forms.CharField(required=False, strip=True, max_length=200)
    catatan = forms.CharField(required=False, strip=False, max_length=20000)

    def clean_versi(self):
        v = self.cleaned_data.get("versi")
        return -1 if v is None else v

    def masukan(self):
        """What was typed, to show back in the row beside the message (raw, even invalid)."""
        return self.data.get("jawaban", ""), self.data.get("catatan", "")


class AksiTautanForm(forms.Form):
    aksi = forms.ChoiceField(choices=[("otomatis", "otomatis")], required=False)


class TautanIndikatorForm(forms.Form):
    """Link an indikator of the plan to a choice question of the LKE (no question: unlink)."""

    indikator = forms.ModelChoiceField(queryset=Indikator.objects.none())
    soal = forms.ModelChoiceField(queryset=SoalLke.objects.none(), required=False)

    def __init__(self, *args, rk, lke, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indikator"].queryset = Indikator.objects.filter(
            komponen__area_rencana__rencana_kerja=rk)
        self.fields["soal"].queryset = SoalLke.objects.filter(
            komponen__area__lke=lke).select_related("komponen__area__lke")


class TautanIsianForm(forms.Form):
    """Link a count row of the LKE to a numeric input of the plan (no input: unlink)."""

    soal = forms.ModelChoiceField(queryset=SoalLke.objects.none())
    isian = forms.ModelChoiceField(queryset=Isian.objects.none(), required=False)

    def __init__(self, *args, rk, lke, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["soal"].queryset = SoalLke.objects.filter(
            komponen__area__lke=lke, macam=Macam.ANGKA).select_related("komponen__area__lke")
        self.fields["isian"].queryset = Isian.objects.filter(
            indikator__komponen__area_rencana__rencana_kerja=rk, jenis=Isian.Jenis.JUMLAH
        ).select_related("indikator__komponen__area_rencana")


class UnduhBuktiForm(forms.Form):
    """`?unduh=1` on an evidence link: the ZIP instead of the page."""

    unduh = forms.BooleanField(required=False)


class ImporLembarKerjaForm(forms.Form):
    """The LKE workbook import page: upload a file, then save or cancel its preview."""

    AKSI = [("unggah", _("Unggah")), ("simpan", _("Simpan")), ("batal", _("Batal"))]

    aksi = forms.ChoiceField(choices=AKSI, initial="unggah", widget=forms.HiddenInput)
    kosongkan = forms.BooleanField(
        label=_("Sel kosong menghapus jawaban, catatan atau angka yang tersimpan"), required=False,
        help_text=_("Tanpa centang, sel kosong tidak mengubah apa pun."))
    berkas = forms.FileField(
        label=_("Lembar kerja LKE (XLSX)"), required=False,
        help_text=_("Lembar kerja resmi dengan sheet “Jawaban”: kolom K jawaban unit, L catatan "
                    "unit, N jawaban TPI, Q catatan TPI. Maksimal 5 MB."))

    def clean_berkas(self):
        f = self.cleaned_data["berkas"]
        if f is None:
            return f
        if not f.name.lower().endswith((".xlsx", ".xlsm")):
            raise forms.ValidationError(
                _("Berkas '%(nama)s' bukan XLSX. Simpan lembar kerja sebagai .xlsx lalu unggah "
                  "lagi.") % {"nama": f.name})
        if f.size > MAKS_UKURAN:
            raise forms.ValidationError(
                _("Berkas '%(nama)s' terlalu besar (maksimal 5 MB).") % {"nama": f.name})
        return f

    def clean(self):
        data = super().clean()
        if data.get("aksi") == "unggah" and not data.get("berkas") and "berkas" not in self.errors:
            self.add_error("berkas", _("Pilih berkas lembar kerja."))
        return data


TAHUN_MIN, TAHUN_MAX = 2000, 2100
PESAN_TAHUN = _("Tahun harus antara 2000 dan 2100.")


class TahunForm(forms.Form):
    """`?tahun=YYYY`: four ASCII digits, 2000-2100."""

    tahun = forms.RegexField(regex=r"\A[0-9]{4}\Z", error_messages={
        "invalid": _("Tahun harus empat angka."), "required": _("Isi tahun.")})

    def clean_tahun(self):
        tahun = int(self.cleaned_data["tahun"])
        if not TAHUN_MIN <= tahun <= TAHUN_MAX:
            raise ValidationError(PESAN_TAHUN)
        return tahun


def tahun_dari(get):
    """The year of `?tahun=`: this year (Asia/Jakarta) when absent, None when not valid."""
    if "tahun" not in get:
        return timezone.localdate().year
    form = TahunForm(get)
    return form.cleaned_data["tahun"] if form.is_valid() else None


class UsulanForm(forms.Form):
    """Propose a unit (by its kode) for a year, or change its proposal. WBK-AFIRMASI
    implies afirmasi (Pengusulan.clean), so it is ticked for the Admin."""

    unit = forms.ModelChoiceField(
        UnitKerja.objects.filter(is_active=True), to_field_name="kode", label=_("unit kerja"),
        error_messages={"invalid_choice": _("Unit kerja tidak ditemukan atau tidak aktif."),
                        "required": _("Pilih unit kerja.")})
    tahun = forms.IntegerField(
        label=_("tahun"), min_value=TAHUN_MIN, max_value=TAHUN_MAX,
        error_messages={"invalid": PESAN_TAHUN, "required": _("Isi tahun."),
                        "min_value": PESAN_TAHUN, "max_value": PESAN_TAHUN})
    kategori = forms.ChoiceField(
        label=_("kategori"), choices=Kategori.choices,
        error_messages={"invalid_choice": _("Kategori harus WBK, WBK-AFIRMASI atau WBBM."),
                        "required": _("Pilih kategori.")})
    afirmasi = forms.BooleanField(label=_("afirmasi"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("kategori") == Kategori.WBK_AFIRMASI:
            data["afirmasi"] = True
        return data

    def simpan(self, *, oleh=None, ganti=True):
        """Save the proposal: (Pengusulan, created). An existing proposal of the unit and
        year is changed when `ganti`, else ValidationError."""
        d = self.cleaned_data
        usulan = Pengusulan.objects.filter(unit=d["unit"], tahun=d["tahun"]).first()
        if usulan and not ganti:
            raise ValidationError(
                _("%(u)s sudah diusulkan untuk tahun %(t)s (%(k)s).")
                % {"u": d["unit"].nama, "t": d["tahun"], "k": usulan.kategori})
        baru = usulan is None
        if baru:
            usulan = Pengusulan(unit=d["unit"], tahun=d["tahun"], dibuat_oleh=oleh)
        usulan.kategori, usulan.afirmasi = d["kategori"], d["afirmasi"]
        usulan.full_clean()
        usulan.save()
        return usulan, baru


class AksiUsulanForm(forms.Form):
    """Which form of the proposals page was posted: "tarik" (withdraw), else propose."""

    aksi = forms.ChoiceField(choices=[("tarik", "tarik")], required=False)

    @classmethod
    def tarik(cls, data):
        f = cls(data)
        return f.is_valid() and f.cleaned_data["aksi"] == "tarik"


class TarikUsulanForm(forms.Form):
    """Withdraw a unit's proposal of a year."""

    unit = forms.ModelChoiceField(UnitKerja.objects.all(), to_field_name="kode",
                                  error_messages={"invalid_choice": _("Unit kerja tidak ditemukan.")})
    tahun = forms.IntegerField(min_value=TAHUN_MIN, max_value=TAHUN_MAX,
                               error_messages={"invalid": PESAN_TAHUN, "min_value": PESAN_TAHUN,
                                               "max_value": PESAN_TAHUN})

    def usulan(self):
        d = self.cleaned_data
        return Pengusulan.objects.filter(unit=d["unit"], tahun=d["tahun"]).first()
