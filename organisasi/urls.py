from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import MasukForm

app_name = "organisasi"

urlpatterns = [
    path("profil/", views.profil, name="profil"),
]

# sign-in and sign-out keep their global names ("login", "logout")
urlpatterns_masuk = [
    path("masuk/", auth_views.LoginView.as_view(authentication_form=MasukForm), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
]
