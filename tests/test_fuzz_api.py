"""Property-based fuzzing of the whole API with schemathesis against a live server, through both
transports: Django (every operation in /api/v1/openapi.json) and the fast lane (the operations it
serves, congan.core.fastlane).

Every check schemathesis has runs over every operation (server errors, status codes, content types,
headers and bodies against the document, schema-invalid input refused, schema-valid input accepted,
authentication enforced…), each operation with the credentials its security declares: a signed-in
officer who sees every unit, a partner key holding every scope, a citizen's bearer token. A run
ends with zero failures or the test fails with schemathesis's report.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.middleware.csrf import CSRF_SESSION_KEY
from django.test import Client
from django.utils.crypto import get_random_string
from pytest_django.live_server_helper import LiveServer

from congan.core import apikeys, fastlane
from congan.core.models import ApiClient
from congan.documents.models import DocumentType
from congan.documents.types import load_types
from congan.org.tests.factories import OfficerFactory, TrainingCourseFactory, UnitFactory
from congan.population import accounts
from congan.population.models import CitizenAccount
from congan.population.tests.factories import ResidentFactory

pytestmark = [pytest.mark.fuzz, pytest.mark.slow]

SEED = 20240501
MAX_EXAMPLES = 25
OFFICER_PERMISSIONS = [
    ("org", "view_all_units"),
    ("org", "view_unit"),
    ("org", "view_officer"),
    ("org", "view_trainingcourse"),
    ("eservices", "view_dossier"),
    ("eservices", "receive_dossier"),
    ("eservices", "process_dossier"),
    ("eservices", "decide_dossier"),
    ("incidents", "view_report"),
    ("incidents", "triage_report"),
    ("incidents", "dispatch_report"),
    ("alerts", "view_alert"),
    ("alerts", "compose_alert"),
    ("alerts", "approve_alert"),
    ("traffic", "view_camera"),
    ("traffic", "view_violationevent"),
    ("traffic", "review_violationevent"),
    ("traffic", "issue_notice"),
    ("traffic", "resolve_violationevent"),
    ("documents", "view_incomingdocument"),
    ("documents", "add_incomingdocument"),
    ("documents", "view_outgoingdocument"),
    ("documents", "issue_outgoingdocument"),
    ("documents", "recall_outgoingdocument"),
]


def _schemathesis() -> list[str]:
    console_script = Path(sys.executable).with_name("st")
    if console_script.exists():
        return [str(console_script)]
    found = shutil.which("st")
    assert found, "schemathesis is not installed (make install-dev)"
    return [found]


@pytest.fixture
def fuzz_credentials(transactional_db, settings) -> dict[str, str]:
    """The credentials of each security scheme in the document."""
    # The CSRF secret lives in the session, so the session cookie is all the officer's cookies:
    # schemathesis sends the cookie of the OfficerSession scheme and the token in X-CSRFToken.
    settings.CSRF_USE_SESSIONS = True
    province = UnitFactory(kind="province", code="CA48", name="Công an thành phố Đà Nẵng", area_code="48")
    ward = UnitFactory(parent=province, kind="ward", code="CAP20194", name="Công an phường Hải Vân", area_code="20194")
    TrainingCourseFactory(unit=ward)
    load_types(DocumentType)  # the data migration's rows, gone with the flushed tables
    officer = OfficerFactory(unit=province)
    for app_label, codename in OFFICER_PERMISSIONS:
        officer.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    OfficerFactory(unit=ward)

    client = Client()
    client.force_login(officer)
    csrf = get_random_string(32)
    session = client.session
    session[CSRF_SESSION_KEY] = csrf
    session.save()

    partner = ApiClient.objects.create(name="Đối tác kiểm thử")
    issued = apikeys.api_key_issue(
        by=officer,
        client=partner,
        name="fuzz",
        scopes=sorted(apikeys.SCOPES),
        rate_limit_per_minute=100_000,
    )
    citizen = CitizenAccount.objects.create(
        resident=ResidentFactory(unit=ward), phone="0905111222", password="!", level=2
    )
    return {
        "session_id": session.session_key,
        "csrf": csrf,
        "api_key": issued.raw,
        "citizen_token": accounts.citizen_token_issue(citizen),
    }


@pytest.fixture
def lane_server(transactional_db, settings) -> Iterator[LiveServer]:
    """A live server with the fast lane in front of Django, as ``congan serve`` mounts it."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    server = LiveServer("localhost", start=False)
    server.thread.static_handler = lambda app: fastlane.FastLane(StaticFilesHandler(app))
    server.start()
    yield server
    server.stop()


def _document() -> dict:
    return Client().get("/api/v1/openapi.json").json()


def _operation_ids(document: dict) -> list[str]:
    return sorted(
        operation["operationId"]
        for item in document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    )


def _lane_operation_ids() -> list[str]:
    return sorted(found.operation_id for found in fastlane.routes().values())


def _toml(value: object) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(key)} = {_toml(item)}" for key, item in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return json.dumps(value)


