import smtplib

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import permissions, services
from .forms import PeranForm, ProfilForm, UndangForm
from .models import Keanggotaan, PreferensiPengguna, nama_pengguna


@login_required
def profil(request):
    """The user's own settings: e-mail address, daily reminders on/off, NIP."""
    pref, _created = PreferensiPengguna.objects.get_or_create(user=request.user)
    form = ProfilForm(request.POST or None, initial={
        "email": request.user.email, "terima_pengingat": pref.terima_pengingat, "nip": pref.nip})
    if request.method == "POST" and form.is_valid():
        request.user.email = form.cleaned_data["email"]
        request.user.save(update_fields=["email"])
        pref.terima_pengingat = form.cleaned_data["terima_pengingat"]
        pref.nip = form.cleaned_data["nip"]
        pref.save()
        messages.success(request, _("Profil disimpan."))
        return redirect("organisasi:profil")
    return render(request, "organisasi/profil.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


# --- the people of a unit ---------------------------------------------------------------

def _unit_kelola(request, kode):
    """The unit whose people the user manages: 404 for strangers, 403 for other roles."""
    unit = permissions.get_unit_for_user(request, kode)
    if not permissions.can_manage_members(request.user, unit):
        raise PermissionDenied
    return unit


def _anggota_unit(unit):
    """The unit's members, each with their roles there (`peran_unit`): two queries."""
    return (get_user_model().objects.filter(keanggotaan__unit=unit).distinct()
            .prefetch_related(Prefetch("keanggotaan", Keanggotaan.objects.filter(unit=unit)
                                       .order_by("peran"), to_attr="peran_unit")))


@login_required
def anggota(request, kode):
    """The unit's members, their roles and whether their account is usable."""
    unit = _unit_kelola(request, kode)
    boleh = set(permissions.peran_boleh_diatur(request.user, unit))
    admin = permissions.is_admin(request.user)
    members = list(_anggota_unit(unit).order_by("first_name", "last_name", "username"))
    for m in members:
        m.bisa_dinonaktifkan = (all(k.peran in boleh for k in m.peran_unit)
                                and (admin or m != request.user))
    riwayat = Keanggotaan.history.filter(unit=unit).select_related("history_user", "user")[:15]
    return render(request, "organisasi/anggota.html",
                  {"unit": unit, "members": members, "riwayat": riwayat})


@login_required
@require_http_methods(["GET", "POST"])
def undang(request, kode):
    """Invite someone by e-mail: a new account with a set-password link, or the existing
    account of that e-mail gets the roles."""
    unit = _unit_kelola(request, kode)
    form = UndangForm(request.POST if request.method == "POST" else None,
                      pilihan_peran=permissions.peran_boleh_diatur(request.user, unit))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user, baru = services.undang_anggota(
                unit=unit, nama=d["nama"], email=d["email"], peran=d["peran"],
                oleh=request.user, url_dasar=request.build_absolute_uri("/"))
        except ValidationError as e:
            form.add_error(None, e)
        except (smtplib.SMTPException, OSError):
            form.add_error(None, _("E-mail undangan gagal dikirim; tidak ada yang diubah. "
                                   "Periksa alamatnya atau coba lagi nanti."))
        else:
            if baru:
                messages.success(request, _("Undangan dikirim ke %(email)s.") % {"email": user.email})
            else:
                messages.success(request, _("%(nama)s sudah mempunyai akun; perannya di unit ini "
                                            "ditambahkan dan pemberitahuan dikirim.")
                                 % {"nama": nama_pengguna(user)})
            return redirect("organisasi:anggota", kode=unit.kode)
    return render(request, "organisasi/undang.html", {"unit": unit, "form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def ubah_anggota(request, kode, user_id):
    """Set a member's roles in the unit."""
    unit = _unit_kelola(request, kode)
    member = get_object_or_404(_anggota_unit(unit), pk=user_id)
    boleh = permissions.peran_boleh_diatur(request.user, unit)
    punya = [k.peran for k in member.peran_unit]
    form = PeranForm(request.POST if request.method == "POST" else None, pilihan_peran=boleh,
                     initial={"peran": [p for p in punya if p in boleh]})
    if request.method == "POST" and form.is_valid():
        try:
            services.atur_peran(unit=unit, user=member, peran=form.cleaned_data["peran"],
                                oleh=request.user)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Peran %(nama)s disimpan.") % {"nama": nama_pengguna(member)})
            return redirect("organisasi:anggota", kode=unit.kode)
    return render(request, "organisasi/ubah_anggota.html", {
        "unit": unit, "member": member, "form": form,
        "peran_lain": [k for k in member.peran_unit if k.peran not in boleh]},
        status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def nonaktifkan(request, kode, user_id):
    """Take the member out of the unit, after a confirmation page."""
    unit = _unit_kelola(request, kode)
    member = get_object_or_404(_anggota_unit(unit), pk=user_id)
    error = None
    if request.method == "POST":
        try:
            services.nonaktifkan_anggota(unit=unit, user=member, oleh=request.user)
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(request, _("%(nama)s tidak lagi menjadi anggota %(unit)s.")
                             % {"nama": nama_pengguna(member), "unit": unit.nama})
            return redirect("organisasi:anggota", kode=unit.kode)
    return render(request, "organisasi/nonaktifkan.html",
                  {"unit": unit, "member": member, "error": error},
                  status=400 if error else 200)
