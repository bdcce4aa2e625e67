"""OpenAPI schema and the interactive docs, served from vendored assets under our CSP."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest


class _UrlCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[str] = []
        self.style_attributes = 0
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "href"):
            if values.get(name):
                self.urls.append(values[name] or "")
        if "style" in values:
            self.style_attributes += 1
        if tag == "script":
            self._in_script = values

    def handle_data(self, data: str) -> None:
        script = self._in_script
        if script is not None and not script.get("src") and script.get("type") != "application/json" and data.strip():
            self.inline_scripts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None


def _csp(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    return directives


@pytest.mark.django_db
def test_openapi_schema_is_served_with_both_authentications(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Công an số API"
    assert "/api/v1/meta/whoami" in schema["paths"]
    schemes = schema["components"]["securitySchemes"]
    assert schemes["PartnerKey"] == {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    assert schemes["OfficerSession"]["in"] == "cookie"


@pytest.mark.django_db
def test_openapi_documents_the_error_body_for_error_responses(client):
    schema = client.get("/api/v1/openapi.json").json()
    whoami = schema["paths"]["/api/v1/meta/whoami"]["get"]["responses"]
    for status in ("401", "403", "429"):
        ref = whoami[status]["content"]["application/json"]["schema"]["$ref"]
        assert ref == "#/components/schemas/ErrorOut"
    error_out = schema["components"]["schemas"]["ErrorOut"]
    assert set(error_out["required"]) == {"code", "message", "details"}


@pytest.mark.django_db
def test_docs_page_loads_only_local_static_assets(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    parser = _UrlCollector()
    parser.feed(response.content.decode())
    assert parser.urls, "the docs page should load the vendored swagger-ui"
    assert all(url.startswith("/static/") for url in parser.urls), parser.urls
    assert "/static/ninja/swagger-ui-bundle.js" in parser.urls
    assert not re.search(r"https?://", response.content.decode())
    assert parser.inline_scripts == []
    assert parser.style_attributes == 0


@pytest.mark.django_db
def test_docs_page_is_served_under_the_strict_site_policy(client):
    """swagger-ui renders without inline script or style (proved in Chromium below), so the docs
    page needs no relaxation of the site's Content-Security-Policy."""
    docs = _csp(client.get("/api/v1/docs"))
    landing = _csp(client.get("/"))
    assert docs == landing
    assert docs["script-src"] == "'self'"
    assert docs["style-src"] == "'self'"
    assert docs["connect-src"] == "'self'"


@pytest.mark.django_db
def test_every_operation_documents_its_authentication_errors(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            if operation.get("security"):
                assert {"401", "403"} <= set(responses), (method, path)
            if operation.get("parameters"):
                assert "422" in responses, (method, path)
            if any(param["in"] == "path" for param in operation.get("parameters", [])):
                assert "404" in responses, (method, path)
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    assert response["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/ErrorOut"
                    }, (method, path, status)


@pytest.mark.django_db
def test_docs_disable_the_online_spec_validator(client):
    """swagger-ui would otherwise load a badge from validator.swagger.io, outside the intranet."""
    html = client.get("/api/v1/docs").content.decode()
    assert '"validatorUrl": null' in html


@pytest.mark.browser
def test_docs_render_and_try_out_in_chromium_without_csp_violations(live_server, transactional_db):
    from playwright.sync_api import sync_playwright

    violations: list[str] = []
    outside_requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.on("console", lambda msg: violations.append(msg.text) if "Content Security" in msg.text else None)
            page.on(
                "request",
                lambda req: (
                    None if req.url.startswith((live_server.url, "data:")) else outside_requests.append(req.url)
                ),
            )
            page.goto(f"{live_server.url}/api/v1/docs")
            page.wait_for_selector(".swagger-ui .opblock-tag", timeout=15000)
            title = page.locator(".swagger-ui .info .title").inner_text()
            tags = page.locator(".swagger-ui .opblock-tag").all_inner_texts()
            # Try an operation: the answer (a 401 error body) is rendered by swagger-ui's highlighter.
            page.locator(".swagger-ui .opblock-summary").first.click()
            page.locator(".swagger-ui .try-out__btn").first.click()
            page.locator(".swagger-ui .btn.execute").first.click()
            page.wait_for_selector(".swagger-ui .live-responses-table .response-col_description pre", timeout=15000)
            answer = page.locator(".swagger-ui .live-responses-table .response-col_description pre").first.inner_text()
        finally:
            browser.close()
    assert "Công an số API" in title
    assert any("meta" in tag for tag in tags)
    assert "not_authenticated" in answer
    assert violations == []
    assert outside_requests == []
