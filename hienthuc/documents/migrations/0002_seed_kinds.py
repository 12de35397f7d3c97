from django.db import migrations

from hienthuc.documents.kinds import seed_document_kinds


def seed(apps, schema_editor):
    seed_document_kinds(apps.get_model("documents", "DocumentKind"))


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
