from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "hienthuc.orgs"
    label = "orgs"
