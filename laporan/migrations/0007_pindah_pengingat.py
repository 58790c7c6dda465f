"""PengingatTerkirim now belongs to progres (state only: its table and rows stay)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('progres', '0001_awal'),
        ('laporan', '0006_pindah_preferensi'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(
                name='PengingatTerkirim',
            ),
        ]),
    ]
