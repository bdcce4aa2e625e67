"""The engines' own parts of the full-text index (decision 0034), each created only on its engine
and a no-op on the other:

- SQLite: the FTS5 table ``search_entry_fts`` over the folded title, body and file text, an
  external-content table of ``search_entry`` kept by three triggers (prefix indexes of 2 and 3
  characters for ``word*``);
- PostgreSQL: the generated column ``document`` (a tsvector, 'simple' configuration: the text is
  folded already; title weight A, body B, file text D, with a one-word hole between them so that a
  phrase never runs from one into the next, as FTS5's columns) and its GIN index; pg_trgm's GIN
  index on the folded title, for near matches of a title.
"""

from django.db import migrations

SQLITE = [
    """
    CREATE VIRTUAL TABLE search_entry_fts USING fts5(
        title_folded, body_folded, content_folded,
        content='search_entry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0', prefix='2 3'
    )
    """,
    """
    CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_entry_fts (rowid, title_folded, body_folded, content_folded)
        VALUES (new.id, new.title_folded, new.body_folded, new.content_folded);
    END
    """,
    """
    CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_entry_fts (search_entry_fts, rowid, title_folded, body_folded, content_folded)
        VALUES ('delete', old.id, old.title_folded, old.body_folded, old.content_folded);
    END
    """,
    """
    CREATE TRIGGER search_entry_fts_update AFTER UPDATE OF title_folded, body_folded, content_folded
    ON search_entry BEGIN
        INSERT INTO search_entry_fts (search_entry_fts, rowid, title_folded, body_folded, content_folded)
        VALUES ('delete', old.id, old.title_folded, old.body_folded, old.content_folded);
        INSERT INTO search_entry_fts (rowid, title_folded, body_folded, content_folded)
        VALUES (new.id, new.title_folded, new.body_folded, new.content_folded);
    END
    """,
    # Rows written before this migration (none on a new database).
    "INSERT INTO search_entry_fts (search_entry_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_fts_update",
    "DROP TRIGGER IF EXISTS search_entry_fts_delete",
    "DROP TRIGGER IF EXISTS search_entry_fts_insert",
    "DROP TABLE IF EXISTS search_entry_fts",
]

# ``0.5`` is a word put before the body and the file text and deleted again: it leaves a hole of one
# position, so "last word of the title" + "first word of the body" are not a phrase. The folded text
# has no dot, so no word of it (nor of a query) is ever ``0.5``.
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    ALTER TABLE search_entry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_folded), 'A')
        || setweight(ts_delete(to_tsvector('simple'::regconfig, '0.5 ' || body_folded), '0.5'), 'B')
        || setweight(ts_delete(to_tsvector('simple'::regconfig, '0.5 ' || content_folded), '0.5'), 'D')
    ) STORED
    """,
    "CREATE INDEX search_entry_document ON search_entry USING gin (document)",
    "CREATE INDEX search_entry_title_trgm ON search_entry USING gin (title_folded gin_trgm_ops)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_entry_title_trgm",
    "DROP INDEX IF EXISTS search_entry_document",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS document",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        wanted = statements.get(vendor, [])
        for statement in wanted:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
            elidable=False,
        )
    ]
