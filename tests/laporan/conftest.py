import pytest
from django.contrib.auth import get_user_model

from organisasi.models import Keanggotaan, Peran
from tests.conftest import PASSWORD


@pytest.fixture
def kepala(dinkes):
    """A Kepala Dinas for Dinas Kesehatan (the demo data has one for Dinas Sosial only)."""
    user = get_user_model().objects.create_user("kadinkes", first_name="Kepala",
                                                last_name="Dinas Kesehatan", password=PASSWORD)
    Keanggotaan.objects.create(user=user, unit=dinkes, peran=Peran.KEPALA_DINAS)
    return user
