from django.core.management.base import BaseCommand
from django.db import transaction

from hienthuc.indicators import tallies as indicator_tallies
from hienthuc.orgs import aggregates
from hienthuc.plans import tallies


class Command(BaseCommand):
    help = "Recount every stored figure (units, people, task, coverage, value and report tallies) from the rows."

    def handle(self, *args, **options):
        with transaction.atomic():
            changed = aggregates.rebuild()
            tallies.rebuild()
            indicator_tallies.rebuild()
        self.stdout.write(
            f"Đã đếm lại; {changed} đơn vị có số liệu tích lũy được sửa; đã đếm lại nhiệm vụ, kế hoạch và chỉ tiêu."
        )
