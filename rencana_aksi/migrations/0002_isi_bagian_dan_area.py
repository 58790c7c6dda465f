from django.db import migrations

BAGIAN = [("A", "Pemenuhan"), ("B", "Reform")]
AREA = [
    ("I", "Manajemen Perubahan"),
    ("II", "Penataan Tatalaksana"),
    ("III", "Penataan Sistem Manajemen SDM Aparatur"),
    ("IV", "Penguatan Akuntabilitas"),
    ("V", "Penguatan Pengawasan"),
    ("VI", "Peningkatan Kualitas Pelayanan Publik"),
]


def isi(apps, schema_editor):
    Bagian = apps.get_model("rencana_aksi", "Bagian")
    Area = apps.get_model("rencana_aksi", "Area")
    for kode, nama in BAGIAN:
        Bagian.objects.update_or_create(kode=kode, defaults={"nama": nama})
    for i, (kode, nama) in enumerate(AREA, start=1):
        Area.objects.update_or_create(kode=kode, defaults={"nama": nama, "urutan": i})


class Migration(migrations.Migration):
    dependencies = [("rencana_aksi", "0001_awal")]
    operations = [migrations.RunPython(isi, migrations.RunPython.noop)]
