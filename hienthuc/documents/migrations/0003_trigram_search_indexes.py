"""On PostgreSQL, trigram indexes let "contains" searches on the folded (diacritics-free)
text columns use an index; SQLite scans the same normalized columns."""

from django.db import migrations

INDEXES = [
    ("documents_search_trgm", "documents_document", "search_text"),
    ("orgs_search_trgm", "orgs_organization", "search_text"),
    ("people_search_trgm", "people_person", "search_name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_seed_kinds"),
        ("orgs", "0002_seed_levels_and_kinds"),
        ("people", "0001_initial"),
    ]
    operations = [migrations.RunPython(create, drop)]
