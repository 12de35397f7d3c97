from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "hienthuc.plans"
    label = "plans"
