from django.urls import path

from . import views_laporan, views_proses

app_name = "laporan"

urlpatterns = [
    path("laporan/<slug:kode>/<int:tahun>/", views_laporan.daftar, name="daftar_laporan"),
    path("laporan/<slug:kode>/<int:tahun>/semester-<int:semester>/",
         views_laporan.laporan_semester, name="laporan_semester"),
    path("laporan/<slug:kode>/<int:tahun>/semester-<int:semester>/pratinjau/",
         views_laporan.pratinjau, name="pratinjau_laporan"),
    path("laporan/<slug:kode>/<int:tahun>/semester-<int:semester>/draf.pdf",
         views_laporan.pdf_draf, name="pdf_draf"),
    path("laporan/<slug:kode>/<int:tahun>/logo/", views_laporan.atur_logo, name="atur_logo"),
    path("laporan/<slug:kode>/<int:tahun>/logo.img", views_laporan.logo, name="logo"),
    path("laporan/<slug:kode>/<int:tahun>/status.xlsx", views_laporan.status_xlsx,
         name="status_xlsx"),
    path("laporan/<slug:kode>/<int:tahun>/bukti.zip", views_laporan.bundel_bukti,
         name="bundel_bukti"),
    path("laporan/tertanda/<int:pk>/unduh/", views_laporan.unduh_tertanda, name="unduh_tertanda"),
    path("proses/<uuid:pk>/", views_proses.proses, name="proses"),
    path("proses/<uuid:pk>/unduh/", views_proses.unduh_proses, name="unduh_proses"),
    path("proses/<uuid:pk>/ulangi/", views_proses.ulangi_proses, name="ulangi_proses"),
    path("proses/<uuid:pk>/batalkan/", views_proses.batalkan_proses, name="batalkan_proses"),
    path("verifikasi/", views_laporan.verifikasi, name="verifikasi"),
    path("verifikasi/<str:kode>/", views_laporan.verifikasi, name="verifikasi_kode"),
]
