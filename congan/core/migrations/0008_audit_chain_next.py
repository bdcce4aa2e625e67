# The audit chain's next link, taken inside a statement that writes an event (PostgreSQL only,
# decision 0032; nothing on SQLite): lock the head row, number and hash the event after it, move the
# head. In PL/pgSQL each statement reads with a snapshot of its own, taken when it starts: the head
# is read as the last appender left it, never through a re-check of an older version of the row
# (which, inside a large statement, re-initialises the whole statement's plan).

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION core_audit_chain_next(
    before text,
    after text,
    OUT next_seq bigint,
    OUT prev text,
    OUT digest text
) LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    SELECT h.seq + 1, h.hash INTO next_seq, prev FROM core_auditchainhead h WHERE h.id = 1 FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'audit chain head missing: nothing appended (run congan audit verify)'
            USING ERRCODE = 'data_exception';
    END IF;
    -- SHA-256(previous hash || canonical form), the canonical form cut around its seq.
    digest := encode(sha256(convert_to(prev || before || next_seq::text || after, 'UTF8')), 'hex');
    UPDATE core_auditchainhead h SET seq = next_seq, hash = digest WHERE h.id = 1;
END
$$
"""

BACKWARD = "DROP FUNCTION IF EXISTS core_audit_chain_next(text, text)"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0007_audit_journal_marks")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
