from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluasiConfig(AppConfig):
    name = "evaluasi"
    verbose_name = _("Evaluasi TPI")

    def ready(self):
        # the round's windows decide when the LKE page takes the unit's and the TPI's answers
        from lke import jendela as lke_jendela

        from .jendela import aturan_lke, penanda_lke

        lke_jendela.daftarkan(aturan_lke)
        lke_jendela.daftarkan_penanda(penanda_lke)
