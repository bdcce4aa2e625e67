"""Give the platform roles their online-public-services permissions."""

from django.db import migrations

from congan.org import roles

ROLE_PERMISSIONS = {
    roles.ADMIN: [
        "eservices.view_dossier", "eservices.receive_dossier", "eservices.process_dossier", "eservices.decide_dossier",
        "eservices.view_complaint", "eservices.change_complaint", "eservices.view_dossierstat",
        "eservices.view_procedure", "eservices.change_procedure", "eservices.view_calendarday",
        "eservices.add_calendarday", "eservices.change_calendarday", "eservices.delete_calendarday",
    ],
    roles.RECEPTION: ["eservices.view_dossier", "eservices.receive_dossier", "eservices.view_complaint"],
    roles.PROCESSING: [
        "eservices.view_dossier", "eservices.process_dossier", "eservices.decide_dossier", "eservices.view_complaint",
        "eservices.change_complaint",
    ],
    roles.LEADER: [
        "eservices.view_dossier", "eservices.decide_dossier", "eservices.view_complaint", "eservices.change_complaint",
        "eservices.view_dossierstat",
    ],
}


def grant(apps, schema_editor):
    roles.grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("eservices", "0004_processing"), ("org", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
