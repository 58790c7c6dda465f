from django.urls import path

from . import views, views_lhe, views_rekap

app_name = "evaluasi"

urlpatterns = [
    path("evaluasi/", views.beranda, name="beranda"),
    path("evaluasi/saya/", views.saya, name="saya"),
    path("evaluasi/putaran/", views.daftar, name="daftar"),
    path("evaluasi/putaran/baru/", views.buat, name="buat"),
    path("evaluasi/putaran/salin/", views.salin, name="salin"),
    path("evaluasi/<int:tahun>/", views.putaran, name="putaran"),
    path("evaluasi/<int:tahun>/ubah/", views.ubah, name="ubah"),
    path("evaluasi/<int:tahun>/rekap/", views_rekap.rekap, name="rekap"),
    path("evaluasi/<int:tahun>/rekap.xlsx", views_rekap.rekap_xlsx, name="rekap_xlsx"),
    path("evaluasi/<int:tahun>/unit/<slug:kode>/", views.peserta, name="peserta"),
    path("evaluasi/<int:tahun>/unit/<slug:kode>/tpi/", views.penugasan, name="penugasan"),
    path("evaluasi/<int:tahun>/unit/<slug:kode>/perpanjang/", views.perpanjang,
         name="perpanjang"),
    path("evaluasi/<int:tahun>/unit/<slug:kode>/ajukan/", views.ajukan, name="ajukan"),
    path("evaluasi/<int:tahun>/unit/<slug:kode>/salinan/", views.salinan, name="salinan"),
    path("evaluasi/<int:tahun>/unit/<slug:kode>/banding/", views.banding, name="banding"),
    path("evaluasi/<int:tahun>/unit/<slug:kode>/kembalikan/", views.kembalikan,
         name="kembalikan"),
    path("evaluasi/<int:tahun>/unit/<slug:kode>/dikembalikan/", views.dikembalikan,
         name="dikembalikan"),
    path("evaluasi/<int:tahun>/unit/<slug:kode>/periksa-ulang/", views.periksa_ulang,
         name="periksa_ulang"),
    path("evaluasi/<int:tahun>/unit/<slug:kode>/lhe/", views_lhe.editor, name="lhe"),
    path("evaluasi/<int:tahun>/unit/<slug:kode>/lhe/pratinjau/", views_lhe.pratinjau,
         name="lhe_pratinjau"),
    path("evaluasi/<int:tahun>/unit/<slug:kode>/lhe/draf.pdf", views_lhe.draf_pdf,
         name="lhe_draf"),
    path("evaluasi/<int:tahun>/unit/<slug:kode>/lhe/tandatangani/", views_lhe.tandatangani,
         name="lhe_tandatangani"),
    path("evaluasi/<int:tahun>/unit/<slug:kode>/lhe/v<int:nomor>.pdf", views_lhe.unduh,
         name="lhe_unduh"),
    path("evaluasi/templat-catatan/", views_lhe.templat, name="templat"),
    path("evaluasi/templat-catatan/<int:pk>/hapus/", views_lhe.hapus_templat,
         name="hapus_templat"),
]
