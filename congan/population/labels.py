"""The purposes (lý do tra cứu) the population module declares or lets an officer choose, stored in
the audit log in Vietnamese and shown with ``|data_label`` (English in English mode; an officer's
"chosen reason — own words" shows the chosen reason translated, the words as written).
tests check the purpose form's choices are all here."""

from django.utils.translation import gettext_noop

CITIZEN_OWN_LOOKUPS = gettext_noop("Công dân tự tra cứu lịch sử truy cập")
CITIZEN_OWN_PROFILE = gettext_noop("Công dân xem thông tin của mình")
# The reasons an officer picks on the purpose form (population.forms.PurposeForm).
CHOSEN_PURPOSES = [
    gettext_noop("Giải quyết thủ tục hành chính"),
    gettext_noop("Xác minh tin báo, tố giác"),
    gettext_noop("Quản lý cư trú"),
    gettext_noop("Điều tra, xử lý vụ việc"),
]
PURPOSES = [*CHOSEN_PURPOSES, CITIZEN_OWN_LOOKUPS, CITIZEN_OWN_PROFILE]
