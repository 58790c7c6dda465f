from django.contrib.auth import views as auth_views
from django.urls import path
from django_ratelimit.decorators import ratelimit

from . import views
from .forms import AturSandiForm, LupaSandiForm, MasukForm

app_name = "organisasi"

urlpatterns = [
    path("profil/", views.profil, name="profil"),
    path("unit/<slug:kode>/anggota/", views.anggota, name="anggota"),
    path("unit/<slug:kode>/anggota/undang/", views.undang, name="undang"),
    path("unit/<slug:kode>/anggota/<int:user_id>/", views.ubah_anggota, name="ubah_anggota"),
    path("unit/<slug:kode>/anggota/<int:user_id>/nonaktifkan/", views.nonaktifkan,
         name="nonaktifkan"),
]

# Sign-in, sign-out and the password reset keep Django's global names ("login",
# "password_reset_confirm", …): Django's views and e-mails link to them by those names.
urlpatterns_masuk = [
    path("masuk/", auth_views.LoginView.as_view(authentication_form=MasukForm), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    # ten reset e-mails an hour per address: nobody floods an inbox through this form
    path("lupa-sandi/", ratelimit(key="ip", rate="10/h", method="POST")(
        auth_views.PasswordResetView.as_view(form_class=LupaSandiForm)), name="password_reset"),
    path("lupa-sandi/terkirim/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("atur-sandi/<uidb64>/<token>/",
         auth_views.PasswordResetConfirmView.as_view(form_class=AturSandiForm),
         name="password_reset_confirm"),
    path("atur-sandi/selesai/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
]
