"""The report kinds' names of data/kinds.json, marked for translation: pages show them with
``{% translate kind.name %}`` (English in English mode). tests check the list matches the file.
And the purpose this module's audited reads declare (congan.core.labels)."""

from django.utils.translation import gettext_noop

NAMES = [
    gettext_noop("Tội phạm"),
    gettext_noop("Tố giác tội phạm"),
    gettext_noop("Tin báo tội phạm"),
    gettext_noop("Kiến nghị khởi tố"),
    gettext_noop("An ninh, trật tự"),
    gettext_noop("Gây rối trật tự công cộng"),
    gettext_noop("Phản ánh, kiến nghị"),
    gettext_noop("Cháy, nổ, cứu nạn"),
    gettext_noop("Cháy nhà, công trình"),
    gettext_noop("Cháy phương tiện"),
    gettext_noop("Cứu nạn, cứu hộ (mắc kẹt, đuối nước)"),
    gettext_noop("Giao thông"),
    gettext_noop("Tai nạn giao thông"),
    gettext_noop("Ùn tắc giao thông"),
    gettext_noop("Khác"),
]

# Who reported a report is read "to handle the report": stored in the audit log, shown translated.
REPORTER_PURPOSE = gettext_noop("Xử lý tin báo")
PURPOSES = [REPORTER_PURPOSE]
