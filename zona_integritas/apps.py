"""Indonesian names in the Django admin for third-party apps whose own names are English
(Django's documented way: a subclass of the app's config, named in INSTALLED_APPS)."""

from axes import apps as axes_apps
from django.utils.translation import gettext_lazy as _
from django_tasks_db import apps as tasks_db_apps


class AxesConfig(axes_apps.AppConfig):
    default = False
    verbose_name = _("Keamanan masuk")


class AntreanProsesConfig(tasks_db_apps.TasksAppConfig):
    default = False
    verbose_name = _("Antrean proses latar")

    def ready(self):
        super().ready()
        # The model's English name is fixed in the package; only the admin reads it here
        # (migrations read Meta's original options, so this makes no migration).
        meta = self.get_model("DBTaskResult")._meta
        meta.verbose_name = _("entri antrean")
        meta.verbose_name_plural = _("entri antrean")
