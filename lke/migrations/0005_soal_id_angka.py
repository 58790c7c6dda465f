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


def ke_teks(apps, schema_editor):
    """Backwards: the text column has no empty value (NOT NULL)."""
    for nama in ("SoalLke", "HistoricalSoalLke"):
        apps.get_model("lke", nama).objects.filter(soal_id__isnull=True).update(soal_id="")


class Migration(migrations.Migration):
    dependencies = [("lke", "0004_lke_resmi_skema")]
    operations = [migrations.RunPython(ke_angka, ke_teks)]
