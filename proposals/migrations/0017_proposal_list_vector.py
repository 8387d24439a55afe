"""The list's search on PostgreSQL: each proposal keeps the words of its replies' texts (`reply_words`, written by
triggers on the replies and assignments tables, never by Django) and a stored tsvector of its title's and replies'
words (`list_vector`) with its GIN index. An office account's term is then one index condition on the proposals
table instead of a walk from 20 000 matching replies through 150 000 assignments to their proposals."""

from django.db import migrations

CREATE = r"""
ALTER TABLE proposals_proposal ADD COLUMN reply_words text NOT NULL DEFAULT '';

CREATE FUNCTION proposal_reply_words_refresh(proposal_ids bigint[]) RETURNS void LANGUAGE sql AS $$
    UPDATE proposals_proposal p SET reply_words = coalesce(
        (SELECT string_agg(r.text_words, ' ' ORDER BY r.id) FROM replies_reply r
         JOIN proposals_assignment a ON a.id = r.assignment_id WHERE a.proposal_id = p.id), '')
    WHERE p.id = ANY(proposal_ids)
$$;

-- a statement naming a transition table its trigger lacks is planned only when reached: one function for all three
CREATE FUNCTION reply_words_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM proposal_reply_words_refresh(ARRAY(
            SELECT DISTINCT a.proposal_id FROM new_rows n JOIN proposals_assignment a ON a.id = n.assignment_id
            WHERE n.text_words <> ''));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM proposal_reply_words_refresh(ARRAY(
            SELECT DISTINCT a.proposal_id FROM old_rows o JOIN proposals_assignment a ON a.id = o.assignment_id
            WHERE o.text_words <> ''));
    ELSE
        PERFORM proposal_reply_words_refresh(ARRAY(
            SELECT DISTINCT a.proposal_id FROM new_rows n JOIN old_rows o ON o.id = n.id
            JOIN proposals_assignment a ON a.id IN (n.assignment_id, o.assignment_id)
            WHERE n.text_words IS DISTINCT FROM o.text_words OR n.assignment_id IS DISTINCT FROM o.assignment_id));
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION assignment_proposal_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM proposal_reply_words_refresh(ARRAY(
        SELECT DISTINCT unnest(ARRAY[n.proposal_id, o.proposal_id]) FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.proposal_id <> o.proposal_id));
    RETURN NULL;
END $$;

CREATE TRIGGER reply_words_inserted AFTER INSERT ON replies_reply
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reply_words_changed();
CREATE TRIGGER reply_words_updated AFTER UPDATE ON replies_reply
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reply_words_changed();
CREATE TRIGGER reply_words_deleted AFTER DELETE ON replies_reply
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reply_words_changed();
CREATE TRIGGER assignment_proposal_moved AFTER UPDATE ON proposals_assignment
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION assignment_proposal_moved();

UPDATE proposals_proposal p SET reply_words = w.words FROM (
    SELECT a.proposal_id, string_agg(r.text_words, ' ' ORDER BY r.id) AS words FROM replies_reply r
    JOIN proposals_assignment a ON a.id = r.assignment_id WHERE r.text_words <> '' GROUP BY a.proposal_id) w
WHERE w.proposal_id = p.id;

ALTER TABLE proposals_proposal ADD COLUMN list_vector tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', title_words || ' ' || reply_words)) STORED;
CREATE INDEX proposal_list_vector ON proposals_proposal USING gin (list_vector);
ANALYZE proposals_proposal;
"""

DROP = """
DROP TRIGGER IF EXISTS reply_words_inserted ON replies_reply;
DROP TRIGGER IF EXISTS reply_words_updated ON replies_reply;
DROP TRIGGER IF EXISTS reply_words_deleted ON replies_reply;
DROP TRIGGER IF EXISTS assignment_proposal_moved ON proposals_assignment;
DROP FUNCTION IF EXISTS reply_words_changed(), assignment_proposal_moved(), proposal_reply_words_refresh(bigint[]);
ALTER TABLE proposals_proposal DROP COLUMN IF EXISTS list_vector, DROP COLUMN IF EXISTS reply_words;
"""


def add_list_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_list_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0016_co_opinion_attachment"), ("replies", "0013_reply_text_words_search_vector")]

    operations = [migrations.RunPython(add_list_vector, drop_list_vector)]
