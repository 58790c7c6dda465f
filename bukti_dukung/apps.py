from django.apps import AppConfig


class BuktiDukungConfig(AppConfig):
    name = "bukti_dukung"
