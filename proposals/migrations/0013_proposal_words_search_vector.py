"""Similar proposals: the title's and body's words (jieba), and on PostgreSQL a stored tsvector of them, title
weighted A and body B, with its GIN index."""

from django.db import migrations, models

CHUNK = 2000


def segment_existing(apps, schema_editor):
    from proposals.textsearch import indexed_words

    Proposal = apps.get_model("proposals", "Proposal")
    rows = Proposal.objects.order_by("pk").values_list("pk", "title", "body")
    with schema_editor.connection.cursor() as cursor:
        batch = []
        for pk, title, body in rows.iterator(chunk_size=CHUNK):
            batch.append((indexed_words(title), indexed_words(body), pk))
            if len(batch) == CHUNK:
                cursor.executemany("UPDATE proposals_proposal SET title_words = %s, body_words = %s WHERE id = %s",
                                   batch)
                batch = []
        if batch:
            cursor.executemany("UPDATE proposals_proposal SET title_words = %s, body_words = %s WHERE id = %s", batch)


def add_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE proposals_proposal ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('simple', title_words), 'A') || setweight(to_tsvector('simple', body_words), 'B')"
        ") STORED")
    schema_editor.execute("CREATE INDEX proposal_search_vector ON proposals_proposal USING gin (search_vector)")
    # the planner needs the new column\'s statistics to use its index well
    schema_editor.execute("ANALYZE proposals_proposal")


def drop_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE proposals_proposal DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("proposals", "0012_member_accounts_online_proposals_notifications")]

    operations = [
        migrations.AddField(model_name="proposal", name="title_words",
                            field=models.TextField(blank=True, default="", editable=False)),
        migrations.AddField(model_name="proposal", name="body_words",
                            field=models.TextField(blank=True, default="", editable=False)),
        migrations.RunPython(segment_existing, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(add_search_vector, drop_search_vector),
    ]
