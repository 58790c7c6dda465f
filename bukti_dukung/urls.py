from django.urls import path

from . import views

app_name = "bukti_dukung"

urlpatterns = [
    path("tugas-saya/", views.tugas_saya, name="tugas_saya"),
    path("rencana-aksi/<int:pk>/bukti/", views.bukti_rencana_aksi, name="rencana_aksi"),
    path("bukti-dukung/<int:pk>/unggah/", views.unggah, name="unggah"),
    path("berkas/<int:pk>/unduh/", views.unduh, name="unduh"),
    path("berkas/<int:pk>/lihat/", views.lihat, name="lihat"),
    path("berkas/<int:pk>/hapus/", views.hapus, name="hapus"),
    path("tinjauan/<slug:kode>/", views.antrean, name="antrean"),
    path("tinjauan/<slug:kode>/setujui/", views.setujui_terpilih, name="setujui_terpilih"),
    path("pengajuan/<int:pk>/tinjau/", views.tinjau, name="tinjau"),
    path("log/<slug:kode>/", views.log, name="log"),
    path("log/<slug:kode>/log.csv", views.log_csv, name="log_csv"),
    path("unit/<slug:kode>/pengaturan/", views.pengaturan_unit, name="pengaturan_unit"),
    path("indikator/<int:pk>/isian/", views.isian_simpan, name="isian_simpan"),
]
