from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import ProfilForm
from .models import PreferensiPengguna


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
