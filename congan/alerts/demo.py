"""Demo warnings: a few published alerts (an emergency, advisories on crime methods and fire
safety, an update and a cancellation), one awaiting approval, and confirmed subscriptions."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from congan.alerts import services
from congan.alerts.models import Alert, MsgType, Subscription
from congan.org.models import Officer, Unit
from congan.org.roles import ADMIN, LEADER
from congan.org.selectors import COMMUNE_KINDS

_ALERTS = [
    {
        "category": "Safety",
        "event": "Lừa đảo qua điện thoại",
        "urgency": "Future",
        "severity": "Moderate",
        "certainty": "Likely",
        "response_type": "Avoid",
        "headline": "Cảnh giác thủ đoạn giả danh Công an gọi điện yêu cầu cài ứng dụng, chuyển tiền",
        "description": "Thời gian gần đây xuất hiện các đối tượng giả danh cán bộ Công an gọi điện, thông báo người "
        "dân liên quan vụ án hoặc cần cập nhật định danh điện tử, yêu cầu cài ứng dụng lạ hoặc chuyển tiền vào "
        "tài khoản để 'xác minh'. Công an không làm việc qua điện thoại, không yêu cầu chuyển tiền.",
        "instruction": "Không cài ứng dụng theo đường dẫn lạ; không cung cấp mã OTP; báo ngay cho Công an xã, "
        "phường hoặc gọi 113 khi nhận cuộc gọi nghi vấn.",
        "headline_en": "Beware of callers posing as police asking you to install apps or transfer money",
        "description_en": "Scammers pose as police officers by phone. The police never ask for money by phone.",
        "area_desc": "Toàn tỉnh",
        "all_communes": True,
    },
    {
        "category": "Fire",
        "event": "An toàn phòng cháy mùa khô",
        "urgency": "Future",
        "severity": "Moderate",
        "certainty": "Possible",
        "response_type": "Prepare",
        "headline": "Khuyến cáo phòng cháy nhà ở kết hợp kinh doanh trong mùa khô",
        "description": "Nhà ở kết hợp kinh doanh, nhà trọ có nguy cơ cháy cao do sạc xe điện qua đêm, dây điện "
        "quá tải. Mỗi hộ cần có lối thoát nạn thứ hai và bình chữa cháy.",
        "instruction": "Không sạc xe điện qua đêm trong nhà; trang bị bình chữa cháy; gọi 114 khi có cháy.",
        "area_desc": "Toàn tỉnh",
        "all_communes": True,
    },
    {
        "category": "Security",
        "event": "Tụ tập đua xe trái phép",
        "urgency": "Expected",
        "severity": "Severe",
        "certainty": "Likely",
        "response_type": "Avoid",
        "headline": "Cảnh báo nguy cơ tụ tập đua xe trái phép đêm cuối tuần",
        "description": "Lực lượng Công an phát hiện thông tin hẹn tụ tập đua xe trên các tuyến ven biển đêm nay.",
        "instruction": "Hạn chế lưu thông qua khu vực sau 23 giờ; phụ huynh quản lý con em; báo tin qua 113.",
        "area_desc": "Các tuyến đường ven biển",
        "circle_km": 3.0,
        "hours": 12,
    },
]


def _communes(province: Unit) -> list[Unit]:
    return list(
        Unit.objects.filter(path__startswith=province.path, kind__in=COMMUNE_KINDS, latitude__isnull=False)
        .exclude(area_code="")
        .order_by("area_code")
    )


def _officers(province: Unit) -> tuple[Officer, Officer] | None:
    """The province's administrator composes (staff work), a leader approves: two people."""
    active = Officer.objects.filter(unit=province, is_active=True).order_by("username")
    composer = active.filter(groups__name=ADMIN).first()
    approver = active.filter(groups__name=LEADER).exclude(pk=getattr(composer, "pk", None)).first()
    return (composer, approver) if composer and approver else None


def _data(spec: dict[str, Any], communes: list[Unit], now: dt.datetime) -> dict[str, Any]:
    data = {key: value for key, value in spec.items() if key not in ("all_communes", "circle_km", "hours")}
    if spec.get("all_communes"):
        data["commune_codes"] = [unit.area_code for unit in communes]
    if spec.get("circle_km"):
        centre = communes[len(communes) // 2]
        data.update(
            circle_latitude=float(centre.latitude),
            circle_longitude=float(centre.longitude),
            circle_radius_km=spec["circle_km"],
        )
    data["effective"] = now
    data["expires"] = now + dt.timedelta(hours=spec.get("hours", 24 * 90))
    return data


def _publish(data: dict[str, Any], composer: Officer, approver: Officer) -> Alert:
    alert = services.alert_save(by=composer, data=data)
    services.alert_submit(by=composer, alert_id=alert.pk)
    return services.alert_approve(by=approver, alert_id=alert.pk)


def _subscriptions(communes: list[Unit], rng: random.Random) -> int:
    rows = []
    for index in range(120):
        commune = rng.choice(communes)
        channel = Subscription.Channel.SMS if index % 3 else Subscription.Channel.EMAIL
        recipient = f"09{rng.randrange(10**8):08d}" if channel == "sms" else f"nguoidan{index:03d}@example.vn"
        rows.append(
            Subscription(
                channel=channel,
                recipient=recipient,
                commune_code=commune.area_code,
                status=Subscription.Status.ACTIVE,
                token=f"demo-{index:04d}-{rng.getrandbits(64):x}",
                confirmed_at=timezone.now(),
            )
        )
    Subscription.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def demo_build_alerts(*, province: Unit, seed: int = 48, **_options: Any) -> dict[str, int]:
    """Idempotent: nothing is added when the province already has alerts."""
    communes = _communes(province)
    people = _officers(province)
    if not communes or people is None or Alert.objects.filter(unit__path__startswith=province.path).exists():
        return {"alerts": 0, "subscriptions": 0}
    composer, approver = people
    rng, now = random.Random(seed), timezone.now()  # noqa: S311 - reproducible demo data
    with transaction.atomic():
        subscriptions = _subscriptions(communes, rng)
        published = [_publish(_data(spec, communes, now), composer, approver) for spec in _ALERTS]
        update = services.alert_follow_up(by=composer, alert_id=published[2].pk, msg_type=MsgType.UPDATE)
        services.alert_save(
            by=composer,
            alert_id=update.pk,
            data={
                **_data(_ALERTS[2], communes, now),
                "certainty": "Observed",
                "headline": "Cập nhật: lực lượng Công an đã triển khai chốt chặn các tuyến ven biển",
            },
        )
        services.alert_submit(by=composer, alert_id=update.pk)
        services.alert_approve(by=approver, alert_id=update.pk)
        pending = services.alert_save(
            by=composer, data={**_data(_ALERTS[1], communes, now), "headline": "Khuyến cáo an toàn cháy nổ dịp Tết"}
        )
        services.alert_submit(by=composer, alert_id=pending.pk)
    return {"alerts": len(published) + 2, "subscriptions": subscriptions}
