"""A dossier's idempotency key belongs to its submitter (issue 16): ``key_owner``, filled for the
dossiers already stored with the guardian who submitted them, else the applicant."""

from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Coalesce


def fill_key_owner(apps, schema_editor):
    Dossier = apps.get_model("eservices", "Dossier")
    owner = Coalesce("submitted_by", "applicant")
    # A guardian may have used one key for themself and for a child (two applicants, allowed until
    # now): the later dossiers of such a pair get their key suffixed, so each key has one dossier.
    clashes = (
        Dossier.objects.annotate(owner=owner)
        .values("owner", "client_token")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    for clash in list(clashes):
        later = Dossier.objects.annotate(owner=owner).filter(**clash_filter(clash)).order_by("pk")[1:]
        for dossier in later:
            dossier.client_token = f"{dossier.client_token[:40]}~{dossier.pk}"
            dossier.save(update_fields=["client_token"])
    Dossier.objects.filter(key_owner__isnull=True).update(key_owner=owner)
    if schema_editor.connection.vendor == "postgresql":
        # Check the deferred foreign key now: PostgreSQL refuses to ALTER a table with pending
        # trigger events, and the column becomes NOT NULL below.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def clash_filter(clash):
    return {"owner": clash["owner"], "client_token": clash["client_token"]}


class Migration(migrations.Migration):
    dependencies = [
        ("eservices", "0005_roles"),
        ("population", "0008_citizen_account_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="key_owner",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="population.resident",
                verbose_name="chủ mã chống nộp trùng",
            ),
        ),
        migrations.RunPython(fill_key_owner, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="dossier",
            name="key_owner",
            field=models.ForeignKey(
                db_index=False,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="population.resident",
                verbose_name="chủ mã chống nộp trùng",
            ),
        ),
        migrations.RemoveConstraint(model_name="dossier", name="dossier_submitted_once"),
        migrations.AddConstraint(
            model_name="dossier",
            constraint=models.UniqueConstraint(
                fields=("key_owner", "client_token"), name="dossier_submitted_once_per_owner"
            ),
        ),
    ]
