# The register opens on one year's book (Decree 30), so its search reads one year's matches: the
# trigram index on the folded text carries the year as its first column (btree_gin), and a search
# of this year's book no longer visits the earlier years' entries. PostgreSQL only; SQLite
# (development) scans, as before.

from django.db import migrations

OLD_INDEX = "incoming_search_trgm"
NEW_INDEX = "incoming_year_search_trgm"


def year_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NEW_INDEX} ON documents_incomingdocument "
        "USING gin (year, search_folded gin_trgm_ops)"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")


def year_search_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON documents_incomingdocument USING gin (search_folded gin_trgm_ops)"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {NEW_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("documents", "0007_docscale_register_scale")]

    operations = [migrations.RunPython(year_search_index, year_search_index_drop, elidable=False)]
