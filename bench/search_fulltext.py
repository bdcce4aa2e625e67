"""The full-text search endpoint at 1,000,000 index entries against pgbench running the same
full-text query on the same table, in the same run (issue 19, benchmark 2).

PostgreSQL only (SQLite is skipped). BENCH_SEARCH_ENTRIES (default 1,000,000) incoming documents of
a benchmark province (20 communes) are inserted by set-based statements, with their index entries
(title: number, symbol and abstract; file text: three generated sentences of administrative
Vietnamese, about 60 words), folded as the index folds (checked on a sample); 0.5 % of them
restricted to another officer. Then, for BENCH_SECONDS (default 20) each, at 8 connections, for two
queries typed without diacritics — what the documents are about and where (``ra soat cu tru hoa
khanh``, about 0.1 % of the entries), and a broad one for the record (``phong chay hoa khanh``,
about 1.3 %):

- baseline: pgbench running the search's own full-text query (match, the viewer's filters, rank,
  order, first page of 20), composed by the service for the benchmark officer (a province officer:
  21 units in scope);
- endpoint: wrk GETting /api/v1/search?q=… as that officer (session cookie, second factor passed),
  through the production server (`congan serve`: granian): authentication, the query with its
  count, snippets, the module's check of the page and the audit event, as in production.

Target (first query): requests/s ÷ pgbench queries/s ≥ 0.10 with p99 ≤ 100 ms and zero errors.
A second run on the same DATABASE_URL finds the rows and skips the load.
"""

from __future__ import annotations

import os
import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection

from bench.server import ensure_wrk, free_port, run_pgbench, run_wrk, start_server
from congan.documents.models import DocumentType
from congan.documents.types import load_types
from congan.org import roles
from congan.org.models import Officer, Unit
from congan.org.services import officer_create, unit_create
from congan.search import engines, providers
from congan.search.query import parse
from congan.search.selectors import visible_entries
from congan.search.text import fold_aligned

