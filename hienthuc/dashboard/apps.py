from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "hienthuc.dashboard"
    label = "dashboard"
