"""The document types' names of data/document_types.json, marked for translation: pages show them
with ``{% translate type.name %}`` (English in English mode). A test checks the list follows the file."""

from django.utils.translation import gettext_noop

NAMES = [
    gettext_noop("Công văn"),
    gettext_noop("Nghị quyết (cá biệt)"),
    gettext_noop("Quyết định"),
    gettext_noop("Chỉ thị"),
    gettext_noop("Quy chế"),
    gettext_noop("Quy định"),
    gettext_noop("Thông cáo"),
    gettext_noop("Thông báo"),
    gettext_noop("Hướng dẫn"),
    gettext_noop("Chương trình"),
    gettext_noop("Kế hoạch"),
    gettext_noop("Phương án"),
    gettext_noop("Đề án"),
    gettext_noop("Dự án"),
    gettext_noop("Báo cáo"),
    gettext_noop("Biên bản"),
    gettext_noop("Tờ trình"),
    gettext_noop("Hợp đồng"),
    gettext_noop("Công điện"),
    gettext_noop("Bản ghi nhớ"),
    gettext_noop("Bản thỏa thuận"),
    gettext_noop("Giấy ủy quyền"),
    gettext_noop("Giấy mời"),
    gettext_noop("Giấy giới thiệu"),
    gettext_noop("Giấy nghỉ phép"),
    gettext_noop("Phiếu gửi"),
    gettext_noop("Phiếu chuyển"),
    gettext_noop("Phiếu báo"),
    gettext_noop("Bản sao y"),
    gettext_noop("Bản trích sao"),
    gettext_noop("Bản sao lục"),
]
