from django.apps import AppConfig
from django.utils.translation import gettext as _


class CommitteesConfig(AppConfig):
    name = "hienthuc.committees"
    label = "committees"

    def ready(self):
        from hienthuc.committees import importing
        from hienthuc.imports import importers

        importers.register(importing.IMPORTER)

        from hienthuc.committees import succession as seats
        from hienthuc.orgs import succession

        succession.register(
            succession.Carrier(
                "seats", _("Cấp ủy viên đương nhiệm (kết thúc cùng đơn vị)"), seats.count, seats.end, seats.undo
            )
        )
