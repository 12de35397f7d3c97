from django.apps import AppConfig
from django.utils.translation import gettext as _


class IndicatorsConfig(AppConfig):
    name = "hienthuc.indicators"
    label = "indicators"

    def ready(self):
        from hienthuc.imports import importers
        from hienthuc.indicators import importing, tallies
        from hienthuc.orgs import counts

        importers.register(importing.IMPORTER)

        counts.register(
            _("chỉ tiêu và báo cáo định kỳ"),
            follow_move=tallies.move_subtree,
            rebuild=tallies.rebuild,
            differences=tallies.differences,
        )

        from hienthuc.indicators import duties
        from hienthuc.orgs import succession

        # The duty to report a form passes to the successor from the effective date; the ceased
        # unit keeps it for the periods before, so past completeness stays as it was.
        succession.register(
            succession.Carrier(
                "report-duties", _("Mẫu báo cáo định kỳ phải nộp"), duties.count, duties.carry, duties.undo
            )
        )

        from hienthuc.orgs import panels

        # Loaded after the page: the task figures above it never wait for the indicators.
        panels.register("indicators", title=_("Chỉ tiêu và báo cáo định kỳ"), order=20, url_name="unit_panels")
