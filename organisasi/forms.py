"""Sign-in and a person's own settings."""

import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NIP_POLA = r"^[0-9 ]{0,30}$"


def periksa_nip(nip):
    """A NIP as printed on the report: digits (spaces allowed between groups)."""
    nip = " ".join((nip or "").split())
    if not re.match(NIP_POLA, nip):
        raise ValidationError(_("NIP hanya berisi angka (boleh dipisah spasi)."))
    return nip


class MasukForm(AuthenticationForm):
    """Login with plainer Indonesian than Django's stock translation."""

    error_messages = {
        "invalid_login": _("Nama pengguna atau kata sandi salah. Perhatikan huruf besar/kecil."),
        "inactive": _("Akun ini tidak aktif. Hubungi Admin."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Nama pengguna")
        self.fields["password"].label = _("Kata sandi")


class ProfilForm(forms.Form):
    email = forms.EmailField(label=_("Alamat e-mail"), required=False)
    terima_pengingat = forms.BooleanField(
        label=_("Kirimi saya pengingat harian lewat e-mail"), required=False)
    nip = forms.CharField(label=_("NIP"), required=False, max_length=40,
                          help_text=_("Dicetak pada blok tanda tangan laporan."))

    def clean_nip(self):
        return periksa_nip(self.cleaned_data["nip"])
