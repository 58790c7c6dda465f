"""Where evidence, logos, reports and task results are stored."""

from django.core.files.storage import storages


def storage_bukti():
    return storages["bukti"]  # outside the web root, served only through views
