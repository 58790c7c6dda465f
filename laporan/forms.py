"""Forms of the progress pages: the regency overview's filters and the unit's public page
settings."""

from django import forms
from django.utils.translation import gettext_lazy as _

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


class AksiLaporanForm(forms.Form):
    """One action of the report's draft page as posted: the action, the version loaded, the
    draft's texts (`tl-<kunci>` per overdue item), the Kepala Dinas's note and NIP. What the
    texts and the NIP must be is the services' rule."""

    aksi = forms.ChoiceField(choices=[(a, a) for a in ("simpan", "ajukan", "kembalikan",
                                                       "tandatangani")])
    versi = forms.IntegerField(min_value=0, max_value=2**31 - 1)
    ringkasan = forms.CharField(required=False, strip=False)
    kendala = forms.CharField(required=False, strip=False)
    tindak_lanjut = forms.CharField(required=False, strip=False)
    catatan = forms.CharField(required=False, strip=False)
    nip = forms.CharField(required=False, max_length=100)

    def __init__(self, *args, kunci=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kunci = list(kunci)
        for k in self.kunci:
            self.fields[f"tl-{k}"] = forms.CharField(required=False, strip=False)

    def tindak_lanjut_item(self):
        return {k: self.cleaned_data.get(f"tl-{k}", "") for k in self.kunci}


class LogoForm(forms.Form):
    hapus = forms.BooleanField(required=False)


class KodeVerifikasiForm(forms.Form):
    kode = forms.CharField(required=False, max_length=60)
