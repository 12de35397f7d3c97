from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UrgingConfig(AppConfig):
    name = "hienthuc.urging"
    label = "urging"
    verbose_name = _("Đôn đốc")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from hienthuc.plans.models import ExplanationRequest
        from hienthuc.plans.reminders import register_daily
        from hienthuc.urging import actions

        # The daily reminders job sends the urgings too; an explanation asked or answered is
        # told at once, whichever path (page, API, command) saved it.
        register_daily(actions.send_urgings)
        post_save.connect(actions.notify_explanation, sender=ExplanationRequest, dispatch_uid="urging-explanation")
