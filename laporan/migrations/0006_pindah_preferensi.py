"""PreferensiPengguna now belongs to organisasi (state only: its table and rows stay)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('organisasi', '0001_awal'),
        ('laporan', '0005_tabel_tembolok'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(
                name='PreferensiPengguna',
            ),
        ]),
    ]
