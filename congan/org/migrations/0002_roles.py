"""Create the platform roles (Django groups) with the organisation's permissions."""

from django.db import migrations

from congan.org import roles

ROLE_PERMISSIONS = {
    roles.ADMIN: [
        "org.view_all_units", "org.view_unit", "org.add_unit", "org.change_unit",
        "org.view_officer", "org.add_officer", "org.change_officer",
        "org.view_trainingcourse", "org.add_trainingcourse", "org.change_trainingcourse",
        "org.view_trainingattendance", "org.add_trainingattendance", "org.change_trainingattendance",
        "core.view_audit_log", "core.manage_api_keys", "core.view_apiclient", "core.add_apiclient",
        "core.change_apiclient", "core.view_apikey", "core.view_auditevent",
    ],
    roles.LEADER: [
        "org.view_unit", "org.view_officer", "org.view_trainingcourse", "org.view_trainingattendance",
        "org.add_trainingcourse", "core.view_audit_log",
    ],
    roles.RECEPTION: ["org.view_unit", "org.view_trainingcourse"],
    roles.PROCESSING: ["org.view_unit", "org.view_trainingcourse"],
    roles.DISPATCHER: ["org.view_unit", "org.view_officer", "org.view_trainingcourse"],
    roles.CLERK: ["org.view_unit", "org.view_officer", "org.view_trainingcourse"],
    roles.SPECIALIST: ["org.view_unit", "org.view_trainingcourse"],
}


def create_roles(apps, schema_editor):
    roles.grant_role_permissions(apps, ROLE_PERMISSIONS)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=roles.ALL_ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0001_initial"),
        ("core", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
