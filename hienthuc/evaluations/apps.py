from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "hienthuc.evaluations"
    label = "evaluations"
