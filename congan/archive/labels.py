"""Names the archive stores in Vietnamese and pages show with ``|data_label`` (congan.core.labels):
the record types of the retention schedule the migration seeds (0002_roles_and_retention)."""

from django.utils.translation import gettext_noop

RETENTION_TYPES = [
    gettext_noop("Quyết định, chỉ thị, kế hoạch, báo cáo năm của đơn vị"),
    gettext_noop("Hồ sơ tổ chức, cán bộ"),
    gettext_noop("Hồ sơ vụ án hình sự"),
    gettext_noop("Hồ sơ tin báo, tố giác tội phạm không khởi tố"),
    gettext_noop("Sổ đăng ký văn bản đi, văn bản đến"),
    gettext_noop("Hồ sơ xử phạt vi phạm hành chính"),
    gettext_noop("Hồ sơ giải quyết thủ tục hành chính"),
    gettext_noop("Báo cáo tháng, quý, sáu tháng"),
    gettext_noop("Công văn trao đổi nghiệp vụ thông thường"),
    gettext_noop("Hồ sơ khác"),
]
