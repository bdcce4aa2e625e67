"""Give the platform roles their documents permissions: the records clerk (văn thư) registers
incoming documents; leaders and the unit's other officers read the register."""

from django.db import migrations

from congan.org import roles

READ = ["documents.view_incomingdocument", "documents.view_documenttype"]
ROLE_PERMISSIONS = {
    roles.CLERK: [*READ, "documents.add_incomingdocument", "documents.change_incomingdocument"],
    roles.LEADER: READ,
    roles.SPECIALIST: READ,
    roles.PROCESSING: READ,
    roles.RECEPTION: READ,
    roles.DISPATCHER: READ,
    roles.ADMIN: ["documents.view_documenttype", "documents.add_documenttype", "documents.change_documenttype"],
}


def grant(apps, schema_editor):
    roles.grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_document_types"), ("org", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
