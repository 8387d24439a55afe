"""Trigram indexes for the list's search on replies (their text and 文号); PostgreSQL only. The replies table
belongs to the replies app; the index serves the proposals list, so it lives with 0005_search_trigrams."""

from django.db import migrations

INDEXES = {
    "reply_text_trgm": "replies_reply USING gin (UPPER(text) gin_trgm_ops)",
    "reply_doc_number_trgm": "replies_reply USING gin (UPPER(doc_number) gin_trgm_ops)",
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
    dependencies = [("proposals", "0010_assignment_event_reminded"), ("replies", "0011_reply_parse_lease")]

    operations = [migrations.RunPython(create, drop)]
