"""Load the document types of Decree 30/2020, Appendix III (data/document_types.json)."""

from django.db import migrations

from congan.documents.types import load_types


def load(apps, schema_editor):
    load_types(apps.get_model("documents", "DocumentType"))


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
