from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from rencana_aksi import views as rencana_views
from rencana_aksi.forms import MasukForm

admin.site.site_header = "Zona Integritas - Administrasi"
admin.site.site_title = "Zona Integritas"

urlpatterns = [
    path("", rencana_views.beranda, name="beranda"),
    path("masuk/", auth_views.LoginView.as_view(authentication_form=MasukForm), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("rencana_aksi.urls")),
    path("", include("bukti_dukung.urls")),
    path("", include("laporan.urls")),
    path("", include("lke.urls")),
    path("api/portalrb/", include("lke.api_urls")),
    path("admin/", admin.site.urls),
]
