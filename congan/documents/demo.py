"""`congan demo` builder for documents: the units' symbol abbreviations, and twelve months of incoming
registers across the demo units (20,000 entries by default; bulk, idempotent). A fifth of
the entries go to the records clerk's commune so that `vanthu` sees a full register; the last days
hold urgent documents not yet acknowledged and a few entries other systems sent, waiting to be
registered. Classified entries (about 3 %) are metadata only, in the secret series."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Field, Model
from django.utils import timezone

from congan.core.audit import audit_record
from congan.core.text import fold
from congan.documents.models import (
    Classification,
    DocumentEvent,
    DocumentType,
    IncomingDocument,
    NumberSeries,
    Urgency,
)
from congan.documents.symbols import notation_of
from congan.documents.types import load_types
from congan.org.models import Officer, Unit
from congan.org.selectors import COMMUNE_KINDS

BATCH = 2000
DEFAULT_DOCUMENTS = 20_000  # with the demo's 200,000 residents: residents / 10, at most this


def default_documents(residents: int) -> int:
    """The incoming documents of a demo of this many residents (the outgoing ones are a tenth)."""
    return min(DEFAULT_DOCUMENTS, residents // 10)


DEMO_CLERK = "vanthu"

# (issuer, its symbol groups, the types it sends) — who writes to a police unit of a province.
ISSUERS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Bộ Công an", ("BCA", "V01"), ("CT", "KH", "", "CĐ", "HD")),
    ("Văn phòng Bộ Công an", ("V01",), ("", "TB", "GM")),
    ("Cục Cảnh sát quản lý hành chính về trật tự xã hội", ("C06",), ("", "HD", "KH")),
    ("Cục Cảnh sát giao thông", ("C08",), ("", "KH", "CĐ")),
    ("Ủy ban nhân dân thành phố", ("UBND", "NC"), ("", "QĐ", "KH", "CĐ")),
    ("Văn phòng Ủy ban nhân dân thành phố", ("VP", "NC"), ("", "TB", "GM")),
    ("Sở Tư pháp", ("STP", "HCTP"), ("", "HD")),
    ("Sở Y tế", ("SYT", "NVY"), ("", "KH")),
    ("Sở Lao động, Thương binh và Xã hội", ("SLĐTBXH", "PCTNXH"), ("", "KH", "BC")),
    ("Tòa án nhân dân thành phố", ("TA",), ("", "QĐ", "TB")),
    ("Viện kiểm sát nhân dân thành phố", ("VKS", "P2"), ("", "QĐ", "TB")),
    ("Bộ Chỉ huy Quân sự thành phố", ("BCH", "TM"), ("", "KH")),
    ("Ban An toàn giao thông thành phố", ("BATGT",), ("", "KH", "BC")),
)
# What the provincial police sends down to its departments and communes.
PROVINCE_TYPES = ("", "KH", "QĐ", "TB", "HD", "CĐ", "GM", "BC")
PROVINCE_DEPARTMENTS = ("PV01", "PC06", "PC08", "PC02", "PV06", "PC07")

SUBJECTS: dict[str, tuple[str, ...]] = {
    "": (
        "Về việc tăng cường công tác bảo đảm an ninh, trật tự trên địa bàn",
        "Về việc phối hợp xác minh thông tin cư trú của công dân",
        "Về việc rà soát, cập nhật dữ liệu dân cư vào Cơ sở dữ liệu quốc gia về dân cư",
        "Về việc đẩy mạnh cấp căn cước và tài khoản định danh điện tử",
        "Về việc triển khai cao điểm tấn công, trấn áp tội phạm",
        "Về việc phòng ngừa lừa đảo chiếm đoạt tài sản qua mạng",
        "Về việc kiểm tra an toàn phòng cháy, chữa cháy tại cơ sở kinh doanh",
        "Về việc cung cấp thông tin phục vụ công tác điều tra",
        "Về việc bảo đảm trật tự an toàn giao thông dịp nghỉ lễ",
        "Về việc tuyên truyền phòng, chống ma túy trong trường học",
    ),
    "KH": (
        "Kế hoạch bảo đảm an ninh, trật tự dịp Tết Nguyên đán",
        "Kế hoạch tổng kiểm tra phương tiện giao thông đường thủy",
        "Kế hoạch tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc",
        "Kế hoạch tuần tra, kiểm soát bảo đảm trật tự an toàn giao thông",
        "Kế hoạch triển khai phong trào toàn dân phòng cháy, chữa cháy",
        "Kế hoạch tập huấn nghiệp vụ đăng ký, quản lý cư trú",
    ),
    "QĐ": (
        "Quyết định thành lập Tổ công tác bảo đảm an ninh, trật tự",
        "Quyết định khen thưởng tập thể, cá nhân có thành tích xuất sắc",
        "Quyết định ban hành Quy chế phối hợp giữa các lực lượng",
        "Quyết định phân công nhiệm vụ trực ban, trực chiến",
    ),
    "CT": ("Chỉ thị về tăng cường công tác phòng, chống tội phạm và vi phạm pháp luật",),
    "TB": (
        "Thông báo kết luận cuộc họp giao ban công tác tháng",
        "Thông báo lịch tiếp công dân của lãnh đạo",
        "Thông báo kết quả kiểm tra công tác nghiệp vụ",
    ),
    "HD": (
        "Hướng dẫn thực hiện thủ tục đăng ký thường trú trên Cổng dịch vụ công",
        "Hướng dẫn nghiệp vụ thu thập, cập nhật thông tin dân cư",
        "Hướng dẫn tổ chức hội nghị sơ kết công tác",
    ),
    "CĐ": (
        "Công điện về việc chủ động ứng phó với bão và mưa lớn",
        "Công điện về việc bảo đảm an ninh, trật tự trong mùa lễ hội",
    ),
    "GM": ("Giấy mời dự hội nghị sơ kết công tác quý", "Giấy mời dự họp triển khai nhiệm vụ trọng tâm"),
    "BC": (
        "Báo cáo kết quả công tác bảo đảm an ninh, trật tự tháng",
        "Báo cáo tình hình tai nạn giao thông và kết quả xử lý vi phạm",
    ),
}
URGENCIES = (
    (Urgency.NORMAL, 85),
    (Urgency.URGENT, 9),
    (Urgency.VERY_URGENT, 4),
    (Urgency.FLASH, 2),
)


def _symbols(province: Unit) -> int:
    """Symbol abbreviations where the demo units have none: the provincial police CAT/CATP, a
    department its own code (PV01), a commune police CAX, a ward's CAP, a special zone's CAĐK."""
    changed = 0
    if not province.symbol:
        province.symbol = "CATP" if "thành phố" in province.name.lower() else "CAT"
        province.save(update_fields=["symbol"])
        changed += 1
    by_kind = {Unit.Kind.COMMUNE: "CAX", Unit.Kind.WARD: "CAP", Unit.Kind.SPECIAL_ZONE: "CAĐK"}
    below = Unit.objects.filter(path__startswith=province.path, symbol="").exclude(pk=province.pk)
    for kind, symbol in by_kind.items():
        changed += below.filter(kind=kind).update(symbol=symbol)
    for unit in below.filter(kind=Unit.Kind.DEPARTMENT):
        suffix = unit.code.rsplit("-", 1)[-1].upper()
        if suffix.isalnum() and suffix.isascii():
            Unit.objects.filter(pk=unit.pk).update(symbol=suffix)
            changed += 1
    return changed


@dataclass
class _Step:
    """A timeline step to insert (a DocumentEvent row, without building 80,000 model instances)."""

    document: IncomingDocument
    at: dt.datetime
    action: str
    actor_label: str
    note: str = ""
    officer_id: int | None = None


@dataclass
class _Entry:
    document: IncomingDocument
    officer_id: int | None


class _Builder:
    def __init__(self, *, province: Unit, today: dt.date, rng: random.Random):
        self.province, self.today, self.rng = province, today, rng
        self.types = {t.abbreviation: t for t in DocumentType.objects.all()}
        self.officers: dict[int, list[int]] = defaultdict(list)
        rows = Officer.objects.filter(unit__path__startswith=province.path, is_active=True).values_list("unit", "pk")
        for unit_id, officer_id in rows:
            self.officers[unit_id].append(officer_id)
        self.names = dict(Officer.objects.filter(unit__path__startswith=province.path).values_list("pk", "full_name"))
        self.issuer_numbers: dict[tuple[str, int], int] = defaultdict(int)

    def _issuer(self, unit: Unit) -> tuple[str, tuple[str, ...], str]:
        if unit.pk != self.province.pk and self.rng.random() < 0.45:
            ours: tuple[str, ...] = (self.province.symbol or "CAT", self.rng.choice(PROVINCE_DEPARTMENTS))
            return self.province.name, ours, self.rng.choice(PROVINCE_TYPES)
        name, theirs, types = self.rng.choice(ISSUERS)
        return name, theirs, self.rng.choice(types)

    def entry(self, unit: Unit, received_on: dt.date, clerk_id: int | None, urgency: int | None = None) -> _Entry:
        rng = self.rng
        issuer, groups, abbreviation = self._issuer(unit)
        document_type = self.types.get(abbreviation) or self.types[""]
        issued_on = received_on - dt.timedelta(days=rng.choice((0, 1, 1, 2, 3, 5)))
        key = (issuer, issued_on.year)
        self.issuer_numbers[key] += rng.randint(1, 40)
        number = self.issuer_numbers[key]
        notation = notation_of(document_type.abbreviation, groups)
        subject = rng.choice(SUBJECTS.get(abbreviation, SUBJECTS[""]))
        if abbreviation in ("BC", "TB"):
            subject = f"{subject} {issued_on.month}/{issued_on.year}"
        drawn = rng.choices([u for u, _w in URGENCIES], weights=[w for _u, w in URGENCIES])[0]
        urgency = drawn if urgency is None else urgency
        classification = Classification.NORMAL
        if unit.kind != Unit.Kind.WARD and rng.random() < 0.03:
            classification = Classification.SECRET if rng.random() < 0.85 else Classification.TOP_SECRET
            subject = "Về công tác nghiệp vụ (văn bản mật)"
        officers = self.officers.get(unit.pk, [])
        officer_id = rng.choice(officers) if officers else None
        arrived = timezone.make_aware(dt.datetime.combine(received_on, dt.time(7, 30))) + dt.timedelta(
            minutes=rng.randint(0, 540)
        )
        age = (self.today - received_on).days
        handed = arrived + dt.timedelta(minutes=rng.randint(5, 240)) if age > 0 or rng.random() < 0.5 else None
        acknowledged = None
        fresh_and_urgent = age <= 2 and urgency > Urgency.NORMAL
        if handed is not None and officer_id is not None and not fresh_and_urgent and (age > 2 or rng.random() < 0.4):
            acknowledged = handed + dt.timedelta(minutes=rng.randint(10, 600))
        number_symbol_text = f"{number:02d}/{notation}"
        document = IncomingDocument(
            unit=unit,
            status=IncomingDocument.Status.REGISTERED,
            channel=rng.choice((IncomingDocument.Channel.PAPER, IncomingDocument.Channel.ELECTRONIC)),
            received_on=received_on,
            year=received_on.year,
            secret=classification > 0,
            issuer_name=issuer,
            number=number,
            notation=notation,
            issued_on=issued_on,
            document_type=document_type,
            subject=subject,
            urgency=urgency,
            classification=classification,
            recipient_unit=unit if handed else None,
            recipient_officer_id=officer_id if handed else None,
            handed_at=handed,
            acknowledged_by_id=officer_id if acknowledged else None,
            acknowledged_at=acknowledged,
            registered_at=arrived,
            registered_by_id=clerk_id,
            created_at=arrived,
            updated_at=arrived,
            issuer_folded=fold(issuer)[:200],
            search_folded=fold(f"{subject} {issuer} {number_symbol_text}"),
        )
        return _Entry(document=document, officer_id=officer_id)


def _events(entry: _Entry, clerk_label: str, names: dict[int, str], clerk_id: int | None) -> list[_Step]:
    document = entry.document
    at = document.registered_at or timezone.now()
    events = [
        _Step(document=document, at=at, action="receive", actor_label=clerk_label, officer_id=clerk_id),
    ]
    if document.is_registered:
        events.append(
            _Step(
                document=document,
                at=at,
                action="register",
                note=f"Số đến {document.arrival_number:02d}",
                actor_label=clerk_label,
                officer_id=clerk_id,
            )
        )
    if document.handed_at:
        who = names.get(document.recipient_officer_id or 0, "")
        events.append(
            _Step(
                document=document,
                at=document.handed_at,
                action="hand_over",
                note=" — ".join(part for part in (document.unit.name, who) if part),
                actor_label=clerk_label,
                officer_id=clerk_id,
            )
        )
    if document.acknowledged_at and document.acknowledged_by_id:
        events.append(
            _Step(
                document=document,
                at=document.acknowledged_at,
                action="acknowledge",
                actor_label=names.get(document.acknowledged_by_id, ""),
                officer_id=document.acknowledged_by_id,
            )
        )
    return events


def _units(province: Unit) -> tuple[list[Unit], Unit | None, Officer | None]:
    units = list(
        Unit.objects.filter(path__startswith=province.path, active=True)
        .filter(kind__in=(Unit.Kind.PROVINCE, Unit.Kind.DEPARTMENT, *COMMUNE_KINDS))
        .order_by("path")
    )
    clerk = Officer.objects.filter(username=DEMO_CLERK, unit__path__startswith=province.path).first()
    focus = clerk.unit if clerk and clerk.unit_id else None
    return units, focus, clerk


def demo_build_documents(
    *,
    province: Unit,
    documents: int | None = None,
    residents: int = 0,
    seed: str = "congan-demo",
    today: dt.date | None = None,
    **_options: Any,
) -> dict[str, int]:
    if documents is None:
        documents = default_documents(residents)
    with transaction.atomic():
        load_types(DocumentType)
        created = {"symbols": _symbols(province), "incoming_documents": 0, "received": 0}
        if documents > 0 and not IncomingDocument.objects.filter(unit__path__startswith=province.path).exists():
            created.update(_build(province, documents, today or timezone.localdate(), seed))
        if any(created.values()):
            audit_record(actor="system", action="documents.demo.build", unit=province, details=created)
    return created


def _build(province: Unit, count: int, today: dt.date, seed: str) -> dict[str, int]:
    rng = random.Random(f"{seed}:documents")  # noqa: S311 - reproducible demo data
    province.refresh_from_db(fields=["symbol"])
    units, focus, clerk = _units(province)
    if not units:
        return {}
    builder = _Builder(province=province, today=today, rng=rng)
    clerk_id = clerk.pk if clerk else None
    clerk_label = clerk.full_name if clerk else "Văn thư"
    weights = [
        20 if unit == focus else 12 if unit.pk == province.pk else 3 if unit.kind == Unit.Kind.DEPARTMENT else 1
        for unit in units
    ]
    start = today - dt.timedelta(days=364)
    entries: list[_Entry] = []
    if focus is not None:
        # The clerk's last days, whatever the draw: urgent documents nobody has acknowledged yet.
        for index, urgency in enumerate((Urgency.FLASH, Urgency.URGENT, Urgency.NORMAL, Urgency.VERY_URGENT)):
            entries.append(builder.entry(focus, today - dt.timedelta(days=index // 2), clerk_id, urgency=urgency))
    while len(entries) < count:
        unit = rng.choices(units, weights=weights)[0]
        day = start + dt.timedelta(days=int(rng.triangular(0, 364, 300)))
        while day.weekday() == 6:  # nothing arrives on Sundays
            day -= dt.timedelta(days=1)
        entries.append(builder.entry(unit, day, clerk_id if unit == focus else None))
    # Arrival numbers in the order of arrival, per unit, year and register (ordinary, secret).
    entries.sort(key=lambda e: (e.document.registered_at, e.document.issuer_name))
    last: dict[tuple[int, int, bool], int] = defaultdict(int)
    for entry in entries:
        document = entry.document
        key = (document.unit_id, document.received_on.year, document.secret)
        last[key] += 1
        document.arrival_number = last[key]
    received = _received(builder, focus, today) if focus else []
    with transaction.atomic():
        for offset in range(0, len(entries), ROWS_PER_STATEMENT):
            _insert_rows([e.document for e in entries[offset : offset + ROWS_PER_STATEMENT]])
        _insert_rows(received)
        NumberSeries.objects.bulk_create(
            [
                NumberSeries(unit_id=unit_id, year=year, book=NumberSeries.Book.INCOMING, secret=secret, last=number)
                for (unit_id, year, secret), number in last.items()
            ]
        )
        events: list[_Step] = []
        for entry in entries:
            events += _events(entry, clerk_label, builder.names, clerk_id)
        events += [
            _Step(document=document, at=document.created_at, action="receive", actor_label="Hệ thống khác")
            for document in received
        ]
        _insert_events(events)
    return {"incoming_documents": len(entries), "received": len(received)}


# 20,000 entries and 80,000 timeline steps: written by statements built once here rather than by
# bulk_create, whose compiling of every value was most of the demo step's time (decision 0030).
ROWS_PER_STATEMENT = 500  # × ~36 columns, under SQLite's 32,766 parameters


def _columns(model: type[Model]) -> list[Field]:
    meta = model._meta
    return [f for f in meta.concrete_fields if f is not meta.auto_field and not getattr(f, "generated", False)]


def _insert_rows(documents: list[IncomingDocument]) -> None:
    """One multi-row INSERT … RETURNING id for the documents (ids set on them, in order, as
    bulk_create does on both databases)."""
    if not documents:
        return
    fields = _columns(IncomingDocument)
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {quote(IncomingDocument._meta.db_table)} ({', '.join(quote(str(f.column)) for f in fields)}) "  # noqa: S608 - names from the model
        f"VALUES {', '.join([row] * len(documents))} RETURNING {quote('id')}"
    )
    convert = [_converter(f) for f in fields]
    params = [
        to_db(getattr(document, f.attname)) for document in documents for f, to_db in zip(fields, convert, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [pk for (pk,) in cursor.fetchall()]
    for document, pk in zip(documents, ids, strict=True):
        document.pk = pk
        document._state.adding = False


def _converter(field: Field) -> Any:
    """What the ORM's get_db_prep_save does to this column's values, without its per-value cost."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.FileField):
        return lambda value: str(value or "")
    return lambda value: value


