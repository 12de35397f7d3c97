from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "hienthuc.orgs"
    label = "orgs"

    def ready(self):
        from hienthuc.imports import importers
        from hienthuc.orgs import importing

        importers.register(importing.IMPORTER)
