import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from organisasi.models import Keanggotaan
from rencana_aksi.models import BuktiDukung, RencanaAksi, RencanaKerja


def _counts():
    return (get_user_model().objects.count(), Keanggotaan.objects.count(),
            RencanaKerja.objects.count(), RencanaAksi.objects.count(), BuktiDukung.objects.count())


def test_running_twice_changes_nothing(db, users):
    before = _counts()
    sek = users["sekretaris"]
    call_command("siapkan_demo", stdout=io.StringIO())
    assert _counts() == before
    sek.refresh_from_db()
    assert sek.password == users["sekretaris"].password


def test_every_role_has_its_demo_user(users):
    roles = {(k.user.username, k.peran, k.unit.kode if k.unit else None)
             for k in Keanggotaan.objects.select_related("user", "unit")}
    assert ("admin", "admin", None) in roles
    assert ("sekretaris", "sekretaris", "dinsos-mojokerto") in roles
    assert ("kepaladinas", "kepala_dinas", "dinsos-mojokerto") in roles
    assert ("tpi", "tpi", "dinkes-mojokerto") in roles
    assert ("anggota3", "anggota", "dinkes-mojokerto") in roles
    assert users["anggota1"].check_password("demo12345")


def test_no_demo_users_with_production_settings(db, settings):
    settings.ZI_DEMO = False
    get_user_model().objects.all().delete()
    with pytest.raises(CommandError, match="hanya dibuat di lingkungan pengembangan"):
        call_command("siapkan_demo", stdout=io.StringIO())
    assert not get_user_model().objects.exists()


def _settings_in_subprocess(env, expr):
    import os
    import subprocess
    import sys

    code = f"import django, os; django.setup(); from django.conf import settings as s; print({expr})"
    full = {**os.environ, "DJANGO_SETTINGS_MODULE": "zona_integritas.settings", **env}
    full.pop("ZI_DEMO", None)
    return subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True)


def test_production_settings_turn_demo_off():
    out = _settings_in_subprocess({"DJANGO_DEBUG": "False", "DJANGO_SECRET_KEY": "x" * 50},
                                  "s.ZI_DEMO, s.SESSION_COOKIE_SECURE")
    assert out.stdout.strip() == "False True"


def test_production_settings_need_a_secret_key():
    out = _settings_in_subprocess({"DJANGO_DEBUG": "False", "DJANGO_SECRET_KEY": ""}, "1")
    assert out.returncode != 0 and "DJANGO_SECRET_KEY wajib diisi" in out.stderr


def test_database_url_selects_postgresql():
    out = _settings_in_subprocess({"DATABASE_URL": "postgres://u:p@db.example:5432/zi"},
                                  "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME']")
    assert out.stdout.strip() == "django.db.backends.postgresql zi"
