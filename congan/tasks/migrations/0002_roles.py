"""Give the platform roles their điều hành permissions: leaders give directives and tasks; every
officer reads (and works on) the tasks of their units and their own."""

from django.db import migrations

from congan.org import roles

READ = ["tasks.view_task", "tasks.view_directive"]
ROLE_PERMISSIONS = {
    roles.LEADER: [*READ, "tasks.add_task", "tasks.give_directive"],
    roles.CLERK: READ,
    roles.SPECIALIST: READ,
    roles.PROCESSING: READ,
    roles.RECEPTION: READ,
    roles.DISPATCHER: READ,
}


def grant(apps, schema_editor):
    roles.grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("tasks", "0001_initial"), ("org", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
