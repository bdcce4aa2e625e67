"""Reception officers and administrators confirm citizen accounts to level 2."""

from django.db import migrations

from congan.org import roles

ROLE_PERMISSIONS = {
    roles.ADMIN: [
        "population.view_citizenaccount", "population.change_citizenaccount", "population.confirm_citizen_account",
    ],
    roles.RECEPTION: ["population.view_citizenaccount", "population.confirm_citizen_account"],
    roles.LEADER: ["population.view_citizenaccount"],
}


def grant(apps, schema_editor):
    roles.grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("population", "0007_citizen_accounts"), ("org", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
