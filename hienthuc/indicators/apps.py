from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "hienthuc.indicators"
    label = "indicators"
