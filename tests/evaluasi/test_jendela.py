"""A window holds its days whole, in Asia/Jakarta: from 00:00 of `mulai` to 24:00 of
`selesai`, tested at the exact edges."""

from datetime import UTC, date, datetime

import pytest

from evaluasi import jendela
from evaluasi.jendela import ZONA
from evaluasi.models import Langkah, PerpanjanganJendela

from .conftest import buat_putaran


def wib(*a):
    return datetime(*a, tzinfo=ZONA)


@pytest.fixture
def ps(dinsos):
    # mandiri 1-10 March 2024, evaluasi 12-21 March, ...
    return buat_putaran(units=[dinsos], mulai=date(2024, 3, 1)).peserta.get()


@pytest.mark.django_db
@pytest.mark.parametrize(("saat", "terbuka"), [
    (wib(2024, 2, 29, 23, 59, 59), False),
    (wib(2024, 3, 1, 0, 0, 0), True),
    (wib(2024, 3, 10, 23, 59, 59), True),
    (wib(2024, 3, 11, 0, 0, 0), False),
    # the same instants written in UTC: Jakarta is UTC+7
    (datetime(2024, 2, 29, 16, 59, 59, tzinfo=UTC), False),
    (datetime(2024, 2, 29, 17, 0, 0, tzinfo=UTC), True),
    (datetime(2024, 3, 10, 16, 59, 59, tzinfo=UTC), True),
    (datetime(2024, 3, 10, 17, 0, 0, tzinfo=UTC), False),
])
def test_tepi_jendela(ps, saat, terbuka):
    assert jendela.langkah_terbuka(ps, Langkah.MANDIRI, saat) is terbuka


@pytest.mark.django_db
def test_keadaan_sebelum_selama_sesudah(ps):
    assert jendela.keadaan_langkah(ps, Langkah.EVALUASI, wib(2024, 3, 11, 23, 59, 59)) == "belum"
    assert jendela.keadaan_langkah(ps, Langkah.EVALUASI, wib(2024, 3, 12)) == "terbuka"
    assert jendela.keadaan_langkah(ps, Langkah.EVALUASI, wib(2024, 3, 22)) == "lewat"
    assert jendela.langkah_kini(ps, wib(2024, 3, 5, 12)) == [Langkah.MANDIRI]
    assert jendela.langkah_kini(ps, wib(2024, 3, 11, 12)) == []


@pytest.mark.django_db
def test_perpanjangan_menggeser_akhir_satu_unit(ps, dinkes):
    lain = ps.putaran.peserta.create(unit=dinkes)
    PerpanjanganJendela.objects.create(peserta=ps, langkah=Langkah.MANDIRI,
                                       selesai=date(2024, 3, 15), alasan="banjir")
    ps.refresh_from_db()
    assert jendela.langkah_terbuka(ps, Langkah.MANDIRI, wib(2024, 3, 15, 23, 59, 59))
    assert not jendela.langkah_terbuka(ps, Langkah.MANDIRI, wib(2024, 3, 16, 0, 0, 0))
    assert not jendela.langkah_terbuka(lain, Langkah.MANDIRI, wib(2024, 3, 11, 0, 0, 0))
    assert [j["diperpanjang"] for j in jendela.jadwal(ps)] == [True, False, False, False]
    # the other steps keep the round's windows
    assert jendela.rentang(ps, Langkah.EVALUASI) == (date(2024, 3, 12), date(2024, 3, 21))


def test_satu_hari():
    d = date(2024, 12, 31)
    assert jendela.keadaan(d, d, wib(2024, 12, 31, 0, 0, 0)) == "terbuka"
    assert jendela.keadaan(d, d, wib(2024, 12, 31, 23, 59, 59)) == "terbuka"
    assert jendela.keadaan(d, d, wib(2025, 1, 1, 0, 0, 0)) == "lewat"
    assert jendela.keadaan(d, d, wib(2024, 12, 30, 23, 59, 59)) == "belum"
