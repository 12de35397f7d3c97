from django.core.management.base import BaseCommand
from django.db import transaction

from hienthuc.orgs import aggregates, counts


class Command(BaseCommand):
    help = "Recount every stored figure (units and people, and every kind of count registered per unit) from the rows."

    def handle(self, *args, **options):
        with transaction.atomic():
            changed = aggregates.rebuild()
            counts.rebuild_all()
        kinds = ", ".join(c.name for c in counts.registered())
        self.stdout.write(f"Đã đếm lại; {changed} đơn vị có số đơn vị, số người được sửa; đã đếm lại: {kinds}.")