PROVINCE_CODE = "BENCH-SEARCH"
COMMUNES = 20
CONNECTIONS = 8
# Typed without diacritics, as officers do: what the documents are about and where (about 0.1 % of the
# entries match), and, for the record, a broad one (about 1.3 %: every match is ranked before the page).
QUERY = "ra soat cu tru hoa khanh"
BROAD = "phong chay hoa khanh"
ACTIONS = [
    "tăng cường",
    "triển khai",
    "kiểm tra",
    "phối hợp",
    "báo cáo kết quả",
    "đẩy mạnh",
    "hướng dẫn",
    "tổ chức",
    "rà soát",
    "chấn chỉnh",
    "bảo đảm",
    "xử lý",
]
TOPICS = [
    "công tác phòng cháy, chữa cháy",
    "an ninh, trật tự trên địa bàn",
    "cấp căn cước cho công dân",
    "quản lý cư trú",
    "phòng, chống ma túy",
    "trật tự an toàn giao thông",
    "phòng ngừa lừa đảo qua mạng",
    "quản lý vũ khí, vật liệu nổ",
    "tuần tra kiểm soát ban đêm",
    "tiếp công dân, giải quyết khiếu nại",
    "định danh và xác thực điện tử",
    "phòng, chống tội phạm trộm cắp tài sản",
    "bảo vệ bí mật nhà nước",
    "phòng, chống đuối nước",
    "quản lý cơ sở kinh doanh có điều kiện",
    "xử lý vi phạm hành chính",
    "phòng, chống bạo lực gia đình",
    "tổng kiểm tra cư trú",
    "bảo vệ lễ hội",
    "huấn luyện điều lệnh",
]
PLACES = [
    "phường Hải Châu",
    "phường Thanh Khê",
    "phường Sơn Trà",
    "phường Ngũ Hành Sơn",
    "phường Liên Chiểu",
    "phường Cẩm Lệ",
    "phường Hòa Khánh",
    "phường Hòa Cường",
    "phường An Hải",
    "phường Hòa Xuân",
    "xã Hòa Vang",
    "xã Bà Nà",
    "xã Hòa Tiến",
    "xã Hòa Phước",
    "đặc khu Hoàng Sa",
    "phường Tam Kỳ",
    "phường Hội An",
    "xã Điện Bàn",
    "xã Duy Xuyên",
    "xã Núi Thành",
    "phường Điện Bàn Bắc",
    "xã Thăng Bình",
    "xã Quế Sơn",
]
OPENINGS = [
    "Thực hiện chỉ đạo của Giám đốc Công an thành phố,",
    "Căn cứ kế hoạch công tác năm của đơn vị,",
    "Qua công tác nắm tình hình trên địa bàn,",
    "Theo đề nghị của Ủy ban nhân dân cấp xã,",
    "Để chủ động phòng ngừa, đấu tranh với các loại tội phạm,",
    "Căn cứ kết quả kiểm tra định kỳ,",
    "Thực hiện Chỉ thị của Bộ Công an,",
    "Trước diễn biến phức tạp của tình hình,",
    "Nhằm nâng cao hiệu quả quản lý nhà nước,",
    "Theo báo cáo của các đội nghiệp vụ,",
    "Thực hiện Đề án 06 của Chính phủ,",
    "Căn cứ Luật Công an nhân dân,",
    "Để bảo đảm an toàn cho nhân dân,",
    "Qua tiếp nhận tin báo của quần chúng,",
    "Theo kết quả rà soát dữ liệu dân cư,",
    "Thực hiện nhiệm vụ được giao,",
    "Căn cứ quy chế phối hợp giữa các lực lượng,",
]
MIDDLES = [
    "đơn vị đã bố trí lực lượng thường trực, tuần tra, kiểm soát tại các khu vực trọng điểm",
    "các tổ công tác đã tiếp nhận, xác minh và xử lý kịp thời các vụ việc phát sinh",
    "cán bộ chiến sĩ đã phối hợp với chính quyền địa phương tuyên truyền cho người dân",
    "đã kiểm tra các cơ sở kinh doanh, phát hiện và yêu cầu khắc phục các thiếu sót",
    "đã cập nhật thông tin cư trú, cấp định danh điện tử mức độ hai cho công dân",
    "đã lập biên bản, xử phạt vi phạm hành chính theo đúng quy định",
    "đã thu giữ tang vật, phương tiện và chuyển cơ quan điều tra xử lý",
    "đã tổ chức diễn tập phương án chữa cháy và cứu nạn, cứu hộ",
    "đã vận động người dân giao nộp vũ khí, vật liệu nổ, công cụ hỗ trợ",
    "đã tiếp công dân, tiếp nhận đơn thư và hướng dẫn giải quyết theo thẩm quyền",
    "đã rà soát đối tượng có biểu hiện nghi vấn, lập hồ sơ quản lý",
    "đã phối hợp với ngân hàng, nhà mạng ngăn chặn các giao dịch lừa đảo",
    "đã bố trí camera giám sát và kết nối với trung tâm chỉ huy",
    "đã tổ chức ký cam kết bảo đảm an toàn phòng cháy tại các hộ gia đình",
    "đã kiểm tra hành chính các phương tiện, nhắc nhở người vi phạm",
    "đã tập huấn nghiệp vụ cho lực lượng bảo vệ dân phố",
    "đã lấy lời khai những người liên quan và củng cố hồ sơ",
    "đã phối hợp với lực lượng quân sự bảo vệ mục tiêu",
    "đã cấp phát tài liệu hướng dẫn cho các tổ dân phố",
]
CLOSINGS = [
    "Đề nghị các đơn vị nghiêm túc triển khai thực hiện.",
    "Kết quả báo cáo về Văn phòng trước ngày 25 hằng tháng.",
    "Trong quá trình thực hiện, nếu có vướng mắc báo cáo để được hướng dẫn.",
    "Giao Đội Tham mưu theo dõi, đôn đốc thực hiện.",
    "Văn bản này có hiệu lực kể từ ngày ký.",
    "Yêu cầu thủ trưởng các đơn vị chịu trách nhiệm tổ chức thực hiện.",
    "Các đơn vị tổng hợp kết quả, báo cáo theo định kỳ.",
    "Đề nghị Ủy ban nhân dân xã quan tâm, phối hợp.",
    "Mọi vướng mắc liên hệ Đội Cảnh sát quản lý hành chính.",
    "Trân trọng đề nghị các cơ quan, đơn vị phối hợp thực hiện.",
    "Báo cáo Giám đốc Công an thành phố để theo dõi, chỉ đạo.",
]
ISSUERS = [
    "Ủy ban nhân dân thành phố",
    "Bộ Công an",
    "Cục Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ",
    "Sở Tư pháp",
    "Viện kiểm sát nhân dân thành phố",
]


