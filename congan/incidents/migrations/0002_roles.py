"""Give the platform roles their reports permissions."""

from django.db import migrations

from congan.org import roles

ROLE_PERMISSIONS = {
    roles.ADMIN: [
        "incidents.view_report", "incidents.triage_report", "incidents.view_reporter", "incidents.view_reportkind",
        "incidents.add_reportkind", "incidents.change_reportkind", "incidents.view_routingrule",
        "incidents.add_routingrule", "incidents.change_routingrule", "incidents.delete_routingrule",
    ],
    roles.DISPATCHER: ["incidents.view_report", "incidents.triage_report", "incidents.view_reporter"],
    roles.SPECIALIST: ["incidents.view_report", "incidents.triage_report", "incidents.view_reporter"],
    roles.LEADER: ["incidents.view_report", "incidents.view_reporter"],
}


def grant(apps, schema_editor):
    roles.grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial"), ("org", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
