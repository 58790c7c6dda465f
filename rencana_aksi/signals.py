"""Sent when a plan has been imported or copied (its whole tree written): the LKE links it.
Plan versions are bumped explicitly by the services (rencana_aksi.models.tandai_baris)."""

from django.dispatch import Signal

rencana_dibuat = Signal()
