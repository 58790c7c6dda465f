from django import forms
from django.utils.translation import gettext_lazy as _


class BanyakBerkasInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class BanyakBerkasField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", BanyakBerkasInput(attrs={"multiple": True}))
        # Empty files are refused by the upload service, by name, keeping the others.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if not data:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UnggahForm(forms.Form):
    berkas = BanyakBerkasField(label=_("Berkas"), required=True, error_messages={
        "required": _("Pilih paling sedikit satu berkas."),
        "empty": _("Berkas yang dipilih kosong."),
    })
    catatan = forms.CharField(label=_("Catatan"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2}))
    bulan = forms.CharField(required=False, widget=forms.HiddenInput)
    tanggal_kejadian = forms.DateField(label=_("Tanggal kejadian"), required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}))
    uraian_kejadian = forms.CharField(label=_("Uraian singkat kejadian"), required=False,
                                      max_length=200)
    pengajuan = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        from rencana_aksi.bulan import parse_bulan_iso

        cd = super().clean()
        raw = cd.get("bulan")
        if raw:
            try:
                cd["bulan"] = parse_bulan_iso(raw)
            except ValueError:
                raise forms.ValidationError(_("Bulan target tidak sah.")) from None
        elif cd.get("pengajuan"):
            cd["bulan"] = None  # a new version for an existing occurrence
        else:
            cd["bulan"] = None
            if not cd.get("tanggal_kejadian"):
                self.add_error("tanggal_kejadian", _("Isi tanggal kejadian."))
            if not cd.get("uraian_kejadian"):
                self.add_error("uraian_kejadian", _("Isi uraian singkat kejadian."))
        return cd


class KeputusanForm(forms.Form):
    versi = forms.IntegerField(widget=forms.HiddenInput)
    komentar = forms.CharField(label=_("Komentar"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 3}))


class HapusBerkasForm(forms.Form):
    alasan = forms.CharField(label=_("Alasan menghapus"), max_length=500)
