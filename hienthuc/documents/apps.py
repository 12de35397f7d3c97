from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "hienthuc.documents"
    label = "documents"

    def ready(self):
        from hienthuc.documents import importing
        from hienthuc.imports import importers

        importers.register(importing.IMPORTER)
