from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hienthuc.audit"
    label = "audit"
