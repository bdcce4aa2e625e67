"""The violation notice (thông báo vi phạm, after Form 03 of Circular 73/2024): what was seen, the
fine range in force on the day, where to resolve it, the evidence image and a QR code that opens
the public lookup for the plate."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from congan.core.pdf import PdfDocument, render_pdf
from congan.org.selectors import full_address
from congan.traffic.models import ViolationEvent
from congan.traffic.plates import display_plate


def lookup_url(event: ViolationEvent) -> str:
    kind = "motorbike" if event.vehicle_kind in ("motorbike", "e_bike") else "car"
    query = urlencode({"plate": event.plate, "vehicle_kind": kind})
    return f"{settings.PUBLIC_BASE_URL}{reverse('traffic:lookup')}?{query}"


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def _evidence_images(event: ViolationEvent) -> list[tuple[bytes, str]]:
    first = event.evidence.order_by("pk").first()
    if first is None:
        return []
    with first.file.open("rb") as handle:
        content = handle.read()
    return [(content, f"Ảnh chứng cứ · SHA-256 {first.sha256[:16]}…")]


def notice_pdf(event: ViolationEvent) -> bytes:
    kind = event.violation_type
    occurred = timezone.localtime(event.occurred_at)
    issued = timezone.localtime(event.notice_issued_at)
    resolving = event.resolving_unit or event.camera.unit
    owner_address = ""
    owner = event.owner
    if owner is not None:
        if owner.current_street or owner.current_commune:
            owner_address = full_address(owner.current_street, owner.current_commune)
        else:
            owner_address = full_address(owner.permanent_street, owner.permanent_commune)
    speed = (
        f" (đo được {event.measured_speed_kmh} km/h, cho phép {event.speed_limit_kmh} km/h)"
        if event.measured_speed_kmh and event.speed_limit_kmh
        else ""
    )
    rows = [
        ("Biển kiểm soát", display_plate(event.plate, motorbike=event.vehicle_kind in ("motorbike", "e_bike"))),
        ("Loại phương tiện", event.get_vehicle_kind_display()),
        ("Chủ phương tiện", event.owner_label),
        ("Địa chỉ", owner_address or "—"),
        ("Thời gian vi phạm", occurred.strftime("%H:%M, %d/%m/%Y")),
        ("Địa điểm vi phạm", f"{event.camera.name}" + (f", {event.camera.road}" if event.camera.road else "")),
        ("Hành vi vi phạm", f"{kind.code} · {kind.title}{speed}"),
        ("Căn cứ", f"Điểm {kind.point} khoản {kind.clause} Điều {kind.article} Nghị định {kind.decree}"),
        ("Mức phạt tiền", f"Từ {_money(kind.fine_min)} đến {_money(kind.fine_max)}"),
        ("Trừ điểm giấy phép lái xe", f"{kind.licence_points} điểm" if kind.licence_points else "Không"),
        ("Đơn vị phát hiện", event.camera.unit.name),
        (
            "Nơi giải quyết",
            ", ".join(
                part
                for part in (
                    resolving.name,
                    resolving.address,
                    f"điện thoại {resolving.phone}" if resolving.phone else "",
                )
                if part
            ),
        ),
    ]
    days = settings.TRAFFIC_REGISTRATION_WARNING_DAYS
    return render_pdf(
        PdfDocument(
            agency=event.camera.unit.name,
            title="Thông báo vi phạm hành chính về trật tự, an toàn giao thông",
            number=event.notice_number or "",
            place_date=f"Ngày {issued:%d} tháng {issued:%m} năm {issued:%Y}",
            rows=rows,
            paragraphs=[
                "Hệ thống giám sát bằng hình ảnh đã phát hiện phương tiện nêu trên vi phạm hành chính về trật tự, an "
                "toàn giao thông đường bộ (Thông tư 73/2024/TT-BCA, Điều 24).",
                f"Đề nghị chủ phương tiện hoặc người điều khiển phương tiện đến {resolving.name} trong thời hạn {days} "
                "ngày kể từ ngày nhận được thông báo để giải quyết, mang theo giấy tờ tùy thân và giấy đăng ký xe; có "
                "thể nộp phạt trực tuyến qua Cổng dịch vụ công quốc gia hoặc ứng dụng VNeID sau khi có quyết định "
                "xử phạt.",
                f"Quá {days} ngày mà không đến giải quyết, phương tiện được đưa vào danh sách cảnh báo gửi cơ quan "
                "đăng kiểm.",
            ],
            images=_evidence_images(event),
            qr_url=lookup_url(event),
            qr_caption="Tra cứu phương tiện vi phạm",
            signer="Thủ trưởng đơn vị",
        )
    )
