"""soal_id becomes PortalRB's integer: a blank or non-numeric value becomes empty."""

from django.db import migrations


def ke_angka(apps, schema_editor):
    for nama in ("SoalLke", "HistoricalSoalLke"):
        model = apps.get_model("lke", nama)
        for pk, sid in model.objects.values_list("pk", "soal_id"):
            teks = (sid or "").strip()
            baru = str(int(teks)) if teks.isascii() and teks.isdigit() and len(teks) < 10 else None
            if baru != sid:
                model.objects.filter(pk=pk).update(soal_id=baru)


class Migration(migrations.Migration):
    dependencies = [("lke", "0004_lke_resmi_skema")]
    operations = [migrations.RunPython(ke_angka, migrations.RunPython.noop)]
