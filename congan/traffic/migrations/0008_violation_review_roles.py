"""Who reviews camera-detected violations, issues notices and records how they were resolved."""

from django.db import migrations

from congan.org import roles

REVIEW = ["traffic.view_violationevent", "traffic.review_violationevent"]
RESOLVE = ["traffic.resolve_violationevent", "traffic.view_vehicle"]
ROLE_PERMISSIONS = {
    roles.ADMIN: [*REVIEW, "traffic.issue_notice", *RESOLVE],
    roles.LEADER: [*REVIEW, "traffic.issue_notice", *RESOLVE],
    roles.SPECIALIST: [*REVIEW, *RESOLVE],
    roles.PROCESSING: [*REVIEW, *RESOLVE],
}


def grant(apps, schema_editor):
    roles.grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("traffic", "0007_violation_review"), ("org", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
