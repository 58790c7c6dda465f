from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgresConfig(AppConfig):
    name = "progres"
    verbose_name = _("Kemajuan")
