from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "hienthuc.plans"
    label = "plans"

    def ready(self):
        from django.urls import reverse

        from hienthuc.imports import background
        from hienthuc.plans import importing
        from hienthuc.plans.models import Plan

        background.register(
            "plan-tasks",
            apply=lambda data, *, acting_user, progress, key: importing.do_import_tasks(
                data, acting_user=acting_user, plan=Plan.objects.get(pk=int(key)), progress=progress
            ),
            summary=lambda result: f"Đã nhập {len(result.tasks)} nhiệm vụ.",
            done_url=lambda key: reverse("plan_detail", args=[int(key)]),
        )

        from hienthuc.orgs import counts
        from hienthuc.plans import tallies

        counts.register(
            "nhiệm vụ và ban hành kế hoạch",
            follow_move=tallies.move_subtree,
            rebuild=tallies.rebuild,
            differences=tallies.differences,
        )

        from hienthuc.orgs import panels
        from hienthuc.plans.views import render_task_panel

        panels.register(
            "tasks",
            title="Nhiệm vụ và ban hành kế hoạch",
            order=10,
            url_name="unit_task_panel",
            render=render_task_panel,
        )