def _arrays() -> dict[str, list[str]]:
    """Each text with its folded form: composing the two with the same separators keeps them aligned."""
    subjects = [f"Về việc {action} {topic} tại {place}" for action in ACTIONS for topic in TOPICS for place in PLACES]
    named = {
        "subjects": subjects,
        "openings": OPENINGS,
        "middles": MIDDLES,
        "closings": CLOSINGS,
        "issuers": ISSUERS,
    }
    arrays = {}
    for name, texts in named.items():
        arrays[name] = texts
        arrays[f"{name}_folded"] = [fold_aligned(text) for text in texts]
    return arrays


def _setup() -> tuple[list[int], Officer, Officer]:
    load_types(DocumentType)
    province = Unit.objects.filter(code=PROVINCE_CODE).first() or unit_create(
        by="system", code=PROVINCE_CODE, name="Công an tỉnh (benchmark tìm kiếm)", kind=Unit.Kind.PROVINCE
    )
    units = []
    for index in range(COMMUNES):
        code = f"{PROVINCE_CODE}-{index:02d}"
        unit = Unit.objects.filter(code=code).first() or unit_create(
            by="system", code=code, name=f"Công an xã Tìm kiếm {index}", kind=Unit.Kind.COMMUNE, parent=province
        )
        units.append(unit.pk)
    officers = []
    for username, unit in (("bench-search-lanhdao", province), ("bench-search-other", Unit.objects.get(pk=units[0]))):
        officers.append(
            Officer.objects.filter(username=username).first()
            or officer_create(
                by="system",
                username=username,
                full_name="Cán bộ Benchmark Tìm kiếm",
                unit=unit,
                roles=[roles.SPECIALIST],
            )
        )
    return units, officers[0], officers[1]


