"""The incoming register page and the documents dashboard at 1,000,000 entries against 100,000
(PostgreSQL). Target: t(1M) / t(100k) ≤ 2 for each.

The entries are inserted by one set-based statement per million (generate_series), over the last
twelve months and 20 communes of a benchmark province, half of them in the clerk's commune, with
what a real register holds: 3 % classified (the secret series), urgencies as the demo draws them,
everything older than three days handed over and acknowledged, 1 % received and waiting. Then
ANALYZE, and the real pages are timed through Django's test client, logged in as the commune's
clerk (median and fastest of BENCH_REPEATS, default 15):

- the register, /van-ban/den/ with its default filters, first page;
- the register searched without diacritics (``?q=can cuoc``: about 1 % of the entries);
- the dashboard's documents panel and the to-do items (``selectors.incoming_counts``).

Sizes: BENCH_DOCUMENTS_SMALL, BENCH_DOCUMENTS_LARGE. How the large register is larger
(BENCH_DOCUMENTS_HISTORY): ``years`` (the default) keeps the province's daily flow and adds the
earlier years — the small set is one year of entries, the large one the same year after nine
earlier ones, as a register grows in service; ``dense`` puts all the entries into the same twelve
months (ten times the daily flow: a stress case, the figures that grow with a day's work grow).
"""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from bench.pages import page, signed_in, timed_ms
from congan.documents import dashboard
from congan.documents.models import DocumentType, NumberSeries
from congan.documents.types import load_types
from congan.org import roles
from congan.org.models import Clearance, Officer, Unit
from congan.org.services import officer_create, unit_create

PROVINCE_CODE = "BENCH-DOCSCALE"
COMMUNES = 20
SEARCH = "can cuoc"
SUBJECTS = [
    "Về việc tăng cường công tác bảo đảm an ninh, trật tự trên địa bàn",
    "Về việc phối hợp xác minh thông tin cư trú của công dân",
    "Về việc rà soát, cập nhật dữ liệu dân cư",
    "Kế hoạch bảo đảm an ninh, trật tự dịp Tết Nguyên đán",
    "Về việc phòng ngừa lừa đảo chiếm đoạt tài sản qua mạng",
    "Về việc kiểm tra an toàn phòng cháy, chữa cháy tại cơ sở kinh doanh",
    "Thông báo kết luận cuộc họp giao ban công tác tháng",
    "Về việc bảo đảm trật tự an toàn giao thông dịp nghỉ lễ",
]
RARE_SUBJECT = "Về việc đẩy mạnh cấp căn cước và tài khoản định danh điện tử"  # 1 % of the entries
ISSUERS = [
    "Bộ Công an",
    "Ủy ban nhân dân thành phố",
    "Sở Tư pháp",
    "Cục Cảnh sát giao thông",
    "Viện kiểm sát nhân dân thành phố",
]


def _setup() -> tuple[list[int], Officer]:
    load_types(DocumentType)
    province = Unit.objects.filter(code=PROVINCE_CODE).first() or unit_create(
        by="system", code=PROVINCE_CODE, name="Công an tỉnh (benchmark sổ văn bản)", kind=Unit.Kind.PROVINCE
    )
    units = []
    for index in range(COMMUNES):
        code = f"{PROVINCE_CODE}-{index:02d}"
        unit = Unit.objects.filter(code=code).first() or unit_create(
            by="system", code=code, name=f"Công an xã Sổ {index}", kind=Unit.Kind.COMMUNE, parent=province
        )
        units.append(unit.pk)
    username = "bench-docscale-vanthu"
    clerk = Officer.objects.filter(username=username).first() or officer_create(
        by="system",
        username=username,
        full_name="Văn thư Benchmark",
        unit=Unit.objects.get(pk=units[0]),
        roles=[roles.CLERK],
        clearance=Clearance.SECRET,
    )
    return units, clerk


