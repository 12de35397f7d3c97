from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "hienthuc.meetings"
    label = "meetings"

    def ready(self):
        from hienthuc.imports import importers
        from hienthuc.meetings import importing

        importers.register(importing.IMPORTER)
