from django.core.management.base import BaseCommand, CommandError

from hienthuc.orgs import aggregates, counts


class Command(BaseCommand):
    help = "Compare every stored count (units and people, and each kind registered per unit) with a recount; "
    help += "print each difference and exit non-zero if there is one. Writes nothing."

    def handle(self, *args, **options):
        found = counts.differences()
        expected, stored = aggregates.compute_from_scratch(), aggregates.stored()
        units = [
            f"{path}: lưu {stored.get(path)}, đếm lại {n}" for path, n in expected.items() if stored.get(path) != n
        ]
        if units:
            found = {"đơn vị, người": units, **found}
        for name, lines in found.items():
            self.stdout.write(f"{name}: {len(lines)} chỗ khác")
            for line in lines[:200]:
                self.stdout.write(f"  {line}")
        if found:
            raise CommandError("Số liệu lưu khác số đếm lại; chạy manage.py rebuild_aggregates để sửa.")
        kinds = ", ".join(["đơn vị, người", *(c.name for c in counts.registered())])
        self.stdout.write(f"Khớp: {kinds}.")
