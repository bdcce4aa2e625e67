"""Give the roles their permissions on electronic copies and closed registers: the records clerk
(văn thư) makes copies; everyone who reads the registers reads the unit's copies; leaders sign a
closed period of the register (decision 0031)."""

from django.db import migrations

from congan.org import roles

READ = ["documents.view_documentcopy"]
ROLE_PERMISSIONS = {
    roles.CLERK: [*READ, "documents.add_documentcopy"],
    roles.LEADER: [*READ, "documents.sign_registerclosure"],
    roles.SPECIALIST: READ,
    roles.PROCESSING: READ,
    roles.RECEPTION: READ,
    roles.DISPATCHER: READ,
}


def grant(apps, schema_editor):
    roles.grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("documents", "0010_copies_attachments_closure_signing")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
