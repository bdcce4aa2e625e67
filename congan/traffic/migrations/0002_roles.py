"""Give the platform roles their traffic permissions."""

from django.db import migrations

from congan.org import roles

ROLE_PERMISSIONS = {
    roles.ADMIN: [
        "traffic.view_camera", "traffic.add_camera", "traffic.change_camera", "traffic.view_vehicle",
        "traffic.add_vehicle", "traffic.change_vehicle",
    ],
    roles.LEADER: ["traffic.view_camera", "traffic.view_vehicle"],
    roles.DISPATCHER: ["traffic.view_camera", "traffic.view_vehicle"],
    roles.SPECIALIST: ["traffic.view_camera", "traffic.view_vehicle", "traffic.add_vehicle"],
}


def grant(apps, schema_editor):
    roles.grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("traffic", "0001_initial"), ("org", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
