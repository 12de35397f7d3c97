from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "hienthuc.committees"
    label = "committees"
