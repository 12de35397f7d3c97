"""Seed the standard levels and kinds of units (see hienthuc/orgs/kinds.py)."""

from django.db import migrations

from hienthuc.orgs.kinds import seed_kinds


def seed(apps, schema_editor):
    seed_kinds(apps.get_model("orgs", "OrgLevel"), apps.get_model("orgs", "OrgKind"))


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
