from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "hienthuc.orgs"
    label = "orgs"

    def ready(self):
        from django.urls import reverse

        from hienthuc.imports import background
        from hienthuc.orgs import importing

        background.register(
            "tree",
            apply=lambda data, *, acting_user, progress, key: importing.do_import_tree(
                data, acting_user=acting_user, progress=progress
            ),
            summary=lambda plan: (
                f"Đã nhập {len(plan.creates)} đơn vị mới, cập nhật {len(plan.updates)} đơn vị, "
                f"{plan.unchanged} đơn vị không đổi."
            ),
            done_url=lambda key: reverse("tree"),
        )
