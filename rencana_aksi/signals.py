"""Any saved or deleted row that can move a progress figure bumps its plan's
`data_versi` (cached dashboard figures are keyed by it). Bulk writes that send no
signals call `tandai_berubah` themselves."""

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from .models import tandai_berubah

# Sent when a plan has been imported or copied (its whole tree written): the LKE links it.
rencana_dibuat = Signal()

# model label -> (lookup from RencanaKerja, attribute of the row holding the value)
JALUR = {
    "rencana_aksi.AreaRencana": ("pk", "rencana_kerja_id"),
    "rencana_aksi.Komponen": ("areas", "area_rencana_id"),
    "rencana_aksi.Indikator": ("areas__komponen", "komponen_id"),
    "rencana_aksi.RencanaAksi": ("areas__komponen__indikator", "indikator_id"),
    "rencana_aksi.TargetBulan": ("areas__komponen__indikator__rencana_aksi", "rencana_aksi_id"),
    "rencana_aksi.BuktiDukung": ("areas__komponen__indikator__rencana_aksi", "rencana_aksi_id"),
    "rencana_aksi.Isian": ("areas__komponen__indikator", "indikator_id"),
    "bukti_dukung.Pengajuan": ("areas__komponen__indikator__rencana_aksi__bukti_dukung",
                               "bukti_dukung_id"),
    "bukti_dukung.Berkas": ("areas__komponen__indikator__rencana_aksi__bukti_dukung__pengajuan",
                            "pengajuan_id"),
    "bukti_dukung.NilaiIsian": ("areas__komponen__indikator__isian", "isian_id"),
}


def _ubah(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    lookup, attr = JALUR[sender._meta.label]
    value = getattr(instance, attr, None)
    if value is not None:
        tandai_berubah(**{lookup: value})


def hubungkan():
    for label in JALUR:
        model = apps.get_model(label)
        post_save.connect(_ubah, sender=model, dispatch_uid=f"data_versi_save_{label}")
        post_delete.connect(_ubah, sender=model, dispatch_uid=f"data_versi_delete_{label}")
