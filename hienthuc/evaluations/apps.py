from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "hienthuc.evaluations"
    label = "evaluations"

    def ready(self):
        from django.utils.translation import gettext as _

        from hienthuc.orgs import panels

        panels.register("evaluations", title=_("Đánh giá, xếp loại"), order=19, url_name="unit_evaluations_panel")
