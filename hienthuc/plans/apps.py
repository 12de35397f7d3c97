from django.apps import AppConfig
from django.utils.translation import gettext as _


class PlansConfig(AppConfig):
    name = "hienthuc.plans"
    label = "plans"

    def ready(self):
        from hienthuc.imports import importers
        from hienthuc.plans import importing

        importers.register(importing.IMPORTER)

        from hienthuc.documents import changes
        from hienthuc.orgs import counts
        from hienthuc.plans import tallies

        changes.register(tallies.recounting_answer)

        counts.register(
            _("nhiệm vụ và ban hành kế hoạch"),
            follow_move=tallies.move_subtree,
            rebuild=tallies.rebuild,
            differences=tallies.differences,
        )

        from hienthuc.orgs import succession
        from hienthuc.plans.models import PlanRequirement, Task

        # Open tasks and plans still owed go to a ceasing unit's successor; done ones stay. A
        # handed task keeps where it was led before (TaskHandOver) for the past days' figures.
        succession.register(
            succession.unit_field_carrier(
                tallies.TASKS_CARRIER,
                _("Nhiệm vụ chưa hoàn thành do đơn vị chủ trì"),
                lambda: Task.objects.filter(completed_on__isnull=True),
                "lead_unit",
                path_field="lead_path",
                keep_history=True,
            )
        )
        succession.register(
            succession.unit_field_carrier(
                tallies.REQUIREMENTS_CARRIER,
                _("Kế hoạch thực hiện phải ban hành mà chưa ban hành"),
                PlanRequirement.objects.unmet,
                "unit",
                unique_with="plan",
                keep_history=True,
            )
        )

        from hienthuc.orgs import panels
        from hienthuc.plans.panel import render_task_panel

        panels.register(
            "tasks",
            title=_("Nhiệm vụ và ban hành kế hoạch"),
            order=10,
            url_name="unit_task_panel",
            render=render_task_panel,
        )
