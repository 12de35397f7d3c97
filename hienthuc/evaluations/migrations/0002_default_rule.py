from django.db import migrations

from hienthuc.evaluations.models import DEFAULT_RULE


def seed(apps, schema_editor):
    rule = apps.get_model("evaluations", "EvaluationRule")
    if not rule.objects.exists():
        rule.objects.create(**DEFAULT_RULE)


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
