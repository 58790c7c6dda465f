"""Sign-in, a person's own settings, and the people of a unit."""

import re
from datetime import date

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def periksa_nip(nip, *, wajib=False, hari_ini=None):
    """A civil servant's NIP (18 digits: birth date YYYYMMDD, appointment YYYYMM, sex code
    1/2, serial number) printed as "19800101 200501 1 001"; "" when empty and not `wajib`."""
    angka = "".join((nip or "").split())
    if not angka:
        if wajib:
            raise ValidationError(_("NIP wajib diisi untuk menandatangani."))
        return ""
    if not re.fullmatch(r"[0-9]{18}", angka):
        raise ValidationError(_("NIP terdiri atas 18 angka (boleh dipisah spasi), "
                                "mis. 19800101 200501 1 001."))
    hari_ini = hari_ini or timezone.localdate()
    try:
        lahir = date(int(angka[:4]), int(angka[4:6]), int(angka[6:8]))
    except ValueError:
        lahir = None
    if lahir is None or lahir.year < 1940 or lahir.year > hari_ini.year - 17:
        raise ValidationError(_("Delapan angka pertama NIP harus tanggal lahir yang sah "
                                "(tahun, bulan, tanggal)."))
    tmt_tahun, tmt_bulan = int(angka[8:12]), int(angka[12:14])
    if not 1 <= tmt_bulan <= 12 or not lahir.year + 17 <= tmt_tahun <= hari_ini.year + 1:
        raise ValidationError(_("Angka ke-9 sampai ke-14 NIP harus tahun dan bulan "
                                "pengangkatan yang sah."))
    if angka[14] not in "12":
        raise ValidationError(_("Angka ke-15 NIP (jenis kelamin) harus 1 (pria) atau "
                                "2 (wanita)."))
    return f"{angka[:8]} {angka[8:14]} {angka[14]} {angka[15:]}"


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
                          help_text=_("18 angka, mis. 19800101 200501 1 001. Dicetak pada blok tanda "
                                      "tangan laporan."))

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
