"""Trigram indexes for the list's search (icontains on titles and proposers' names); PostgreSQL only."""

from django.db import migrations

INDEXES = {
    "proposal_title_trgm": "proposals_proposal USING gin (UPPER(title) gin_trgm_ops)",
    "member_name_trgm": "proposals_member USING gin (UPPER(name) gin_trgm_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, target in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("proposals", "0004_scale_indexes")]

    operations = [migrations.RunPython(create, drop)]
