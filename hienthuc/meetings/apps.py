from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "hienthuc.meetings"
    label = "meetings"

    def ready(self):
        from hienthuc.imports import importers
        from hienthuc.meetings import importing
        from hienthuc.meetings.reminders import send_draft_reminders
        from hienthuc.plans.reminders import register_daily

        importers.register(importing.IMPORTER)
        register_daily(send_draft_reminders)

        from django.utils.translation import gettext as _

        from hienthuc.orgs import panels

        panels.register("meetings", title=_("Hội nghị, học tập"), order=17, url_name="unit_meetings_panel")
