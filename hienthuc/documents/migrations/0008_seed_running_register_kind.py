from django.db import migrations

from hienthuc.documents.kinds import seed_document_kinds


def seed_kinds(apps, schema_editor):
    seed_document_kinds(apps.get_model("documents", "DocumentKind"))


class Migration(migrations.Migration):
    # The office's running register of directions (plans.PlanKind.DIRECTIONS) is a kind too.
    dependencies = [("documents", "0007_kinds_399_congress_series")]

    operations = [migrations.RunPython(seed_kinds, migrations.RunPython.noop)]
