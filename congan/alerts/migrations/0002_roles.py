"""Give the platform roles their warnings permissions: staff compose, leaders approve."""

from django.db import migrations

from congan.org import roles

ROLE_PERMISSIONS = {
    roles.ADMIN: [
        "alerts.view_alert", "alerts.compose_alert", "alerts.approve_alert", "alerts.view_subscription",
        "alerts.change_subscription",
    ],
    roles.LEADER: ["alerts.view_alert", "alerts.approve_alert"],
    roles.DISPATCHER: ["alerts.view_alert", "alerts.compose_alert"],
    roles.SPECIALIST: ["alerts.view_alert", "alerts.compose_alert"],
}


def grant(apps, schema_editor):
    roles.grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial"), ("org", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
