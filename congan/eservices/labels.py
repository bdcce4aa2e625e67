"""The procedures' names of data/catalogue.json, marked for translation: pages show them with
``{% translate procedure.name %}``. tests check the list matches the file. And the purpose of
officers' reads of dossiers (congan.core.labels)."""

from django.utils.translation import gettext_noop

NAMES = [
    gettext_noop("Cấp thẻ căn cước lần đầu"),
    gettext_noop("Cấp đổi thẻ căn cước"),
    gettext_noop("Cấp lại thẻ căn cước"),
    gettext_noop("Đăng ký thường trú"),
    gettext_noop("Đăng ký tạm trú"),
    gettext_noop("Gia hạn tạm trú"),
    gettext_noop("Tách hộ"),
    gettext_noop("Thông báo lưu trú"),
    gettext_noop("Khai báo tạm vắng"),
    gettext_noop("Đăng ký xe lần đầu"),
    gettext_noop("Đăng ký sang tên xe"),
    gettext_noop("Cấp lại chứng nhận đăng ký xe"),
    gettext_noop("Cấp hộ chiếu phổ thông (tại Công an tỉnh)"),
    gettext_noop("Cấp lại hộ chiếu phổ thông do bị mất hoặc hư hỏng"),
    gettext_noop("Cấp phiếu lý lịch tư pháp"),
    gettext_noop("Đổi giấy phép lái xe"),
    gettext_noop("Cấp lại giấy phép lái xe"),
    gettext_noop("Thẩm định thiết kế về phòng cháy và chữa cháy"),
    gettext_noop("Nghiệm thu về phòng cháy và chữa cháy"),
]

# The labels of the form templates' fields (data/catalogue.json "form_templates"): shown on the
# procedure's page, the citizen's form and the officer's dossier, in the reader's language.
FIELD_LABELS = [
    gettext_noop("Số định danh cá nhân"),
    gettext_noop("Họ, chữ đệm và tên"),
    gettext_noop("Ngày sinh"),
    gettext_noop("Giới tính"),
    gettext_noop("Số điện thoại liên hệ"),
    gettext_noop("Xã, phường nơi đăng ký"),
    gettext_noop("Số nhà, đường, thôn, tổ"),
    gettext_noop("Nơi ở hiện tại"),
    gettext_noop("Lý do"),
    gettext_noop("Nam"),
    gettext_noop("Nữ"),
]

# Officers' reads of dossiers (the applicant's personal data), as audited and shown to the applicant.
OFFICER_READ_PURPOSE = gettext_noop("Giải quyết thủ tục hành chính")
PURPOSES = [OFFICER_READ_PURPOSE]
