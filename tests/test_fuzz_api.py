"""Property-based fuzzing of the whole API with schemathesis against a live server.

Every operation in /api/v1/openapi.json is called with generated valid and invalid input, as a
signed-in officer who sees every unit and as a partner key holding every scope. It fails on any
5xx and on any response that does not match the documented schema for its status.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils.crypto import get_random_string

from congan.core import apikeys
from congan.core.models import ApiClient
from congan.org.tests.factories import OfficerFactory, TrainingCourseFactory, UnitFactory

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
]


def _schemathesis() -> list[str]:
    console_script = Path(sys.executable).with_name("st")
    if console_script.exists():
        return [str(console_script)]
    found = shutil.which("st")
    assert found, "schemathesis is not installed (make install-dev)"
    return [found]


@pytest.fixture
def fuzz_credentials(transactional_db) -> dict[str, str]:
    province = UnitFactory(kind="province", code="CA48", name="Công an thành phố Đà Nẵng")
    ward = UnitFactory(parent=province, kind="ward", code="CAP20194", name="Công an phường Hải Vân")
    TrainingCourseFactory(unit=ward)
    officer = OfficerFactory(unit=province)
    for app_label, codename in OFFICER_PERMISSIONS:
        officer.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    OfficerFactory(unit=ward)

    client = Client()
    client.force_login(officer)
    session_id = client.cookies["sessionid"].value

    partner = ApiClient.objects.create(name="Đối tác kiểm thử")
    issued = apikeys.api_key_issue(
        by=officer,
        client=partner,
        name="fuzz",
        scopes=sorted(apikeys.SCOPES),
        rate_limit_per_minute=100_000,
    )
    return {"session_id": session_id, "api_key": issued.raw}


def _operations_for(security_scheme: str) -> list[str]:
    """Operation ids the caller can authenticate to (a partner key only reaches some)."""
    schema = Client().get("/api/v1/openapi.json").json()
    return sorted(
        operation["operationId"]
        for item in schema["paths"].values()
        for operation in item.values()
        if any(security_scheme in requirement for requirement in operation.get("security", []))
    )


# Every warning but "missing test data": ids in paths are random, so most of them are 404s by design.
WARNINGS = "missing_auth,validation_mismatch,base_url_mismatch,missing_deserializer,unused_openapi_auth"
# Payloads checked against the database and across fields (commune codes that exist, an area of at
# least one kind, an expiry after the onset, a plate whose province code exists, a personal ID whose
# digits agree with sex and birth year): random data is mostly refused by design, so these run apart
# with the validation-mismatch warning off; server errors and schema conformance still count.
DATABASE_VALIDATED = {
    "congan_alerts_api_create_draft",
    "congan_alerts_api_update_draft",
    "congan_traffic_api_violations_lookup",
    "congan_population_api_verify_identity",
}


def _run_schemathesis(
    live_server, tmp_path: Path, headers: list[str], operation_ids: list[str], warnings: str = WARNINGS
) -> subprocess.CompletedProcess[str]:
    command = [
        *_schemathesis(),
        "run",
        f"{live_server.url}/api/v1/openapi.json",
        "--checks",
        "not_a_server_error,response_schema_conformance",
        "--seed",
        str(SEED),
        "--max-examples",
        str(MAX_EXAMPLES),
        "--generation-database",
        "none",
        "--phases",
        "examples,coverage,fuzzing",
        *[arg for header in headers for arg in ("--header", header)],
        "--header",
        "Accept-Language: vi",
        "--warnings",
        warnings,
        "--request-timeout",
        "30",
        "--no-color",
        *[arg for operation_id in operation_ids for arg in ("--include-operation-id", operation_id)],
    ]
    # Run from an empty directory so no schemathesis.toml or report folder leaks in or out.
    return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=900, check=False)


@pytest.mark.parametrize(
    ("caller", "security_scheme"), [("officer_session", "OfficerSession"), ("partner_key", "PartnerKey")]
)
def test_api_survives_fuzzing_without_server_errors_or_schema_mismatches(
    live_server, fuzz_credentials, tmp_path, caller, security_scheme
):
    if caller == "officer_session":  # a browser session: the cookie, and the CSRF token its pages carry
        csrf = get_random_string(32)
        headers = [f"Cookie: sessionid={fuzz_credentials['session_id']}; csrftoken={csrf}", f"X-CSRFToken: {csrf}"]
    else:
        headers = [f"X-API-Key: {fuzz_credentials['api_key']}"]
    operation_ids = _operations_for(security_scheme)
    assert operation_ids, f"no operation accepts {security_scheme}"
    apart = sorted(DATABASE_VALIDATED & set(operation_ids))
    runs = [(sorted(set(operation_ids) - DATABASE_VALIDATED), WARNINGS)]
    if apart:
        runs.append((apart, WARNINGS.replace("validation_mismatch,", "")))
    for index, (operations, warnings) in enumerate(runs):
        folder = tmp_path / str(index)
        folder.mkdir()
        result = _run_schemathesis(live_server, folder, headers, operations, warnings)
        output = result.stdout + result.stderr
        assert result.returncode == 0, output
        assert "No issues found" in output, output
        tested = re.search(r"Tested:\s+(\d+)", output)
        assert tested and int(tested.group(1)) == len(operations), output
