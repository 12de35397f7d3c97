from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hienthuc.api"
    label = "api"
