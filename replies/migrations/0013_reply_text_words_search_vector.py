"""Search inside replies and commitments: the text's words (jieba), and on PostgreSQL a stored tsvector of them
with its GIN index."""

from django.db import migrations, models

CHUNK = 500


def segment_existing(apps, schema_editor):
    from proposals.textsearch import indexed_words

    Reply = apps.get_model("replies", "Reply")
    rows = Reply.objects.exclude(text="").order_by("pk").values_list("pk", "text")
    with schema_editor.connection.cursor() as cursor:
        batch = []
        for pk, text in rows.iterator(chunk_size=CHUNK):
            batch.append((indexed_words(text), pk))
            if len(batch) == CHUNK:
                cursor.executemany("UPDATE replies_reply SET text_words = %s WHERE id = %s", batch)
                batch = []
        if batch:
            cursor.executemany("UPDATE replies_reply SET text_words = %s WHERE id = %s", batch)


def add_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE replies_reply ADD COLUMN search_vector tsvector "
                          "GENERATED ALWAYS AS (to_tsvector('simple', text_words)) STORED")
    schema_editor.execute("CREATE INDEX reply_search_vector ON replies_reply USING gin (search_vector)")
    # the planner needs the new column\'s statistics to use its index well
    schema_editor.execute("ANALYZE replies_reply")


def drop_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE replies_reply DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("replies", "0012_reply_publication_and_redactions")]

    operations = [
        migrations.AddField(model_name="reply", name="text_words",
                            field=models.TextField(blank=True, default="", editable=False)),
        migrations.RunPython(segment_existing, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(add_search_vector, drop_search_vector),
    ]