def _load(count: int, units: list[int], clerk: Officer, other: Officer) -> None:
    """Documents 1..count of the province's communes with their index entries (skipped when there)."""
    unit_ids = list(units)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM search_entry WHERE kind = 'documents.incoming' AND unit_id = ANY(%s)", [unit_ids]
        )
        if cursor.fetchone()[0] >= count:
            return
        cursor.execute("DELETE FROM search_entry WHERE unit_id = ANY(%s)", [unit_ids])
        cursor.execute("DELETE FROM documents_incomingdocument WHERE unit_id = ANY(%s)", [unit_ids])
        arrays = _arrays()
        params: dict[str, Any] = {
            **arrays,
            "count": count,
            "units": unit_ids,
            "nu": len(unit_ids),
            "clerk": clerk.pk,
            "type": DocumentType.objects.get(code="cong-van").pk,
            "ns": len(arrays["subjects"]),
            "no": len(OPENINGS),
            "nm": len(MIDDLES),
            "nc": len(CLOSINGS),
            "ni": len(ISSUERS),
        }
        # n picks the subject, the sentences and the issuer with different strides, so that each
        # combination is about as common as chance makes it.
        cursor.execute(
            """
            CREATE TEMPORARY TABLE bench_search_rows AS
            SELECT n,
                (%(units)s::bigint[])[1 + n %% %(nu)s] AS unit,
                current_date - (n * 7919 %% 730)::int AS day,
                1 + (n / %(nu)s) %% 100000 AS number,
                (%(subjects)s::text[])[1 + (n * 7 + n / 11) %% %(ns)s] AS subject,
                (%(subjects_folded)s::text[])[1 + (n * 7 + n / 11) %% %(ns)s] AS subject_folded,
                (%(issuers)s::text[])[1 + n %% %(ni)s] AS issuer,
                (%(issuers_folded)s::text[])[1 + n %% %(ni)s] AS issuer_folded,
                (%(openings)s::text[])[1 + n %% %(no)s] || ' ' || (%(middles)s::text[])[1 + (n / 3) %% %(nm)s]
                    || '. ' || (%(closings)s::text[])[1 + (n / 7) %% %(nc)s] AS content,
                (%(openings_folded)s::text[])[1 + n %% %(no)s] || ' '
                    || (%(middles_folded)s::text[])[1 + (n / 3) %% %(nm)s] || '  '
                    || (%(closings_folded)s::text[])[1 + (n / 7) %% %(nc)s] AS content_folded,
                n %% 200 = 3 AS restricted
            FROM generate_series(1::bigint, %(count)s::bigint) AS n
            """,
            params,
        )
        cursor.execute(
            """
            INSERT INTO documents_incomingdocument (created_at, updated_at, unit_id, status, channel, received_on,
                year, arrival_number, secret, issuer_name, issuer_agency_id, number, notation, issued_on,
                document_type_id, subject, note, urgency, classification, file, file_name, file_sha256,
                duplicate_confirmed, registered_at, registered_by_id, client_token, key_owner, issuer_folded,
                search_folded, restricted)
            SELECT now(), now(), unit, 'registered', 'paper', day, extract(year FROM day)::int, n, false, issuer, '',
                number, 'UBND-NC', day - 1, %(type)s, subject, '', 0, 0, '', '', '', false, now(), %(clerk)s, '',
                '', issuer_folded, subject_folded, restricted
            FROM bench_search_rows ORDER BY n
            """,
            params,
        )
        cursor.execute("DROP INDEX IF EXISTS search_entry_document")
        cursor.execute("DROP INDEX IF EXISTS search_entry_title_trgm")
        cursor.execute(
            """
            INSERT INTO search_entry (kind, source_id, unit_id, day, type_code, type_label, title, subtitle, body,
                content, title_folded, body_folded, content_folded, content_sha256, url_name, restricted, updated_at)
            SELECT 'documents.incoming', d.id, r.unit, r.day, 'cong-van', 'Công văn',
                r.number || '/UBND-NC · ' || r.subject, r.issuer, r.issuer, r.content,
                r.number || ' ubnd nc   ' || r.subject_folded, r.issuer_folded, r.content_folded,
                md5(r.n::text), 'documents:incoming', r.restricted, now()
            FROM bench_search_rows r
            JOIN documents_incomingdocument d ON d.unit_id = r.unit AND d.arrival_number = r.n
            """,
        )
        cursor.execute(
            """
            INSERT INTO documents_incomingdocument_allowed_officers (incomingdocument_id, officer_id)
            SELECT id, %s FROM documents_incomingdocument WHERE restricted AND unit_id = ANY(%s)
            """,
            [other.pk, unit_ids],
        )
        cursor.execute(
            """
            INSERT INTO search_grant (entry_id, officer_id, permission)
            SELECT e.id, %s, '' FROM search_entry e WHERE e.restricted AND e.unit_id = ANY(%s)
            """,
            [other.pk, unit_ids],
        )
        cursor.execute("CREATE INDEX search_entry_document ON search_entry USING gin (document)")
        cursor.execute("CREATE INDEX search_entry_title_trgm ON search_entry USING gin (title_folded gin_trgm_ops)")
        cursor.execute("DROP TABLE bench_search_rows")
        cursor.execute("ANALYZE documents_incomingdocument")
        cursor.execute("ANALYZE search_entry")
        cursor.execute("ANALYZE search_grant")


