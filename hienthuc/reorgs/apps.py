from django.apps import AppConfig


class ReorgsConfig(AppConfig):
    name = "hienthuc.reorgs"
    label = "reorgs"
