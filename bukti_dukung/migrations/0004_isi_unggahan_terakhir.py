from django.db import migrations
from django.db.models import Max, OuterRef, Subquery

JALUR = "pengajuan__bukti_dukung__rencana_aksi__indikator__komponen__area_rencana__rencana_kerja"


def isi(apps, schema_editor):
    """Each plan's last upload, from its files (services.hitung_ulang_unggahan_terakhir)."""
    Berkas = apps.get_model("bukti_dukung", "Berkas")  # noqa: N806
    RencanaKerja = apps.get_model("rencana_aksi", "RencanaKerja")  # noqa: N806
    terakhir = (Berkas.objects.filter(**{JALUR: OuterRef("pk")}).order_by().values(JALUR)
                .annotate(m=Max("diunggah_pada")).values("m"))
    RencanaKerja.objects.update(unggahan_terakhir=Subquery(terakhir))


class Migration(migrations.Migration):

    dependencies = [
        ("bukti_dukung", "0003_berkas_dibuka"),
        ("rencana_aksi", "0011_unggahan_terakhir"),
    ]

    operations = [migrations.RunPython(isi, migrations.RunPython.noop)]
