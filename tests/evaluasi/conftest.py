from datetime import timedelta

import pytest
from django.utils import timezone

from evaluasi.models import Langkah, PenugasanTPI, PesertaEvaluasi, PutaranEvaluasi


def buat_putaran(tahun=2024, units=(), tpi=None, mulai=None, **kw):
    """A round whose self-assessment window holds today (Asia/Jakarta) unless `mulai` (the
    first day) is given; each step lasts 10 days, the next starts the day after. `tpi`
    (a user) is assigned, as ketua, to every unit."""
    mulai = mulai or timezone.localdate() - timedelta(days=5)
    data = {"tahun": tahun, "nama": f"Evaluasi ZI {tahun}"}
    for i, lg in enumerate(Langkah):
        data[f"{lg}_mulai"] = mulai + timedelta(days=11 * i)
        data[f"{lg}_selesai"] = mulai + timedelta(days=11 * i + 9)
    data.update(kw)
    putaran = PutaranEvaluasi.objects.create(**data)
    for u in units:
        p = PesertaEvaluasi.objects.create(putaran=putaran, unit=u)
        if tpi is not None:
            PenugasanTPI.objects.create(peserta=p, user=tpi, ketua=True)
    return putaran


@pytest.fixture
def putaran(dinsos, dinkes, users):
    """The 2024 round: Dinas Sosial evaluated by `tpi`; Dinas Kesehatan with no TPI."""
    p = buat_putaran(units=[dinsos], tpi=users["tpi"])
    PesertaEvaluasi.objects.create(putaran=p, unit=dinkes)
    return p


@pytest.fixture
def ps_dinsos(putaran, dinsos):
    return putaran.peserta.get(unit=dinsos)


@pytest.fixture
def ps_dinkes(putaran, dinkes):
    return putaran.peserta.get(unit=dinkes)
