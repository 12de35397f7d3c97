from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "hienthuc.documents"
    label = "documents"

    def ready(self):
        from django.urls import reverse

        from hienthuc.documents import importing
        from hienthuc.imports import background

        background.register(
            "register",
            apply=lambda data, *, acting_user, progress, key: importing.do_import_register(
                data, acting_user=acting_user, progress=progress
            ),
            summary=lambda plan: f"Đã vào sổ {len(plan.creates)} văn bản; bỏ qua {plan.skipped} văn bản đã có.",
            done_url=lambda key: reverse("document_register"),
        )
