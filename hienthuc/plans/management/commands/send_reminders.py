import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from hienthuc.plans.reminders import schedule_next, send_all_due


class Command(BaseCommand):
    help = "Send today's task reminders now (--schedule: queue the daily background run instead)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD, for a past or test day")
        parser.add_argument("--schedule", action="store_true")

    def handle(self, *args, date=None, schedule=False, **options):
        if schedule:
            queued = schedule_next()
            self.stdout.write("Đã hẹn giờ gửi nhắc việc hằng ngày." if queued else "Lịch gửi nhắc việc đã có sẵn.")
            return
        day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        self.stdout.write(f"Đã gửi {send_all_due(day)} nhắc việc cho ngày {day:%d/%m/%Y}.")
