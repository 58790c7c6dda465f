"""UnitKerja now belongs to organisasi (state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('lke', '0007_lke_resmi_data'),
        ('organisasi', '0001_awal'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='historicaljawabanlke',
                name='unit',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='organisasi.unitkerja'),
            ),
            migrations.AlterField(
                model_name='historicalpengusulan',
                name='unit',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='organisasi.unitkerja'),
            ),
            migrations.AlterField(
                model_name='jawabanlke',
                name='unit',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='jawaban_lke', to='organisasi.unitkerja'),
            ),
            migrations.AlterField(
                model_name='pengusulan',
                name='unit',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pengusulan', to='organisasi.unitkerja'),
            ),
        ]),
    ]
