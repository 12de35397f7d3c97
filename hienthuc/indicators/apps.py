from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "hienthuc.indicators"
    label = "indicators"

    def ready(self):
        from hienthuc.indicators import tallies
        from hienthuc.orgs import counts

        counts.register(
            "chỉ tiêu và báo cáo định kỳ",
            follow_move=tallies.move_subtree,
            rebuild=tallies.rebuild,
            differences=tallies.differences,
        )
