"""Seed what may sit under what (see hienthuc/orgs/kinds.py)."""

from django.db import migrations

from hienthuc.orgs.kinds import seed_kind_rules


def seed(apps, schema_editor):
    seed_kind_rules(apps.get_model("orgs", "OrgKind"), apps.get_model("orgs", "KindRule"))


class Migration(migrations.Migration):
    dependencies = [("orgs", "0004_kind_rules_and_validity")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
