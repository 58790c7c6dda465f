"""Sign-in, a person's own settings, and the people of a unit."""

import re

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
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

    def get_invalid_login_error(self):
        """The wrong-password error with the attempts left before the lockout, as axes
        counts them (it has already recorded this failure)."""
        if self.request is None:
            return super().get_invalid_login_error()
        kredensial = {"username": self.cleaned_data.get("username")}
        sisa = (get_failure_limit(self.request, kredensial)
                - AxesProxyHandler.get_failures(self.request, kredensial))
        if sisa <= 0:
            return super().get_invalid_login_error()
        menit = int(get_cool_off(self.request).total_seconds() // 60)
        return ValidationError(
            _("Nama pengguna atau kata sandi salah. Sisa %(sisa)d percobaan sebelum akun "
              "dikunci selama %(menit)d menit."),
            code="invalid_login", params={"sisa": sisa, "menit": menit})


class LupaSandiForm(PasswordResetForm):
    """Django's reset form; also reaches invited members who never set a password (their
    lost invitation is the same link)."""

    email = forms.EmailField(label=_("Alamat e-mail"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def get_users(self, email):
        User = get_user_model()  # noqa: N806
        return (u for u in User._default_manager.filter(email__iexact=email, is_active=True)
                if u.email.lower() == email.lower())


class ProfilForm(forms.Form):
    email = forms.EmailField(label=_("Alamat e-mail"), required=False)
    terima_pengingat = forms.BooleanField(
        label=_("Kirimi saya pengingat harian lewat e-mail"), required=False)
    nip = forms.CharField(label=_("NIP"), required=False, max_length=40,
                          help_text=_("Dicetak pada blok tanda tangan laporan."))

    def clean_nip(self):
        return periksa_nip(self.cleaned_data["nip"])


class AturSandiForm(SetPasswordForm):
    """Django's set-password form with the app's words ("kata sandi")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")
        self.fields["new_password2"].help_text = _("Tulis sekali lagi untuk memastikan.")


class UndangForm(forms.Form):
    """Invite someone to the unit by e-mail, with their roles."""

    nama = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("Alamat e-mail"), max_length=254)
    peran = forms.MultipleChoiceField(label=_("Peran"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, pilihan_peran, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peran"].choices = [(p.value, p.label) for p in pilihan_peran]

    def clean_nama(self):
        nama = " ".join(self.cleaned_data["nama"].split())
        if not nama:
            raise ValidationError(_("Nama wajib diisi."))
        return nama

    def clean_email(self):
        return get_user_model().objects.normalize_email(self.cleaned_data["email"])


class PeranForm(forms.Form):
    """A member's roles in the unit (those the signed-in user may give)."""

    peran = forms.MultipleChoiceField(label=_("Peran"), widget=forms.CheckboxSelectMultiple,
                                      required=False)

    def __init__(self, *args, pilihan_peran, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peran"].choices = [(p.value, p.label) for p in pilihan_peran]
