"""Dispatchers send units; patrol members update their own unit (through membership, not a role)."""

from django.db import migrations

from congan.org import roles

ROLE_PERMISSIONS = {
    roles.ADMIN: [
        "incidents.dispatch_report", "incidents.view_patrolunit", "incidents.add_patrolunit",
        "incidents.change_patrolunit",
    ],
    roles.DISPATCHER: ["incidents.dispatch_report", "incidents.view_patrolunit"],
    roles.LEADER: ["incidents.view_patrolunit"],
}


def grant(apps, schema_editor):
    roles.grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0003_dispatch"), ("org", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
