from django.core.management.base import BaseCommand

from hienthuc.orgs import aggregates


class Command(BaseCommand):
    help = "Recount the stored subtree counts of every unit from the rows and fix those that differ."

    def handle(self, *args, **options):
        changed = aggregates.rebuild()
        self.stdout.write(f"Đã đếm lại; {changed} đơn vị có số liệu tích lũy được sửa.")
