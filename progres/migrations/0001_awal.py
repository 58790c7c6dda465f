"""The reminder log moves here from laporan: its table and rows stay (db_table), its
content type follows."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _pindah(apps, asal, tujuan):
    ct = apps.get_model("contenttypes", "ContentType")
    if ct.objects.filter(app_label=asal, model="pengingatterkirim").exists():
        ct.objects.filter(app_label=tujuan, model="pengingatterkirim").delete()
        ct.objects.filter(app_label=asal, model="pengingatterkirim").update(app_label=tujuan)


def pindahkan_jenis(apps, schema_editor):
    _pindah(apps, "laporan", "progres")


def kembalikan_jenis(apps, schema_editor):
    _pindah(apps, "progres", "laporan")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('laporan', '0006_pindah_preferensi'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='PengingatTerkirim',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kunci', models.CharField(max_length=100)),
                    ('tanggal', models.DateField()),
                    ('dikirim_pada', models.DateTimeField(auto_now_add=True)),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'pengingat terkirim',
                    'verbose_name_plural': 'pengingat terkirim',
                    'db_table': 'laporan_pengingatterkirim',
                    'constraints': [models.UniqueConstraint(fields=('user', 'kunci', 'tanggal'), name='pengingat_sekali_sehari')],
                },
            ),
        ]),
        migrations.RunPython(pindahkan_jenis, kembalikan_jenis),
    ]