def _insert(first: int, last: int, units: list[int], clerk: Officer, *, before: int = 0, days: int = 365) -> None:
    """Entries first..last, received over ``days`` days ending ``before`` days ago; entry n is in
    the clerk's commune when n is even, else spread."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO documents_incomingdocument (created_at, updated_at, unit_id, status, channel, received_on,
                year, arrival_number, secret, issuer_name, issuer_agency_id, number, notation, issued_on,
                document_type_id, subject, recipient_unit_id, recipient_officer_id, handed_at, acknowledged_by_id,
                acknowledged_at, note, urgency, classification, file, file_name, file_size, file_sha256,
                duplicate_confirmed, registered_at, registered_by_id, client_token, key_owner, issuer_folded,
                search_folded, restricted)
            SELECT t.at, t.at, u.unit, CASE WHEN w.waiting THEN 'received' ELSE 'registered' END, 'paper', t.day,
                CASE WHEN w.waiting THEN NULL ELSE extract(year FROM t.day)::int END,
                CASE WHEN w.waiting THEN NULL ELSE n END, c.secret, s.issuer, '', 1 + n %% 900, 'UBND-NC',
                t.day - 1, %(type)s, s.subject, CASE WHEN t.old THEN u.unit END, NULL,
                CASE WHEN t.old THEN t.at + interval '1 hour' END,
                CASE WHEN t.old THEN %(clerk)s END, CASE WHEN t.old THEN t.at + interval '3 hours' END, '',
                CASE WHEN n %% 100 = 0 THEN 3 WHEN n %% 50 = 1 THEN 2 WHEN n %% 10 = 2 THEN 1 ELSE 0 END,
                CASE WHEN c.secret THEN 1 ELSE 0 END, '', '', NULL, '', false,
                CASE WHEN w.waiting THEN NULL ELSE t.at END, CASE WHEN w.waiting THEN NULL ELSE %(clerk)s END,
                '', '', s.issuer_folded, s.search_folded, false
            FROM generate_series(%(first)s, %(last)s) AS n,
                LATERAL (SELECT CASE WHEN n %% 2 = 0 THEN (%(units)s::bigint[])[1]
                                ELSE (%(units)s::bigint[])[1 + n %% %(nu)s] END AS unit) AS u,
                LATERAL (SELECT (n %% 33 = 5) AS secret) AS c,
                LATERAL (SELECT n %% 100 = 7 AND NOT (n %% 33 = 5) AS waiting) AS w,
                LATERAL (SELECT %(before)s + (n::bigint * 7919 %% %(days)s)::int AS ago) AS a,
                LATERAL (SELECT current_date - a.ago AS day,
                                (current_date - a.ago) + time '08:00' + make_interval(mins => n %% 540) AS at,
                                a.ago > 3 AS old) AS t,
                LATERAL (SELECT (%(issuers)s::text[])[1 + n %% %(ni)s] AS issuer,
                                (%(issuers_folded)s::text[])[1 + n %% %(ni)s] AS issuer_folded,
                                CASE WHEN n %% 100 = 42 THEN %(rare)s
                                     ELSE (%(subjects)s::text[])[1 + n %% %(ns)s] END AS subject,
                                CASE WHEN n %% 100 = 42 THEN %(rare_folded)s
                                     ELSE (%(subjects_folded)s::text[])[1 + n %% %(ns)s] END
                                    || ' ' || (%(issuers_folded)s::text[])[1 + n %% %(ni)s]
                                    || ' ' || (1 + n %% 900) || '/ubnd-nc' AS search_folded) AS s
            """,
            {
                "first": first,
                "last": last,
                "before": before,
                "days": days,
                "units": units,
                "nu": len(units),
                "clerk": clerk.pk,
                "type": DocumentType.objects.get(code="cong-van").pk,
                "issuers": ISSUERS,
                "issuers_folded": [_fold(text) for text in ISSUERS],
                "ni": len(ISSUERS),
                "subjects": SUBJECTS,
                "subjects_folded": [_fold(text) for text in SUBJECTS],
                "ns": len(SUBJECTS),
                "rare": RARE_SUBJECT,
                "rare_folded": _fold(RARE_SUBJECT),
            },
        )
        cursor.execute("ANALYZE documents_incomingdocument")


def _remove(units: list[int]) -> None:
    """The benchmark's entries, by one statement: they have no timeline or access rows, and the
    ORM's delete would load a million of them to look for some."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM documents_incomingdocument WHERE unit_id = ANY(%s)", [units])


def _fold(text: str) -> str:
    from congan.core.text import fold

    return fold(text)


def _measure(size: int, client: Client, clerk: Officer, repeats: int) -> dict[str, tuple[float, float]]:
    register = reverse("documents:register")
    figures = {
        "register": timed_ms(page(client, register), repeats),
        "search": timed_ms(page(client, f"{register}?q={SEARCH.replace(' ', '+')}"), repeats),
        "dashboard": timed_ms(
            lambda: (dashboard.documents_panel(clerk), dashboard.documents_attention(clerk)), repeats
        ),
    }
    shown = "   ".join(
        f"{label} {figures[name][0]:6.1f} ms (fastest {figures[name][1]:6.1f})"
        for name, label in (("register", "register page"), ("search", f"search '{SEARCH}'"), ("dashboard", "dashboard"))
    )
    print(f"  {size:>9,} entries: {shown}")
    return figures


def run() -> int:
    if connection.vendor != "postgresql":
        print("documents scale: skipped (needs PostgreSQL: make bench)")
        return 0
    small = int(os.environ.get("BENCH_DOCUMENTS_SMALL", 100_000))
    large = int(os.environ.get("BENCH_DOCUMENTS_LARGE", 1_000_000))
    repeats = int(os.environ.get("BENCH_REPEATS", 15))
    units, clerk = _setup()
    _remove(units)
    NumberSeries.objects.filter(unit_id__in=units).delete()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # Pages without collectstatic's manifest (the benchmark times the view, not static files).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    client = signed_in(clerk)
    history = os.environ.get("BENCH_DOCUMENTS_HISTORY", "years")
    print(
        f"documents scale: {small:,} then {large:,} entries in {COMMUNES} communes ({history}), "
        f"median of {repeats} runs"
    )
    started = time.perf_counter()
    _insert(1, small, units, clerk)
    print(f"  loaded {small:,} entries in {time.perf_counter() - started:.1f} s")
    before = _measure(small, client, clerk, repeats)
    started = time.perf_counter()
    dense = os.environ.get("BENCH_DOCUMENTS_HISTORY", "years") == "dense"
    # "years": the same daily flow over as many earlier years as the larger size needs.
    earlier_years = max(1, round((large - small) / small))
    for first in range(small + 1, large + 1, 1_000_000):
        last = min(first + 999_999, large)
        if dense:
            _insert(first, last, units, clerk)
        else:
            _insert(first, last, units, clerk, before=365, days=365 * earlier_years)
    print(f"  loaded {large - small:,} more entries in {time.perf_counter() - started:.1f} s")
    after = _measure(large, client, clerk, repeats)
    status = 0
    for name, label in (("register", "register page"), ("search", "search"), ("dashboard", "dashboard figures")):
        ratio = after[name][0] / before[name][0]
        fastest = after[name][1] / before[name][1]
        print(
            f"  ratio {label}: {ratio:.2f} of the medians (target ≤ 2: {'met' if ratio <= 2 else 'NOT met'}), "
            f"{fastest:.2f} of the fastest"
        )
    _remove(units)
    return status
