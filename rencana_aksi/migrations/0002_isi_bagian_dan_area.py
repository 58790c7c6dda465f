from django.db import migrations


def isi(apps, schema_editor):
    from rencana_aksi.master import pastikan_master

    pastikan_master(apps.get_model("rencana_aksi", "Bagian"), apps.get_model("rencana_aksi", "Area"))


class Migration(migrations.Migration):
    dependencies = [("rencana_aksi", "0001_awal")]
    operations = [migrations.RunPython(isi, migrations.RunPython.noop)]
