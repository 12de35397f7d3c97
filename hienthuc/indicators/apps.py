from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "hienthuc.indicators"
    label = "indicators"

    def ready(self):
        from django.urls import reverse

        from hienthuc.imports import background
        from hienthuc.indicators import importing, tallies
        from hienthuc.orgs import counts

        background.register(
            "values",
            apply=importing.apply_in_background,
            summary=lambda plan: plan.summary,
            done_url=lambda key: reverse("indicator_list"),
        )

        counts.register(
            "chỉ tiêu và báo cáo định kỳ",
            follow_move=tallies.move_subtree,
            rebuild=tallies.rebuild,
            differences=tallies.differences,
        )

        from hienthuc.orgs import panels

        # Loaded after the page: the task figures above it never wait for the indicators.
        panels.register("indicators", title="Chỉ tiêu và báo cáo định kỳ", order=20, url_name="unit_panels")
