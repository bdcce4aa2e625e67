"""The violation types' titles of data/violation_types.json, marked for translation: pages show
them with ``|data_label`` (English in English mode, congan.core.labels); tests check the list
matches the file (each title once). And the purposes this module's audited reads declare."""

from django.utils.translation import gettext_noop

NAMES = [
    gettext_noop("Không chấp hành hiệu lệnh của đèn tín hiệu giao thông"),
    gettext_noop("Đi ngược chiều của đường một chiều, đi ngược chiều trên đường có biển cấm đi ngược chiều"),
    gettext_noop(
        "Đi ngược chiều của đường một chiều, đi ngược chiều trên đường có biển cấm đi ngược chiều; đi trên vỉa hè"
    ),
    gettext_noop("Chạy quá tốc độ quy định từ 05 km/h đến dưới 10 km/h"),
    gettext_noop("Chạy quá tốc độ quy định từ 10 km/h đến 20 km/h"),
    gettext_noop("Chạy quá tốc độ quy định trên 20 km/h đến 35 km/h"),
    gettext_noop("Chạy quá tốc độ quy định trên 20 km/h"),
    gettext_noop("Chạy quá tốc độ quy định trên 35 km/h"),
    gettext_noop("Không đi đúng phần đường hoặc làn đường quy định"),
    gettext_noop("Không chấp hành hiệu lệnh, chỉ dẫn của biển báo hiệu, vạch kẻ đường"),
    gettext_noop("Dừng xe, đỗ xe tại vị trí có biển “Cấm dừng xe và đỗ xe”"),
    gettext_noop("Đỗ xe tại vị trí có biển “Cấm đỗ xe”"),
    gettext_noop("Người điều khiển không đội mũ bảo hiểm hoặc đội không cài quai đúng quy cách"),
    gettext_noop("Chở người không đội mũ bảo hiểm"),
    gettext_noop("Dùng tay cầm và sử dụng điện thoại khi đang điều khiển xe"),
    gettext_noop("Người lái xe không thắt dây đai an toàn khi xe đang chạy"),
]

# An officer's view of a violation shows its vehicle's owner; the owner opens the notice from a link.
OWNER_PURPOSE = gettext_noop("Xử lý vi phạm giao thông phát hiện qua hình ảnh")
NOTICE_PURPOSE = gettext_noop("Chủ xe xem thông báo vi phạm")
PURPOSES = [OWNER_PURPOSE, NOTICE_PURPOSE]
