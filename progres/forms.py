"""Forms of the progress pages: the requirement list's filters, the regency overview's
filters and the unit's public page settings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bukti_dukung.kebutuhan import STATUS_DAFTAR
from rencana_aksi.forms import BulanField

LABEL_STATUS = dict(zip(STATUS_DAFTAR, [_("Disetujui"), _("Menunggu tinjauan"), _("Perlu perbaikan"),
                                        _("Belum diunggah"), _("Terlambat")], strict=True))


class KebutuhanFilterForm(forms.Form):
    """The filters of the list behind a dashboard figure (GET): a value that does not hold
    is ignored (the list is then wider, never an error page)."""

    status = forms.ChoiceField(choices=list(LABEL_STATUS.items()), required=False)
    area = forms.IntegerField(required=False, min_value=1, max_value=2**62)
    komponen = forms.IntegerField(required=False, min_value=1, max_value=2**62)
    pic = forms.CharField(required=False, max_length=20)
    bulan = BulanField(required=False)
    halaman = forms.IntegerField(required=False, min_value=1, max_value=10**6)

    def clean_pic(self):
        v = self.cleaned_data["pic"]
        if v == "kosong":
            return v
        return int(v) if v.isascii() and v.isdigit() and len(v) < 19 else None

    def saringan(self):
        """({status, area, komponen, pic, bulan} that hold, None for the others; page)."""
        self.is_valid()
        return ({k: self.cleaned_data.get(k) or None for k in self.fields if k != "halaman"},
                self.cleaned_data.get("halaman") or 1)

URUTAN = [("nama", _("nama")), ("persen", _("kemajuan")), ("terlambat", _("terlambat")),
          ("aktif", _("aktivitas terakhir"))]


class WilayahFilterForm(forms.Form):
    """The overview's sort, search and page (GET); a value that does not hold is the default."""

    urut = forms.ChoiceField(choices=URUTAN, required=False)
    q = forms.CharField(required=False)
    halaman = forms.IntegerField(required=False, min_value=1, max_value=10**6)

    def filter(self):
        self.is_valid()
        d = self.cleaned_data
        return d.get("urut") or "nama", (d.get("q") or "")[:100], d.get("halaman") or 1


class PengaturanPublikForm(forms.Form):
    halaman_publik = forms.BooleanField(required=False)
    tanggal_pencanangan = forms.DateField(
        required=False, input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Tanggal pencanangan tidak sah.")})
    keterangan_pencanangan = forms.CharField(required=False)

    def clean_keterangan_pencanangan(self):
        return self.cleaned_data["keterangan_pencanangan"][:2000]
