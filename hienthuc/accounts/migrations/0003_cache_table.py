# The database cache (settings.CACHES) holds the API's rate counters. Creating its table in a
# migration means every database that is migrated has it: tests, make run, bench, production.
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_token_expiry")]
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
