from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "hienthuc.backups"
    label = "backups"
