from django.contrib import admin
from django.urls import include, path

from organisasi.urls import urlpatterns_masuk

from . import views

admin.site.site_header = "Zona Integritas - Administrasi"
admin.site.site_title = "Zona Integritas"

urlpatterns = [
    path("", views.beranda, name="beranda"),
    path("navigasi/", views.navigasi_hitungan, name="navigasi"),
    *urlpatterns_masuk,
    path("", include("organisasi.urls")),
    path("", include("rencana_aksi.urls")),
    path("", include("bukti_dukung.urls")),
    path("", include("progres.urls")),
    path("", include("laporan.urls")),
    path("", include("lke.urls")),
    path("", include("evaluasi.urls")),
    path("api/portalrb/", include("lke.api_urls")),
    path("admin/", admin.site.urls),
]
