from django.urls import path

from . import views, views_pengusulan

app_name = "lke"

urlpatterns = [
    path("lke/<slug:kode>/<int:tahun>/", views.lke_unit, name="lke"),
    path("lke/<slug:kode>/<int:tahun>/soal/<int:pk>/", views.jawab, name="jawab"),
    path("lke/<slug:kode>/<int:tahun>/tautan/", views.tautan, name="tautan"),
    path("lke/<slug:kode>/<int:tahun>/lke.xlsx", views.lke_xlsx, name="xlsx"),
    path("lke/<slug:kode>/<int:tahun>/siapkan/", views.siapkan, name="siapkan"),
    path("lke/<slug:kode>/<int:tahun>/lembar-kerja.xlsx", views.lembar_kerja_unduh,
         name="lembar_kerja_unduh"),
    path("lke/<slug:kode>/<int:tahun>/impor/", views.lembar_kerja_impor, name="lembar_kerja_impor"),
    path("lke/pengusulan/", views_pengusulan.pengusulan, name="pengusulan"),
]
