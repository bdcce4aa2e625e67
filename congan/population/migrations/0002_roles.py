"""Give the platform roles their population permissions."""

from django.db import migrations

from congan.org import roles

ROLE_PERMISSIONS = {
    roles.ADMIN: [
        "population.view_resident", "population.add_resident", "population.change_resident",
        "population.view_resident_profile", "population.view_household", "population.add_household",
        "population.change_household", "population.view_partnerpolicy", "population.add_partnerpolicy",
        "population.change_partnerpolicy", "population.view_importbatch", "population.import_enrichment",
    ],
    roles.LEADER: [
        "population.view_resident", "population.view_resident_profile", "population.view_household",
        "population.view_importbatch",
    ],
    roles.RECEPTION: [
        "population.view_resident", "population.view_resident_profile", "population.change_resident",
        "population.view_household", "population.change_household",
    ],
    roles.PROCESSING: [
        "population.view_resident", "population.view_resident_profile", "population.change_resident",
        "population.view_household", "population.change_household",
    ],
    roles.SPECIALIST: [
        "population.view_resident", "population.view_resident_profile", "population.view_household",
    ],
    roles.DISPATCHER: ["population.view_resident", "population.view_resident_profile"],
}


def grant(apps, schema_editor):
    roles.grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("population", "0001_initial"), ("org", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
