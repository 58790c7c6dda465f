"""Forms of the report pages."""

from django import forms


class AksiLaporanForm(forms.Form):
    """One action of the report's draft page as posted: the action, the version loaded, the
    draft's texts (`tl-<kunci>` per overdue item), the Kepala Dinas's note and NIP. What the
    texts and the NIP must be is the services' rule."""

    aksi = forms.ChoiceField(choices=[(a, a) for a in ("simpan", "ajukan", "kembalikan",
                                                       "tandatangani", "konfirmasi_tanda")])
    versi = forms.IntegerField(min_value=0, max_value=2**31 - 1)
    ringkasan = forms.CharField(required=False, strip=False)
    kendala = forms.CharField(required=False, strip=False)
    tindak_lanjut = forms.CharField(required=False, strip=False)
    catatan = forms.CharField(required=False, strip=False)
    nip = forms.CharField(required=False, max_length=100)
    # the confirmation step of a sign-off
    kata_sandi = forms.CharField(required=False, max_length=4096, strip=False)
    setuju = forms.BooleanField(required=False)

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
