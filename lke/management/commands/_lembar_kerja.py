"""What ekspor_lke and impor_lke share: the plan, the LKE and the acting Admin."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from lke.selectors import lke_tahun
from organisasi.models import Peran, UnitKerja
from rencana_aksi.models import RencanaKerja


def sasaran(kode, tahun):
    """(plan, LKE) of a unit and year. A unit without a plan that year gets an unsaved one:
    its typed answers only, as the selectors do."""
    unit = UnitKerja.objects.filter(kode=kode).first()
    if unit is None:
        raise CommandError(f"Unit kerja {kode} tidak ditemukan.")
    lke = lke_tahun(tahun)
    if lke is None:
        raise CommandError(f"LKE tahun {tahun} belum ada (python manage.py siapkan_lke --tahun {tahun}).")
    rk = (RencanaKerja.objects.filter(unit=unit, tahun=tahun).select_related("unit").first()
          or RencanaKerja(unit=unit, tahun=tahun))
    return rk, lke


def admin():
    """The command acts as the first active superuser, else the first active Admin."""
    User = get_user_model()  # noqa: N806
    user = (User.objects.filter(is_active=True, is_superuser=True).order_by("pk").first()
            or User.objects.filter(is_active=True, keanggotaan__peran=Peran.ADMIN,
                                   keanggotaan__unit__isnull=True).order_by("pk").first())
    if user is None:
        raise CommandError("Tidak ada superuser atau Admin aktif untuk mencatat perubahan.")
    return user
