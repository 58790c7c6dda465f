"""Master data of the plan tree: the parts and the six canonical areas (PermenPANRB 90/2021).
Used by the data migration and by `siapkan_demo` (which restores it after a flush)."""

BAGIAN = [("A", "Pemenuhan"), ("B", "Reform")]
AREA = [
    ("I", "Manajemen Perubahan"),
    ("II", "Penataan Tatalaksana"),
    ("III", "Penataan Sistem Manajemen SDM Aparatur"),
    ("IV", "Penguatan Akuntabilitas"),
    ("V", "Penguatan Pengawasan"),
    ("VI", "Peningkatan Kualitas Pelayanan Publik"),
]


def pastikan_master(Bagian, Area):  # noqa: N803 - model classes (historical in migrations)
    for kode, nama in BAGIAN:
        Bagian.objects.update_or_create(kode=kode, defaults={"nama": nama})
    for i, (kode, nama) in enumerate(AREA, start=1):
        Area.objects.update_or_create(kode=kode, defaults={"nama": nama, "urutan": i})
