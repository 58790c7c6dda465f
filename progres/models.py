"""The log that keeps a reminder from being sent twice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PengingatTerkirim(models.Model):
    """One reminder about one item (or one digest) to one user on one day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kunci = models.CharField(max_length=100)
    tanggal = models.DateField()
    dikirim_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "laporan_pengingatterkirim"  # the table of the previous version, kept
        verbose_name = _("pengingat terkirim")
        verbose_name_plural = _("pengingat terkirim")
        constraints = [models.UniqueConstraint(fields=["user", "kunci", "tanggal"],
                                               name="pengingat_sekali_sehari")]

    def __str__(self):
        return f"{self.user} {self.kunci} {self.tanggal}"
