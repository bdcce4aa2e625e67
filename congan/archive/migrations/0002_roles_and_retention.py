"""Give the platform roles their archive permissions (records clerks keep the archive; officers
hand in scans, read and correct them; leaders read), and seed a starting retention schedule.

The schedule's rows are examples to be checked against the force's own records schedule (the
general schedule for common records and the Ministry's for its own): the operator edits them in
the admin; they are data, not code."""

from django.db import migrations

from congan.org import roles

READ = ["archive.view_archiveitem", "archive.view_archivepage", "archive.view_dossier"]
WORK = [*READ, "archive.add_archiveitem", "archive.change_archivepage"]
ROLE_PERMISSIONS = {
    roles.CLERK: [*WORK, "archive.change_archiveitem", "archive.add_dossier", "archive.change_dossier"],
    roles.SPECIALIST: WORK,
    roles.PROCESSING: WORK,
    roles.LEADER: READ,
}

SCHEDULE = [
    ("Quyết định, chỉ thị, kế hoạch, báo cáo năm của đơn vị", None),
    ("Hồ sơ tổ chức, cán bộ", None),
    ("Hồ sơ vụ án hình sự", None),
    ("Hồ sơ tin báo, tố giác tội phạm không khởi tố", 20),
    ("Sổ đăng ký văn bản đi, văn bản đến", 20),
    ("Hồ sơ xử phạt vi phạm hành chính", 10),
    ("Hồ sơ giải quyết thủ tục hành chính", 10),
    ("Báo cáo tháng, quý, sáu tháng", 10),
    ("Công văn trao đổi nghiệp vụ thông thường", 5),
]
NOTE = "Mẫu ban đầu: đối chiếu với bảng thời hạn bảo quản hồ sơ, tài liệu của ngành trước khi dùng."


def seed(apps, schema_editor):
    roles.grant_role_permissions(apps, ROLE_PERMISSIONS)
    schedule = apps.get_model("archive", "RetentionSchedule")
    for record_type, years in SCHEDULE:
        schedule.objects.get_or_create(record_type=record_type, defaults={"years": years, "note": NOTE})


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial"), ("org", "0002_roles")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
