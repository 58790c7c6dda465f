import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse


def test_every_plan_model_is_in_the_admin():
    missing = [m.__name__ for m in apps.get_app_config("rencana_aksi").get_models()
               if not m.__name__.startswith("Historical") and not admin.site.is_registered(m)]
    assert missing == []


@pytest.mark.parametrize("model", ["rencanaaksi", "komponen", "buktidukung", "keanggotaan"])
def test_admin_changelists_open_for_the_admin(client_as, model):
    resp = client_as("admin").get(reverse(f"admin:rencana_aksi_{model}_changelist"))
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