def _insert_events(events: list[_Step]) -> None:
    fields = _columns(DocumentEvent)
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(DocumentEvent._meta.db_table)} ({', '.join(quote(str(f.column)) for f in fields)}) "  # noqa: S608 - names from the model
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    adapt = connection.ops.adapt_datetimefield_value
    rows = [
        (event.document.pk, adapt(event.at), event.action, event.note, event.actor_label, event.officer_id)
        for event in events
    ]
    if [f.attname for f in fields] != ["document_id", "at", "action", "note", "actor_label", "officer_id"]:
        raise RuntimeError("DocumentEvent's columns changed: update documents.demo._insert_events")
    with connection.cursor() as cursor:
        for offset in range(0, len(rows), BATCH * 10):
            cursor.executemany(sql, rows[offset : offset + BATCH * 10])


def _received(builder: _Builder, unit: Unit, today: dt.date) -> list[IncomingDocument]:
    """Entries other systems sent to the clerk's commune in the last two days, not registered yet."""
    documents = []
    for index in range(4):
        entry = builder.entry(unit, today - dt.timedelta(days=index % 2), None)
        document = entry.document
        document.status = IncomingDocument.Status.RECEIVED
        document.channel = IncomingDocument.Channel.SYSTEM
        document.classification, document.secret = Classification.NORMAL, False
        document.urgency = Urgency.FLASH if index == 0 else document.urgency
        document.year = document.arrival_number = None
        document.registered_at = document.registered_by_id = None
        document.recipient_unit = document.recipient_officer_id = document.handed_at = None
        document.acknowledged_by_id = document.acknowledged_at = None
        document.client_token, document.key_owner = f"demo-{index}", "client:demo"
        documents.append(document)
    return documents
