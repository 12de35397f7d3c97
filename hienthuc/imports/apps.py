from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "hienthuc.imports"
    label = "imports"
