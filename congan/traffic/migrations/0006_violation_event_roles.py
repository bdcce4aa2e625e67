"""Who may see camera-detected events."""

from django.db import migrations

from congan.org import roles

ROLE_PERMISSIONS = {
    roles.ADMIN: ["traffic.view_violationevent"],
    roles.LEADER: ["traffic.view_violationevent"],
    roles.SPECIALIST: ["traffic.view_violationevent"],
}


def grant(apps, schema_editor):
    roles.grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("traffic", "0005_violation_events"), ("org", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
