from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LkeConfig(AppConfig):
    name = "lke"
    verbose_name = _("LKE Zona Integritas")

    def ready(self):
        from rencana_aksi.signals import rencana_dibuat

        rencana_dibuat.connect(_tautkan, dispatch_uid="lke_tautkan_rencana")


def _tautkan(sender, rencana_kerja, **kwargs):
    from .services import tautkan_rencana

    tautkan_rencana(rencana_kerja)
