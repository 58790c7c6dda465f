from django.urls import path

from . import views

app_name = "progres"

urlpatterns = [
    path("dasbor/<slug:kode>/<int:tahun>/", views.dasbor, name="dasbor"),
    path("dasbor/<slug:kode>/<int:tahun>/kebutuhan/", views.kebutuhan, name="kebutuhan"),
    path("dasbor/<slug:kode>/<int:tahun>/linimasa/", views.linimasa, name="linimasa"),
    path("wilayah/<int:tahun>/", views.wilayah, name="wilayah"),
    path("publik/<slug:kode>/<int:tahun>/", views.publik, name="publik"),
    path("unit/<slug:kode>/publik/", views.atur_publik, name="atur_publik"),
]
