from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "hienthuc.documents"
    label = "documents"
