"""The target-month parser, on every distinct target text of the seed and more shapes."""

import pytest

from rencana_aksi.bulan import baca_target_waktu

Y = 2024


def m(*months, year=Y):
    return [(year, x) for x in months]


SEED_CASES = [
    # every distinct target_waktu text of the seed plan
    ("Februari 2024", m(2), False, True),
    ("Februari – Maret 2024", m(2, 3), False, True),
    ("Januari – Maret 2024", m(1, 2, 3), False, True),
    ("Januari – Desember 2024", m(*range(1, 13)), False, True),
    ("Januari 2024", m(1), False, True),
    ("Maret 2024", m(3), False, True),
    ("April 2024", m(4), False, True),
    ("Mei 2024", m(5), False, True),
    ("Juni 2024", m(6), False, True),
    ("Desember 2024", m(12), False, True),
    ("Juli, Desember 2024", m(7, 12), False, True),
    ("Maret, Juni, September, Desember 2024", m(3, 6, 9, 12), False, True),
    ("November – Desember 2023, Januari 2024", [(2023, 11), (2023, 12), (2024, 1)], False, True),
    ("Setiap bulan", m(*range(1, 13)), False, True),
    ("Mei 2024, setiap ada pertemuan", m(5), True, True),
    ("Setiap ada undanagan workshop/ bimtek", [], True, True),
    ("Setia pada pengadaan diklat", [], True, True),
    ("Sesuai surat edaran Pemda", [], False, False),
    ("Dokumen RTP direvisi sesuai petunjuk auditor.", [], False, False),
]

MORE_CASES = [
    ("Setiap ada undangan workshop/bimtek", [], True, True),
    ("Februari - Maret 2024", m(2, 3), False, True),
    ("Februari s/d April 2024", m(2, 3, 4), False, True),
    ("Januari sampai dengan Maret 2024", m(1, 2, 3), False, True),
    ("November – Februari 2025", [(2024, 11), (2024, 12), (2025, 1), (2025, 2)], False, True),
    ("November 2023 – Januari 2024", [(2023, 11), (2023, 12), (2024, 1)], False, True),
    ("Maret", m(3), False, True),  # no year: the plan's year
    ("Juli dan Desember 2024", m(7, 12), False, True),
    ("Agt 2024", m(8), False, True),
    ("Nopember 2024", m(11), False, True),
    ("  desember   2024. ", m(12), False, True),
    ("Setiap triwulan", m(3, 6, 9, 12), False, True),
    ("Setiap bulan 2025", m(*range(1, 13), year=2025), False, True),
    ("", [], False, False),
    ("Juli 2024, entah kapan", [], False, False),  # a part unreadable: nothing guessed
    ("Bulan depan", [], False, False),
    ("Febuari 2024", [], False, False),  # misspelt month is not guessed
]


@pytest.mark.parametrize("text,bulan,per_kejadian,terbaca", SEED_CASES + MORE_CASES)
def test_baca_target_waktu(text, bulan, per_kejadian, terbaca):
    hasil = baca_target_waktu(text, Y)
    assert hasil.bulan == bulan
    assert hasil.per_kejadian is per_kejadian
    assert hasil.terbaca is terbaca


def test_every_seed_target_text_is_covered(rk_dinsos):
    from rencana_aksi.models import RencanaAksi

    texts = set(RencanaAksi.objects.milik_unit(rk_dinsos.unit).values_list("target_waktu", flat=True))
    assert texts <= {c[0] for c in SEED_CASES}


def test_iso_and_dates():
    hasil = baca_target_waktu("November – Desember 2023, Januari 2024", Y)
    assert hasil.bulan_iso == ["2023-11", "2023-12", "2024-01"]
    assert [d.day for d in hasil.bulan_date] == [1, 1, 1]


def test_rentang_bulan_compacts_runs():
    from datetime import date

    from rencana_aksi.bulan import rentang_bulan

    assert rentang_bulan([date(2024, m, 1) for m in range(1, 13)]) == ["Jan–Des 2024"]
    assert rentang_bulan([date(2024, 2, 1), date(2024, 3, 1)]) == ["Feb 2024", "Mar 2024"]
    assert rentang_bulan([date(2023, 11, 1), date(2023, 12, 1), date(2024, 1, 1),
                          date(2024, 6, 1)]) == ["Nov 2023–Jan 2024", "Jun 2024"]
    assert rentang_bulan([]) == []
