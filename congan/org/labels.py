"""Role titles and officers' positions (chức vụ), marked for translation: pages show them with
``|data_label``, English in English mode (congan.core.labels). tests check the roles and the
demo's positions are all here.

A position is free text an administrator types; the usual ones of the people's police are listed
so they read in English too, any other is shown as written."""

from django.utils.translation import gettext_noop

from congan.org import roles

ROLES = list(roles.ALL_ROLES)  # marked where they are defined

# "Cán bộ" reads "Officer" (a position, a column, the audit log's kind of actor); the list of them
# is "Cán bộ, chiến sĩ" ("Officers").
POSITIONS = [
    gettext_noop("Giám đốc"),
    gettext_noop("Phó Giám đốc"),
    gettext_noop("Trưởng phòng"),
    gettext_noop("Phó Trưởng phòng"),
    gettext_noop("Đội trưởng"),
    gettext_noop("Phó Đội trưởng"),
    gettext_noop("Trưởng Công an phường"),
    gettext_noop("Phó Trưởng Công an phường"),
    gettext_noop("Trưởng Công an xã"),
    gettext_noop("Phó Trưởng Công an xã"),
    gettext_noop("Trưởng Công an đặc khu"),
    gettext_noop("Phó Trưởng Công an đặc khu"),
    gettext_noop("Cảnh sát khu vực"),
    gettext_noop("Trực ban, điều phối"),
    gettext_noop("Cán bộ quản trị hệ thống"),
    gettext_noop("Cán bộ tiếp nhận hồ sơ"),
    gettext_noop("Cán bộ xử lý hồ sơ"),
    gettext_noop("Văn thư"),
    gettext_noop("Cán bộ"),
    gettext_noop("Chiến sĩ"),
]
