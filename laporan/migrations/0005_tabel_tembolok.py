"""The shared cache's table (settings.CACHES, DatabaseCache): figures and rate-limit
counters every process and machine sees. Nothing to do with Redis or another backend."""

from django.core.management import call_command
from django.db import migrations


def buat(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def hapus(apps, schema_editor):
    with schema_editor.connection.cursor() as c:
        c.execute("DROP TABLE IF EXISTS zi_tembolok")


class Migration(migrations.Migration):
    dependencies = [("laporan", "0004_tugas_latar")]
    operations = [migrations.RunPython(buat, hapus)]
