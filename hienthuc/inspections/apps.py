from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "hienthuc.inspections"
    label = "inspections"

    def ready(self):
        from django.utils.translation import gettext as _

        from hienthuc.imports import importers
        from hienthuc.inspections import importing

        importers.register(importing.IMPORTER)

        from hienthuc.orgs import panels

        panels.register("inspections", title=_("Kiểm tra, giám sát"), order=18, url_name="unit_inspections_panel")
