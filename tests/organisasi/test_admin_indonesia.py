"""The Django admin speaks Indonesian: no app or model keeps an English label."""

import pytest

from organisasi.models import Keanggotaan

INGGRIS = ["BUKTI_DUKUNG", "Bukti_Dukung", "Tasks database backend", "Tasks Database Backend",
           "Task Results", "Task results", "Access attempts", "Access logs", "Access failures",
           "Authentication and Authorization", "Groups", "Users", "Axes", "Site administration",
           "Recent actions"]


@pytest.mark.parametrize("url", ["/admin/", "/admin/axes/", "/admin/django_tasks_database/"])
def test_admin_tanpa_label_inggris(client_as, url):
    r = client_as("admin").get(url)
    assert r.status_code == 200
    html = r.content.decode()
    for label in INGGRIS:
        assert label not in html, label


def test_admin_memakai_nama_indonesia(client_as):
    html = client_as("admin").get("/admin/").content.decode()
    for label in ["Bukti dukung", "Keamanan masuk", "Upaya akses", "Log akses", "Kegagalan akses",
                  "Antrean proses latar", "Entri antrean", "Organisasi dan pengguna", "Pengguna"]:
        assert label in html, label


def test_riwayat_keanggotaan_di_admin(client_as, users):
    k = Keanggotaan.objects.filter(user=users["anggota1"]).first()
    r = client_as("admin").get(f"/admin/organisasi/keanggotaan/{k.pk}/history/")
    assert r.status_code == 200
