from django.urls import path

from . import views

app_name = "rencana_aksi"

urlpatterns = [
    path("rencana/", views.daftar, name="daftar"),
    path("rencana/<slug:kode>/<int:tahun>/", views.rencana, name="rencana"),
    path("rencana/<slug:kode>/<int:tahun>/pendahuluan/", views.pendahuluan, name="pendahuluan"),
    path("rencana/<slug:kode>/<int:tahun>/pendahuluan/ubah/", views.pendahuluan_ubah,
         name="pendahuluan_ubah"),
    path("rencana/<slug:kode>/<int:tahun>/ekspor.xlsx", views.ekspor, {"fmt": "xlsx"},
         name="ekspor_xlsx"),
    path("rencana/<slug:kode>/<int:tahun>/ekspor.json", views.ekspor, {"fmt": "json"},
         name="ekspor_json"),
    path("rencana/<slug:kode>/<int:tahun>/impor/", views.impor, name="impor"),
    path("rencana-aksi/<int:pk>/ubah/", views.rencana_aksi_ubah, name="rencana_aksi_ubah"),
    path("rencana/<slug:kode>/<int:tahun>/salin/", views.salin, name="salin"),
    path("templat-rencana-kerja.xlsx", views.templat, name="templat_xlsx"),
    path("komponen/<int:pk>/ubah/", views.komponen_ubah, name="komponen_ubah"),
    path("komponen/<int:pk>/tambah-indikator/", views.indikator_tambah, name="indikator_tambah"),
    path("rencana-aksi/<int:pk>/hapus/", views.rencana_aksi_hapus, name="rencana_aksi_hapus"),
    path("indikator/<int:pk>/ubah/", views.indikator_ubah, name="indikator_ubah"),
    path("indikator/<int:pk>/tambah-rencana-aksi/", views.rencana_aksi_tambah,
         name="rencana_aksi_tambah"),
]
