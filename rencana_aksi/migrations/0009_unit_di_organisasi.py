"""UnitKerja and Keanggotaan now belong to organisasi (state only: tables and rows stay)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('lke', '0008_unit_di_organisasi'),
        ('organisasi', '0001_awal'),
        ('rencana_aksi', '0008_logo_unit'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='historicalrencanakerja',
                name='unit',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='organisasi.unitkerja'),
            ),
            migrations.AlterField(
                model_name='rencanakerja',
                name='unit',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rencana_kerja', to='organisasi.unitkerja'),
            ),
            migrations.DeleteModel(
                name='Keanggotaan',
            ),
            migrations.DeleteModel(
                name='UnitKerja',
            ),
        ]),
    ]
