"""Roles (vai trò) are Django groups with named permission sets.

Each app declares what its permissions mean for each role in a data migration through
``grant_role_permissions`` so a fresh database and an upgraded one end up the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_noop

# The group names, stored in Vietnamese; pages show them with ``|data_label`` (English in English
# mode, congan.core.labels; listed in congan.org.labels.ROLES).
ADMIN = gettext_noop("Quản trị hệ thống")
LEADER = gettext_noop("Lãnh đạo")
RECEPTION = gettext_noop("Cán bộ tiếp nhận")
PROCESSING = gettext_noop("Cán bộ xử lý")
DISPATCHER = gettext_noop("Điều phối viên")
CLERK = gettext_noop("Văn thư")
SPECIALIST = gettext_noop("Cán bộ nghiệp vụ")
ALL_ROLES = (ADMIN, LEADER, RECEPTION, PROCESSING, DISPATCHER, CLERK, SPECIALIST)


def grant_role_permissions(apps, mapping: Mapping[str, Iterable[str]]) -> None:
    """In a data migration: give each role (group name) the permissions "app_label.codename"."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations (post_migrate); create them now.
    for app_config in apps.get_app_configs():
        has_models = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = has_models
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, perms in mapping.items():
        group, _ = group_model.objects.get_or_create(name=role)
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            group.permissions.add(permission_model.objects.get(content_type__app_label=app_label, codename=codename))
