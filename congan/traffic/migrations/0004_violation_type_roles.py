"""Who reads and keeps the fine tables."""

from django.db import migrations

from congan.org import roles

ROLE_PERMISSIONS = {
    roles.ADMIN: ["traffic.view_violationtype", "traffic.add_violationtype", "traffic.change_violationtype"],
    roles.LEADER: ["traffic.view_violationtype"],
    roles.DISPATCHER: ["traffic.view_violationtype"],
    roles.SPECIALIST: ["traffic.view_violationtype"],
}


def grant(apps, schema_editor):
    roles.grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("traffic", "0003_violation_types"), ("org", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
