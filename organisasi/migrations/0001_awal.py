"""Units, memberships and personal settings move here from rencana_aksi and laporan.
Their tables stay where they are (db_table): only Django's picture of them moves, and
their content types follow (admin log, permissions)."""

import django.db.models.deletion
import organisasi.models
import umum.penyimpanan
from django.conf import settings
from django.db import migrations, models


PINDAH = [("rencana_aksi", "unitkerja"), ("rencana_aksi", "keanggotaan"),
          ("laporan", "preferensipengguna")]


def _pindah(apps, dari, ke):
    ct = apps.get_model("contenttypes", "ContentType")
    for app, model in PINDAH:
        asal, tujuan = (app, "organisasi") if dari is None else ("organisasi", app)
        if ct.objects.filter(app_label=asal, model=model).exists():
            ct.objects.filter(app_label=tujuan, model=model).delete()
            ct.objects.filter(app_label=asal, model=model).update(app_label=tujuan)


def pindahkan_jenis(apps, schema_editor):
    _pindah(apps, None, "organisasi")


def kembalikan_jenis(apps, schema_editor):
    _pindah(apps, "organisasi", None)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('laporan', '0005_tabel_tembolok'),
        ('rencana_aksi', '0008_logo_unit'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='UnitKerja',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kode', models.SlugField(max_length=60, unique=True, verbose_name='kode')),
                    ('nama', models.CharField(max_length=200, verbose_name='nama')),
                    ('is_active', models.BooleanField(default=True, verbose_name='aktif')),
                    ('halaman_publik', models.BooleanField(default=False, help_text='Bila aktif, persentase kemajuan per area dan informasi pencanangan dapat dilihat tanpa login (tanpa nama orang, berkas atau dokumen).', verbose_name='halaman kemajuan publik')),
                    ('tanggal_pencanangan', models.DateField(blank=True, null=True, verbose_name='tanggal pencanangan')),
                    ('keterangan_pencanangan', models.TextField(blank=True, verbose_name='keterangan pencanangan')),
                    ('logo', models.FileField(blank=True, help_text='PNG atau JPG untuk sampul laporan.', max_length=200, storage=umum.penyimpanan.storage_bukti, upload_to=organisasi.models.path_logo, verbose_name='logo')),
                    ('unggah_hanya_pic', models.BooleanField(default=False, help_text='Bila aktif, Anggota Tim ZI hanya dapat mengunggah bukti untuk rencana aksi yang menjadi tanggung jawabnya.', verbose_name='anggota hanya mengunggah untuk tugasnya')),
                ],
                options={
                    'verbose_name': 'unit kerja',
                    'verbose_name_plural': 'unit kerja',
                    'db_table': 'rencana_aksi_unitkerja',
                    'ordering': ['nama'],
                },
            ),
            migrations.CreateModel(
                name='PreferensiPengguna',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('terima_pengingat', models.BooleanField(default=True, verbose_name='terima pengingat lewat e-mail')),
                    ('nip', models.CharField(blank=True, help_text='Nomor Induk Pegawai, dicetak pada blok tanda tangan laporan.', max_length=30, verbose_name='NIP')),
                    ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='preferensi', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'preferensi pengguna',
                    'verbose_name_plural': 'preferensi pengguna',
                    'db_table': 'laporan_preferensipengguna',
                },
            ),
            migrations.CreateModel(
                name='Keanggotaan',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('peran', models.CharField(choices=[('anggota', 'Anggota Tim ZI'), ('sekretaris', 'Sekretaris Tim ZI'), ('kepala_dinas', 'Kepala Dinas'), ('tpi', 'Tim Penilai Internal (TPI)'), ('admin', 'Admin')], max_length=20, verbose_name='peran')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='keanggotaan', to=settings.AUTH_USER_MODEL)),
                    ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='keanggotaan', to='organisasi.unitkerja')),
                ],
                options={
                    'verbose_name': 'keanggotaan',
                    'verbose_name_plural': 'keanggotaan',
                    'db_table': 'rencana_aksi_keanggotaan',
                    'constraints': [models.UniqueConstraint(fields=('user', 'unit', 'peran'), name='keanggotaan_unik'), models.CheckConstraint(condition=models.Q(('peran', 'admin'), ('unit__isnull', False), _connector='OR'), name='keanggotaan_unit_wajib_kecuali_admin')],
                },
            ),
        ]),
        migrations.RunPython(pindahkan_jenis, kembalikan_jenis),
    ]
