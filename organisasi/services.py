"""The people of a unit: invite by e-mail, set roles, deactivate. Each change is one
transaction and leaves its trace in Keanggotaan's history (who, when, which role)."""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from . import permissions
from .models import Keanggotaan, Peran, nama_pengguna


def username_dari_email(email):
    """A new, unique user name from the e-mail's local part: "budi.s@x.go.id" → "budi.s",
    else "budi.s2", "budi.s3", …"""
    dasar = re.sub(r"[^a-z0-9._+-]", "", email.split("@")[0].lower())[:140] or "pengguna"
    dipakai = {u.lower() for u in get_user_model().objects.filter(
        username__istartswith=dasar).values_list("username", flat=True)}
    nama, n = dasar, 1
    while nama in dipakai:
        n += 1
        nama = f"{dasar}{n}"
    return nama


def _periksa_peran(peran, *, unit, oleh):
    boleh = permissions.peran_boleh_diatur(oleh, unit)
    peran = set(peran)
    if not peran <= set(boleh):
        raise ValidationError(_("Anda tidak dapat memberikan peran itu di unit ini."))
    return peran, set(boleh)


def _tambah(user, unit, peran, oleh):
    k = Keanggotaan(user=user, unit=unit, peran=peran)
    k._history_user = oleh
    k.save()


def _hapus(keanggotaan, oleh):
    keanggotaan._history_user = oleh
    keanggotaan.delete()


def tautan_atur_sandi(user, url_dasar):
    """The set-password link of Django's reset views (default_token_generator); it stops
    working once the password is set."""
    return url_dasar.rstrip("/") + reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user)})


def _kirim_undangan(*, user, unit, peran, oleh, url_dasar):
    ctx = {"user": user, "nama": nama_pengguna(user), "unit": unit, "pengundang": nama_pengguna(oleh),
           "peran": ", ".join(str(Peran(p).label) for p in sorted(peran)),
           "url_masuk": url_dasar.rstrip("/") + reverse("login"),
           "hari": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)}
    if user.has_usable_password():
        templat, subjek = "organisasi/email/ditambahkan.txt", _("Anda ditambahkan ke %(unit)s")
    else:
        ctx["tautan"] = tautan_atur_sandi(user, url_dasar)
        templat, subjek = "organisasi/email/undangan.txt", _("Undangan Zona Integritas: %(unit)s")
    send_mail(subjek % {"unit": unit.nama}, render_to_string(templat, ctx),
              settings.DEFAULT_FROM_EMAIL, [user.email])


@transaction.atomic
def undang_anggota(*, unit, nama, email, peran, oleh, url_dasar):
    """Give `peran` in `unit` to the person with `email`, creating the account when the
    e-mail is new (without a usable password), and e-mail them: a new account gets the
    link to set its password. Returns (user, created). A failed e-mail undoes it all."""
    peran, _boleh = _periksa_peran(peran, unit=unit, oleh=oleh)
    if not peran:
        raise ValidationError(_("Pilih sedikitnya satu peran."))
    User = get_user_model()  # noqa: N806
    ada = list(User.objects.filter(email__iexact=email)[:2])
    if len(ada) > 1:
        raise ValidationError(_("Alamat e-mail ini dipakai lebih dari satu akun. Minta Admin "
                                "merapikannya di Administrasi."))
    baru = not ada
    if baru:
        depan, _spasi, belakang = nama.partition(" ")
        user = User(username=username_dari_email(email), email=email,
                    first_name=depan[:150], last_name=belakang[:150])
        user.set_unusable_password()
        user.save()
    else:
        user = ada[0]
        if not user.is_active:  # deactivated before: back in
            user.is_active = True
            user.save(update_fields=["is_active"])
    punya = set(Keanggotaan.objects.filter(user=user, unit=unit).values_list("peran", flat=True))
    for p in sorted(peran - punya):
        _tambah(user, unit, p, oleh)
    _kirim_undangan(user=user, unit=unit, peran=peran | punya, oleh=oleh, url_dasar=url_dasar)
    return user, baru


@transaction.atomic
def atur_peran(*, unit, user, peran, oleh):
    """Set the member's roles in `unit` among those `oleh` may give; other roles stay."""
    peran, boleh = _periksa_peran(peran, unit=unit, oleh=oleh)
    rows = list(Keanggotaan.objects.select_for_update().filter(user=user, unit=unit))
    punya = {k.peran for k in rows}
    if (user == oleh and Peran.SEKRETARIS in punya and Peran.SEKRETARIS not in peran
            and not permissions.is_admin(oleh)):
        raise ValidationError(_("Anda tidak dapat melepas peran Sekretaris Anda sendiri."))
    if not peran and not punya - boleh:
        raise ValidationError(_("Pilih sedikitnya satu peran. Untuk mengeluarkan anggota dari "
                                "unit, pakai “Nonaktifkan”."))
    for k in rows:
        if k.peran in boleh and k.peran not in peran:
            _hapus(k, oleh)
    for p in sorted(peran - punya):
        _tambah(user, unit, p, oleh)


@transaction.atomic
def nonaktifkan_anggota(*, unit, user, oleh):
    """Take every role of the member in `unit`. A person left with no role anywhere can no
    longer sign in (the account is deactivated; an invitation brings it back)."""
    if user == oleh and not permissions.is_admin(oleh):
        raise ValidationError(_("Anda tidak dapat menonaktifkan diri sendiri."))
    boleh = set(permissions.peran_boleh_diatur(oleh, unit))
    rows = list(Keanggotaan.objects.select_for_update().filter(user=user, unit=unit))
    if any(k.peran not in boleh for k in rows):
        raise ValidationError(_("Anggota ini memegang peran yang hanya dapat diubah Admin "
                                "(Kepala Dinas atau TPI)."))
    for k in rows:
        _hapus(k, oleh)
    if not user.is_superuser and not Keanggotaan.objects.filter(user=user).exists():
        user.is_active = False
        user.save(update_fields=["is_active"])
