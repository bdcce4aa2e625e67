"""Vietnamese administrative text with every tone mark, for the generated scans of the tests, the
benchmarks and the demo (congan.archive.scans). Nothing here is real: names and numbers are made up."""

from __future__ import annotations

import unicodedata

# Every vowel with every tone mark, and đ: what a page of the quality benchmark must show.
TONED_VOWELS = "aáàảãạăắằẳẵặâấầẩẫậeéèẻẽẹêếềểễệiíìỉĩịoóòỏõọôốồổỗộơớờởỡợuúùủũụưứừửữựyýỳỷỹỵđ"

SENTENCES = (
    "Căn cứ Luật Công an nhân dân ngày 20 tháng 11 năm 2018;",
    "Xét đề nghị của Trưởng phòng Cảnh sát quản lý hành chính về trật tự xã hội,",
    "Công an phường Hải Vân báo cáo kết quả tuần tra kiểm soát trên địa bàn.",
    "Đồng chí Nguyễn Văn Hùng, cán bộ đội nghiệp vụ, được giao thụ lý vụ việc.",
    "Ủy ban nhân dân xã Hòa Bắc đề nghị hỗ trợ bảo đảm an ninh trật tự dịp lễ hội.",
    "Kỳ họp thứ nhất đã thảo luận và thống nhất ý kiến về kế hoạch năm tới.",
    "Người dân phản ánh tình trạng tụ tập gây rối, đua xe trái phép vào ban đêm.",
    "Hồ sơ gồm biên bản, bản tường trình, lời khai của người làm chứng và ảnh chụp.",
    "Cán bộ kỹ thuật đã kiểm tra camera giám sát tại ngã tư Lê Duẩn, Nguyễn Trãi.",
    "Đề nghị các đơn vị nghiêm túc thực hiện, báo cáo kết quả trước ngày 15 hằng tháng.",
    "Trụ sở Công an thị trấn được sửa chữa, nâng cấp theo quyết định phê duyệt.",
    "Chiếc xe máy biển số 43A-123.45 bị tạm giữ để xác minh nguồn gốc.",
    "Số định danh cá nhân của người khai là 048090001234, nơi thường trú tại Đà Nẵng.",
    "Lực lượng chức năng đã phối hợp giải quyết dứt điểm, không để xảy ra điểm nóng.",
    "Tiếp tục tuyên truyền, vận động quần chúng nhân dân tố giác tội phạm.",
    "Thủy sản, gỗ quý và hàng hóa nhập lậu được thu giữ, niêm phong theo quy định.",
    "Ông Trần Quỹ, bà Lý Thị Mỹ và anh Hoàng Thụy cùng ký vào biên bản bàn giao.",
    "Sử dụng trái phép chất ma túy là hành vi bị nghiêm cấm; người nghiện phải cai nghiện.",
    "Phòng cháy, chữa cháy và cứu nạn, cứu hộ là nhiệm vụ thường xuyên, liên tục.",
    "Chỉ thị nêu rõ: mỗi cán bộ, chiến sĩ phải gương mẫu, tận tụy, gần dân, hiểu dân.",
    "Bản sao y được lưu tại kho lưu trữ, giá số 3, hộp số 12 của đơn vị.",
    "Ngày 05/3/2024, tổ công tác phát hiện một kho chứa pháo nổ trái phép.",
    "Đối tượng khai nhận đã lừa đảo chiếm đoạt tài sản qua mạng xã hội.",
    "Giữ gìn kỷ luật, kỷ cương; xử lý nghiêm cán bộ vi phạm, không có vùng cấm.",
    "Nơi nhận: như trên; lưu văn thư, hồ sơ. Người ký: Đại tá Phạm Ngọc Ẩn.",
    "Tăng cường bảo vệ tuyệt đối an toàn các mục tiêu, công trình trọng điểm.",
    "Sắp xếp lại tổ chức bộ máy theo hướng tinh, gọn, mạnh, hiệu năng, hiệu lực.",
    "Bé gái bị lạc đã được trao trả cho gia đình trong sự vui mừng, xúc động.",
    "Khuyến khích người dân lắp đặt camera, thiết bị báo cháy tại nhà ở riêng lẻ.",
    "Thẩm quyền xử phạt được quy định cụ thể, rõ ràng; mức phạt tối đa một trăm triệu.",
    "Văn bản này có hiệu lực kể từ ngày ký; các quy định trước đây trái với nó bị bãi bỏ.",
    "Mỗi tổ dân phố bầu một tổ trưởng, một tổ phó; nhiệm kỳ hai năm rưỡi.",
    "Mưa lũ gây sạt lở, ngập úng; lực lượng cứu hộ kịp thời sơ tán người dân.",
    "Đẩy mạnh chuyển đổi số, số hóa hồ sơ lưu trữ, sử dụng chữ ký số trong công việc.",
    "Nội dung nhập nhằng, lẫn lộn; đề nghị viết lại cho rõ ràng, mạch lạc.",
    "Ẩn mình trong bóng tối, kẻ trộm bị camera ghi lại hình ảnh rõ nét.",
    "Thuở ấy, ngõ nhỏ ven sông chỉ có vài nóc nhà lợp lá dừa, ẩm thấp.",
    "Cần tỉ mỉ, kĩ lưỡng khi đối chiếu chữ ký, dấu giáp lai trên từng trang.",
    "Lễ tổng kết có sự tham dự của đại diện các sở, ban, ngành và đoàn thể.",
    "Chẳng may ngã quỵ, bà mẹ được đưa đi cấp cứu; vết thương nhẹ, sẽ sớm bình phục.",
    "Bản vẽ hiện trường chưa hẳn đầy đủ; đề nghị bổ sung sơ đồ và kích thước.",
    "Gửi kèm theo công văn này danh sách đối tượng cần quản lý, giáo dục tại địa phương.",
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def covers_every_tone_mark(text: str) -> bool:
    present = set(nfc(text).lower())
    return all(char in present for char in TONED_VOWELS)


def page_lines(index: int, *, lines: int = 12) -> list[str]:
    """The lines of generated page ``index``: the sentences in turn, so every page differs and a
    page of 40 lines holds each sentence once."""
    return [SENTENCES[(index * lines + n) % len(SENTENCES)] for n in range(lines)]
