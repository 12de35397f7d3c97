from django.apps import AppConfig
from django.utils.translation import gettext as _


class IncomingConfig(AppConfig):
    name = "hienthuc.incoming"
    label = "incoming"

    def ready(self):
        from hienthuc.orgs import panels

        # Loaded after the page (htmx), like the indicators.
        panels.register("incoming", title=_("Văn bản đến"), order=15, url_name="unit_incoming_panel")

        from hienthuc.incoming.reminders import send_processing_reminders
        from hienthuc.plans.reminders import register_daily

        register_daily(send_processing_reminders)
