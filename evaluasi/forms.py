from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from lke.forms import PESAN_TAHUN, TAHUN_MAX, TAHUN_MIN
from lke.models import SoalLke
from organisasi.models import Peran, UnitKerja, nama_pengguna

from .models import (
    MAKS_CATATAN_LHE,
    Langkah,
    PutaranEvaluasi,
    StatusPengembalian,
    TemplatCatatan,
)

TANGGAL = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PESAN_TANGGAL = _("Isi tanggal yang valid (tttt-bb-hh).")


def pengguna_tpi():
    """Active users who hold the TPI role in some unit."""
    return (get_user_model().objects.filter(is_active=True, keanggotaan__peran=Peran.TPI)
            .distinct().order_by("first_name", "username"))


class PilihanPengguna(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return nama_pengguna(obj)


class PilihanKetua(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return nama_pengguna(obj)


class PutaranForm(forms.ModelForm):
    """A round's name, windows and units; its year only when it is created."""

    unit = forms.ModelMultipleChoiceField(
        UnitKerja.objects.filter(is_active=True).order_by("nama"), label=_("unit peserta"),
        widget=forms.CheckboxSelectMultiple, required=False,
        error_messages={"invalid_choice": _("Unit kerja %(value)s tidak ditemukan atau tidak "
                                            "aktif."),
                        "invalid_pk_value": _("“%(pk)s” bukan unit kerja.")})

    class Meta:
        model = PutaranEvaluasi
        fields = ["tahun", "nama",
                  "mandiri_mulai", "mandiri_selesai", "evaluasi_mulai", "evaluasi_selesai",
                  "perbaikan_mulai", "perbaikan_selesai", "pemeriksaan_mulai",
                  "pemeriksaan_selesai"]
        widgets = {f: TANGGAL for f in fields[2:]}
        error_messages = {
            "tahun": {"min_value": PESAN_TAHUN, "max_value": PESAN_TAHUN,
                      "invalid": PESAN_TAHUN,
                      "unique": _("Putaran evaluasi tahun ini sudah ada.")},
            **{f: {"invalid": PESAN_TANGGAL} for f in fields[2:]}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["tahun"]
            self.fields["unit"].initial = list(
                self.instance.peserta.values_list("unit_id", flat=True))


class SalinPutaranForm(forms.Form):
    tahun = forms.IntegerField(
        label=_("tahun putaran baru"), min_value=TAHUN_MIN + 1, max_value=TAHUN_MAX,
        error_messages={"invalid": PESAN_TAHUN, "required": _("Isi tahun."),
                        "min_value": PESAN_TAHUN, "max_value": PESAN_TAHUN})


class PenugasanForm(forms.Form):
    tpi = PilihanPengguna(
        pengguna_tpi(), label=_("TPI yang ditugaskan"), widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Pengguna %(value)s bukan TPI aktif."),
                        "invalid_pk_value": _("“%(pk)s” bukan pengguna.")})
    ketua = PilihanKetua(
        pengguna_tpi(), label=_("ketua"), required=False,
        error_messages={"invalid_choice": _("Ketua harus TPI aktif.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # evaluated per form: users given the TPI role since the module loaded
        self.fields["tpi"].queryset = self.fields["ketua"].queryset = pengguna_tpi()

    def clean(self):
        data = super().clean()
        tpi, ketua = list(data.get("tpi") or []), data.get("ketua")
        if "tpi" not in data or "ketua" in self.errors:
            return data
        if len(tpi) == 1 and ketua is None:
            data["ketua"] = tpi[0]
        elif tpi and ketua is None:
            self.add_error("ketua", _("Pilih ketua dari TPI yang ditugaskan."))
        elif ketua is not None and ketua not in tpi:
            self.add_error("ketua", _("Ketua harus salah satu TPI yang ditugaskan."))
        return data


class PerpanjanganForm(forms.Form):
    langkah = forms.ChoiceField(
        label=_("langkah"), choices=Langkah.choices,
        error_messages={"invalid_choice": _("Pilih salah satu langkah."),
                        "required": _("Pilih langkah.")})
    selesai = forms.DateField(label=_("selesai baru"), widget=TANGGAL,
                              error_messages={"invalid": PESAN_TANGGAL,
                                              "required": _("Isi tanggal selesai baru.")})
    alasan = forms.CharField(label=_("alasan"), max_length=1000, widget=forms.Textarea(
        attrs={"rows": 3}), error_messages={"required": _("Tulis alasannya.")})


class HapusPerpanjanganForm(forms.Form):
    """The Admin removes a unit's extension: the step's window is the round's again."""

    hapus = forms.ChoiceField(
        choices=Langkah.choices,
        error_messages={"invalid_choice": _("Pilih salah satu langkah."),
                        "required": _("Pilih langkah.")})
    alasan = forms.CharField(label=_("alasan"), max_length=1000, error_messages={
        "required": _("Tulis alasan penghapusan perpanjangan.")})


class AjukanForm(forms.Form):
    setuju = forms.BooleanField(
        label=_("Saya mengerti bahwa jawaban yang diajukan dibekukan untuk TPI dan perubahan "
                "sesudahnya tidak terlihat oleh TPI."),
        error_messages={"required": _("Centang pernyataan untuk mengajukan.")})


PESAN_BUTIR = _("Soal dikembalikan ini tidak ditemukan pada unit ini atau keadaannya sudah "
                "berubah; muat ulang halaman.")


class PilihanSoal(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.kode} {obj.judul[:100]}"


def _teks(label, wajib):
    return forms.CharField(label=label, max_length=4000, widget=forms.Textarea(
        attrs={"rows": 2}), error_messages={
        "required": wajib,
        "max_length": _("Paling banyak %(limit_value)d karakter (sekarang %(show_value)d).")})


class KembalikanForm(forms.Form):
    """The TPI sends one question of the round's LKE back, with a reason."""

    soal = PilihanSoal(SoalLke.objects.none(), label=_("soal"), error_messages={
        "required": _("Pilih soal."),
        "invalid_choice": _("Soal tidak ditemukan pada LKE putaran ini.")})
    alasan = _teks(_("alasan dikembalikan"), _("Tulis alasan soal ini dikembalikan."))

    def __init__(self, *args, lke, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["soal"].queryset = SoalLke.objects.filter(
            komponen__area__lke=lke).select_related("komponen__area__lke")


class _ButirForm(forms.Form):
    """An action on one send-back of the unit, in the state `status` (another unit's or
    one that has moved on is a form error)."""

    status = None
    butir = forms.ModelChoiceField(None, widget=forms.HiddenInput, error_messages={
        "required": PESAN_BUTIR, "invalid_choice": PESAN_BUTIR})

    def __init__(self, *args, peserta, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["butir"].queryset = peserta.pengembalian.filter(status=self.status)


class PerbaikiForm(_ButirForm):
    """The unit marks one of its sent-back questions fixed, with a note."""

    status = StatusPengembalian.DIKEMBALIKAN
    catatan = _teks(_("catatan perbaikan"), _("Tulis apa yang sudah diperbaiki."))


class PeriksaForm(_ButirForm):
    """The TPI closes a fixed question or sends it back again with a new reason."""

    TUTUP, KEMBALIKAN = "tutup", "kembalikan"
    status = StatusPengembalian.DIPERBAIKI
    aksi = forms.ChoiceField(choices=[(TUTUP, _("Tutup")), (KEMBALIKAN, _("Kembalikan lagi"))],
                             error_messages={"required": _("Pilih tutup atau kembalikan lagi."),
                                             "invalid_choice": _("Pilih tutup atau kembalikan "
                                                                 "lagi.")})
    alasan = forms.CharField(label=_("alasan dikembalikan lagi"), required=False,
                             max_length=4000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"max_length": _(
                                 "Paling banyak %(limit_value)d karakter (sekarang "
                                 "%(show_value)d).")})

    def clean(self):
        data = super().clean()
        if (data.get("aksi") == self.KEMBALIKAN and not data.get("alasan")
                and "alasan" not in self.errors):  # too long is said once
            self.add_error("alasan", _("Tulis alasan soal ini dikembalikan lagi."))
        return data


class CatatanLheForm(forms.Form):
    """The ketua's note and recommendation per area (`catatan-<kode>`, `rekomendasi-<kode>`),
    a snippet to insert per area (`templat-<kode>`) and, when inserting, where
    (`sisipkan`: the field's name)."""

    sisipkan = forms.CharField(required=False, max_length=40)

    def __init__(self, *args, areas=(), templat=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = list(areas)
        templat = templat if templat is not None else TemplatCatatan.objects.none()
        for a in self.areas:
            for jenis, label in (("catatan", _("Catatan TPI")), ("rekomendasi", _("Rekomendasi"))):
                self.fields[f"{jenis}-{a.kode}"] = forms.CharField(
                    label=label, required=False, strip=False, max_length=MAKS_CATATAN_LHE,
                    widget=forms.Textarea(attrs={"rows": 3}))
            self.fields[f"templat-{a.kode}"] = forms.ModelChoiceField(
                templat, required=False, label=_("Templat"), empty_label=_("— pilih templat —"),
                error_messages={"invalid_choice": _("Templat tidak ditemukan.")})

    def clean_sisipkan(self):
        s = self.cleaned_data["sisipkan"]
        if s and (s not in self.fields or not s.startswith(("catatan-", "rekomendasi-"))):
            raise forms.ValidationError(_("Tempat penyisipan tidak dikenal."))
        return s

    def clean(self):
        d = super().clean()
        s = d.get("sisipkan")
        if s and d.get(f"templat-{s.split('-', 1)[1]}") is None:
            self.add_error(None, _("Pilih templat yang akan disisipkan."))
        return d

    def isi(self):
        """{Area: (catatan, rekomendasi)} as typed."""
        d = self.cleaned_data
        return {a: (d.get(f"catatan-{a.kode}", ""), d.get(f"rekomendasi-{a.kode}", ""))
                for a in self.areas}

    def disisipkan(self):
        """The posted data with the chosen snippet added to the chosen field."""
        s = self.cleaned_data["sisipkan"]
        templat = self.cleaned_data[f"templat-{s.split('-', 1)[1]}"]
        data = self.data.copy()
        ada = (self.cleaned_data.get(s) or "").rstrip()
        data[s] = f"{ada}\n{templat.teks}" if ada else templat.teks
        return data


class TandaLheForm(forms.Form):
    """A step of the LHE's sign-off: the NIP, then the confirmation with the password.
    What the NIP must be is laporan's rule (laporan.tanda.periksa_penanda)."""

    aksi = forms.ChoiceField(choices=[("tandatangani", "tandatangani"),
                                      ("konfirmasi_tanda", "konfirmasi_tanda")])
    nip = forms.CharField(required=False, max_length=100, error_messages={
        "max_length": _("NIP terlalu panjang: NIP terdiri atas 18 angka.")})
    sidik = forms.CharField(required=False, max_length=64)  # the draft confirmed (step 2)
    kata_sandi = forms.CharField(required=False, max_length=4096, strip=False)
    setuju = forms.BooleanField(required=False)


class TemplatCatatanForm(forms.ModelForm):
    class Meta:
        model = TemplatCatatan
        fields = ["judul", "teks", "dibagikan"]
        widgets = {"teks": forms.Textarea(attrs={"rows": 3})}

    def clean_teks(self):
        teks = self.cleaned_data["teks"].strip()
        if len(teks) > MAKS_CATATAN_LHE:
            raise forms.ValidationError(_("Teks paling banyak %s karakter.") % MAKS_CATATAN_LHE)
        return teks
