import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse


@pytest.mark.parametrize("app", ["rencana_aksi", "bukti_dukung", "laporan"])
def test_every_model_is_in_the_admin(app):
    missing = [m.__name__ for m in apps.get_app_config(app).get_models()
               if not m.__name__.startswith("Historical") and not admin.site.is_registered(m)]
    assert missing == []


@pytest.mark.parametrize("model", ["rencana_aksi_rencanaaksi", "rencana_aksi_komponen",
                                   "rencana_aksi_buktidukung", "organisasi_keanggotaan",
                                   "organisasi_unitkerja", "organisasi_preferensipengguna"])
def test_admin_changelists_open_for_the_admin(client_as, model):
    resp = client_as("admin").get(reverse(f"admin:{model}_changelist"))
    assert resp.status_code == 200
    assert "Pilih" in resp.content.decode()  # Indonesian admin


def test_admin_is_closed_to_unit_users(client_as):
    resp = client_as("sekretaris").get(reverse("admin:rencana_aksi_rencanaaksi_changelist"))
    assert resp.status_code == 302 and "/admin/login/" in resp["Location"]


def test_user_page_shows_roles(client_as, users):
    resp = client_as("admin").get(reverse("admin:auth_user_change", args=[users["tpi"].pk]))
    body = resp.content.decode()
    assert "keanggotaan_set" in body or "keanggotaan-" in body


def test_admin_change_pages_use_autocomplete(client_as, rk_dinsos):
    from rencana_aksi.models import RencanaAksi

    ra = RencanaAksi.objects.milik_unit(rk_dinsos.unit).first()
    body = client_as("admin").get(reverse("admin:rencana_aksi_rencanaaksi_change", args=[ra.pk])
                                  ).content.decode()
    assert "admin-autocomplete" in body
    assert body.count("<option") < 50  # not a dropdown of every indikator of every unit


def test_admin_edit_reparses_target_and_bumps_version(client_as, rk_dinsos):
    from rencana_aksi.models import RencanaAksi
    from rencana_aksi.services import terapkan_target_waktu

    ra = RencanaAksi.objects.milik_unit(rk_dinsos.unit).filter(
        teks="Pembentukan Tim Kerja ZI dalam unit kerja").first()
    versi = ra.versi
    ra.target_waktu = "Sesuai arahan pimpinan"
    ra.save()
    terapkan_target_waktu(rencana_aksi=ra)
    assert ra.versi == versi + 1 and ra.perlu_atur_bulan and not ra.target_bulan.exists()
    ra.target_waktu = "Mei, Juni 2024"
    ra.save()
    terapkan_target_waktu(rencana_aksi=ra)
    assert [str(t) for t in ra.target_bulan.all()] == ["2024-05", "2024-06"]
    assert not ra.perlu_atur_bulan


def test_admin_change_form_goes_through_the_rules(client_as, rk_dinsos):
    from rencana_aksi.models import RencanaAksi

    ra = RencanaAksi.objects.milik_unit(rk_dinsos.unit).filter(
        teks="Pembentukan Tim Kerja ZI dalam unit kerja").first()
    url = reverse("admin:rencana_aksi_rencanaaksi_change", args=[ra.pk])
    data = {
        "indikator": ra.indikator_id, "urutan": ra.urutan, "teks": ra.teks,
        "target_waktu": "Juli – September 2024", "target_terbaca": "on", "pic": "",
        "bukti_dukung-TOTAL_FORMS": 0, "bukti_dukung-INITIAL_FORMS": 0,
        "target_bulan-TOTAL_FORMS": 0, "target_bulan-INITIAL_FORMS": 0,
    }
    resp = client_as("admin").post(url, data)
    assert resp.status_code == 302, resp.content.decode()[:2000]
    ra.refresh_from_db()
    assert [str(t) for t in ra.target_bulan.all()] == ["2024-07", "2024-08", "2024-09"]
    assert ra.versi == 2