def _check_folding(units: list[int]) -> None:
    """The set-based rows are folded as the index folds (a sample)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title, title_folded, content, content_folded FROM search_entry WHERE unit_id = ANY(%s) LIMIT 200",
            [units],
        )
        for title, title_folded, content, content_folded in cursor.fetchall():
            if fold_aligned(title) != title_folded or fold_aligned(content) != content_folded:
                raise RuntimeError(f"benchmark rows not folded as the index folds: {title!r}")


def _signed_in_cookie(officer: Officer) -> str:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=officer, confirmed=True).first() or TOTPDevice.objects.create(
        user=officer, name="bench", confirmed=True
    )
    client = Client()
    client.force_login(officer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _service_sql(officer: Officer, query: str) -> str:
    """The search's own full-text query for this officer: match, filters, rank, order, first page."""
    entries = visible_entries(viewer=officer, kinds=providers.kinds_for(officer))
    ranked = engines.ranked(entries, parse(query)).values("id", "kind", "source_id", "url_name", "subtitle")[:20]
    sql, params = ranked.query.sql_with_params()
    operations: Any = connection.ops  # PostgreSQL's operations have compose_sql
    return str(operations.compose_sql(sql, params))


def _matches(officer: Officer, query: str) -> int:
    entries = visible_entries(viewer=officer, kinds=providers.kinds_for(officer))
    return engines.matching(entries, parse(query)).count()


def _measure(wrk: str, port: int, officer: Officer, cookie: str, query: str, seconds: int) -> tuple[float, dict]:
    baseline = run_pgbench(_service_sql(officer, query) + ";\n", connections=CONNECTIONS, seconds=seconds)
    measured = run_wrk(
        wrk,
        script="search_fulltext.lua",
        path="/api/v1/search?" + urlencode({"q": query}),
        port=port,
        seconds=seconds,
        connections=CONNECTIONS,
        env={"BENCH_COOKIE": cookie},
    )
    return baseline, measured


def run() -> int:
    if connection.vendor != "postgresql":
        print("search full text: skipped (needs PostgreSQL: make bench)")
        return 0
    count = int(os.environ.get("BENCH_SEARCH_ENTRIES", 1_000_000))
    seconds = int(os.environ.get("BENCH_SECONDS", 20))
    print(f"full-text search: {count:,} index entries, {CONNECTIONS} connections, {seconds} s per measurement")
    started = time.perf_counter()
    units, officer, other = _setup()
    _load(count, units, officer, other)
    _check_folding(units)
    cookie = _signed_in_cookie(officer)
    print(f"  prepared in {time.perf_counter() - started:.1f} s")
    wrk = ensure_wrk()
    port = free_port()
    server = start_server(port)
    status = 0
    try:
        for query, target in ((QUERY, True), (BROAD, False)):
            print(f"  '{query}': {_matches(officer, query):,} matching entries")
            baseline, measured = _measure(wrk, port, officer, cookie, query, seconds)
            status |= _report(baseline, measured, target=target)
    finally:
        server.terminate()
        server.wait(timeout=60)
    return status


def _report(baseline: float, measured: dict, *, target: bool) -> int:
    rate = measured["requests"] / (measured["duration_us"] / 1e6)
    errors = measured["non2xx"] + measured["socket_errors"]
    p50, p99 = measured["p50_us"] / 1000, measured["p99_us"] / 1000
    print(
        f"    baseline: pgbench, the search's full-text query (first page) {baseline:>9,.1f} queries/s  "
        f"(mean latency {CONNECTIONS / baseline * 1000:.1f} ms)"
    )
    print(
        f"    GET /api/v1/search (session, scope, count, snippets, audit) {rate:>9,.1f} requests/s  "
        f"p50 {p50:.1f} ms  p99 {p99:.1f} ms  errors {errors}"
    )
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    if target:
        met = rate / baseline >= 0.10 and p99 <= 100 and errors == 0
        verdict = f"target ≥ 0.10 with p99 ≤ 100 ms and zero errors: {'met' if met else 'NOT met'}"
    else:
        verdict = "for the record, no target"
    print(f"    ratio: {rate / baseline:.3f} of the baseline ({verdict}); load average {load}")
    return 0 if errors == 0 else 1
