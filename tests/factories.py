"""Small hand-built plans for tests that need something other than the seed."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from organisasi.models import Keanggotaan, Peran, UnitKerja
from rencana_aksi.models import (
    Area,
    AreaRencana,
    Bagian,
    BuktiDukung,
    Indikator,
    Komponen,
    RencanaAksi,
    RencanaKerja,
    TargetBulan,
)


class UnitKerjaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitKerja

    kode = factory.Sequence(lambda n: f"unit-{n}")
    nama = factory.Sequence(lambda n: f"Unit Kerja {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    first_name = factory.Sequence(lambda n: f"Pengguna {n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "demo12345")
        if create:
            self.save(update_fields=["password"])


class KeanggotaanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Keanggotaan

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitKerjaFactory)
    peran = Peran.ANGGOTA


class RencanaKerjaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RencanaKerja

    unit = factory.SubFactory(UnitKerjaFactory)
    tahun = 2024


class AreaRencanaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaRencana

    rencana_kerja = factory.SubFactory(RencanaKerjaFactory)
    bagian = factory.LazyFunction(lambda: Bagian.objects.get(kode="A"))
    area = factory.LazyFunction(lambda: Area.objects.get(kode="I"))
    judul = "MANAJEMEN PERUBAHAN"


class KomponenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Komponen

    area_rencana = factory.SubFactory(AreaRencanaFactory)
    nomor = factory.Sequence(lambda n: n + 1)
    nama = factory.Sequence(lambda n: f"Komponen {n}")


class IndikatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indikator

    komponen = factory.SubFactory(KomponenFactory)
    urutan = factory.Sequence(lambda n: n + 1)
    teks = factory.Sequence(lambda n: f"Indikator {n}")


class RencanaAksiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RencanaAksi
        skip_postgeneration_save = True

    indikator = factory.SubFactory(IndikatorFactory)
    urutan = factory.Sequence(lambda n: n + 1)
    teks = factory.Sequence(lambda n: f"Rencana aksi {n}")
    target_waktu = "Maret 2024"

    @factory.post_generation
    def bulan(self, create, extracted, **kwargs):
        """bulan=[3, 4]: target months of the plan year (default: March)."""
        for m in extracted if extracted is not None else [3]:
            TargetBulan.objects.create(rencana_aksi=self, bulan=date(2024, m, 1))


class BuktiDukungFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuktiDukung

    rencana_aksi = factory.SubFactory(RencanaAksiFactory)
    urutan = factory.Sequence(lambda n: n + 1)
    nama = factory.Sequence(lambda n: f"Bukti {n}")