# Input checked against the database, across fields or by its content, which a JSON Schema cannot
# say: a request the document calls valid may still be refused with 422 there. Each operation states
# the rule in its description; everything else about these operations is checked as for the others.
CHECKED_BEYOND_THE_SCHEMA = {
    # commune codes that exist; an expiry after the onset
    "congan_alerts_api_create_draft": "commune codes exist, expires after onset",
    "congan_alerts_api_update_draft": "commune codes exist, expires after onset",
    # a phone number or an e-mail address as the channel says; a push service on the allow-list
    "congan_alerts_api_subscribe": "recipient by channel",
    "congan_alerts_api_confirm_subscription": "recipient by channel",
    "congan_alerts_api_subscribe_push": "push service allow-list, browser keys",
    # a procedure that exists, its form's fields; a client token in the body or the header
    "congan_eservices_api_dossiers_submit_dossier": "procedure and its form",
    # a report kind from GET /report-kinds; a client token in the body or the header
    "congan_incidents_api_submit_report": "report kind, client token",
    # a plate whose province code exists (congan.traffic.plates)
    "congan_traffic_api_violations_lookup": "plate grammar and province codes",
    # a document type and a receiving unit that exist, the symbol grammar, a client token in the body
    # or the header, a PDF file, no file with a classified entry
    "congan_documents_api_receive_incoming_document": "document type, unit, symbol, token, file",
    # an edXML packet (QCVN 102) that parses, carries its mandatory elements, verifies when signed and
    # is addressed to one of our units; a status packet answering a document we exchanged
    "congan_exchange_api_receive_edxml_envelope": "edXML packet content, receiving unit",
    "congan_exchange_api_receive_edxml_status": "edXML status packet content, message it answers",
    # evidence files whose content is a JPEG or PNG image
    "congan_traffic_api_ingest_events": "evidence images",
    # base64 of a readable PDF (congan.signatures)
    "congan_signatures_api_verify_document_signatures": "a readable PDF",
    # a file whose first bytes are a PDF's or a JPEG, PNG or TIFF image's, within the size limit
    "congan_archive_api_create_archive_item": "a PDF or image file",
    # exactly one original, a document of the unit, an extract's pages within it, a colour scan of
    # 200 dpi; units whose codes exist (decision 0031)
    "congan_documents_api_make_document_copy": "one original of the unit, its pages, a colour 200 dpi scan",
    "congan_documents_api_send_document_copy": "unit codes exist",
    # at least one word to look for, quotes balanced (congan.search.query): an empty q is a 422
    "congan_search_api_search_text": "at least one word, balanced quotes",
    # the coverage phase sends the literal "null" as the item's id in these two paths; 422 answers it
    "congan_archive_api_list_archive_pages": "an item id, not 'null'",
    "congan_archive_api_correct_archive_page": "an item id, not 'null'",
}
ACCEPTED_WITH_DATA_CHECKS = ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]


def _config(credentials: dict[str, str], operation_ids: list[str]) -> str:
    lines = [
        f"seed = {SEED}",
        "color = false",
        "continue-on-failure = true",
        "[generation]",
        f"max-examples = {MAX_EXAMPLES}",
        "database = 'none'",
        "[phases]",
        "examples.enabled = true",
        "coverage.enabled = true",
        "fuzzing.enabled = true",
        "stateful.enabled = false",
        "[checks]",
        "enabled = true",
        "[headers]",
        f"X-CSRFToken = {_toml(credentials['csrf'])}",
        "Accept-Language = 'vi'",
        "[auth.openapi.OfficerSession]",
        f"api_key = {_toml(credentials['session_id'])}",
        "[auth.openapi.PartnerKey]",
        f"api_key = {_toml(credentials['api_key'])}",
        "[auth.openapi.CitizenToken]",
        f"bearer = {_toml(credentials['citizen_token'])}",
    ]
    checked = sorted(set(CHECKED_BEYOND_THE_SCHEMA) & set(operation_ids))
    if checked:
        lines += [
            "[[operations]]",
            f"include-operation-id = {_toml(checked)}",
            f"checks.positive_data_acceptance.expected-statuses = {_toml(ACCEPTED_WITH_DATA_CHECKS)}",
        ]
    return "\n".join(lines) + "\n"


def _run_schemathesis(url: str, folder: Path, config: str, operation_ids: list[str]) -> str:
    (folder / "schemathesis.toml").write_text(config, encoding="utf-8")
    command = [
        *_schemathesis(),
        "--config-file",
        str(folder / "schemathesis.toml"),
        "run",
        f"{url}/api/v1/openapi.json",
        "--request-timeout",
        "30",
        *[arg for operation_id in operation_ids for arg in ("--include-operation-id", operation_id)],
    ]
    # Run from an empty directory so no other schemathesis.toml or report folder leaks in or out.
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=1800, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Failures:" not in output, output
    assert re.search(r"(\d+) generated, \1 passed", output), output  # every case passed every check
    tested = re.search(r"Tested:\s+(\d+)", output)
    assert tested and int(tested.group(1)) == len(operation_ids), output
    return output


def _selected(operation_ids: list[str]) -> list[str]:
    """All of them; CONGAN_FUZZ_OPERATIONS (comma-separated ids) narrows a run while working."""
    wanted = [name for name in os.environ.get("CONGAN_FUZZ_OPERATIONS", "").split(",") if name]
    return [name for name in operation_ids if name in wanted] if wanted else operation_ids


def test_every_operation_survives_fuzzing_through_django(live_server, fuzz_credentials, tmp_path):
    document = _document()
    operation_ids = _selected(_operation_ids(document))
    _run_schemathesis(live_server.url, tmp_path, _config(fuzz_credentials, operation_ids), operation_ids)


def test_every_lane_operation_survives_fuzzing_through_the_lane(lane_server, fuzz_credentials, tmp_path):
    document = _document()
    operation_ids = _lane_operation_ids()
    assert set(operation_ids) <= set(_operation_ids(document))
    operation_ids = _selected(operation_ids)
    _run_schemathesis(lane_server.url, tmp_path, _config(fuzz_credentials, operation_ids), operation_ids)
