"""The reusable scope-leak check: no unit-scoped page or API shows one commune's data to another.

How a module takes part (one line per endpoint)
------------------------------------------------
Create ``congan/<app>/tests/scope_endpoints.py`` and register each unit-scoped list and detail
endpoint, pages and API alike::

    from django.urls import reverse

    from congan.core.testing.scope_leak import ScopedEndpoint, register
    from congan.org.tests.factories import TrainingCourseFactory

    register(ScopedEndpoint(
        name="org.training page",
        make=lambda unit: TrainingCourseFactory(unit=unit, topic=f"Lớp tập huấn kiểm tra {unit.code}"),
        marker=lambda course: course.topic,
        list_url=lambda: reverse("org:training_list"),
        detail_url=lambda course: reverse("org:training_detail", args=[course.pk]),
        permissions=(),  # "app_label.codename" beyond the persona's roles, when needed
    ))

Nothing else is needed: ``congan/core/tests/test_scope_leak.py`` discovers every
``congan.<app>.tests.scope_endpoints`` module and runs, for each endpoint:

- ``check_isolation``: one object is made in the viewer's commune and one in another commune;
  the viewer (an officer of the first commune, persona ``officer``) gets the list URL and must
  see the marker of their own object and not the other's; the detail URL of their own object
  answers 200 with its marker, the other's answers 404 without it;
- ``check_parent_sees_both``: an officer of the province above both communes, with the same
  roles, sees both markers in the list (so the first check cannot pass on an empty list).

Rules for a registration:

- ``make(unit)`` creates one object owned by ``unit`` (through a factory) and returns it;
- ``marker(obj)`` is a text that identifies the object in a response and in no other object:
  build it from ``unit.code`` as above, since random factory names can be substrings of each
  other ("Nguyễn Văn An" / "Nguyễn Văn Anh") — the check refuses markers that overlap;
- ``permissions`` are "app_label.codename" permissions the viewer needs beyond the persona's
  roles (Cán bộ nghiệp vụ, Điều phối viên, Văn thư); they never include ``org.view_all_units``;
- a list that belongs to one object (the teams recommended for a report) gives ``list_url_of``
  instead of ``list_url``: it is called with the object made in the viewer's own unit (the first
  of the two in the province check);
- a detail behind a purpose form gives the form data in ``detail_post``: the detail URL is
  fetched by POSTing it, following a redirect back to the page (population's purpose gate
  redirects); an action that answers with the object's page (resuming an import) gives its
  form data there too (``{}`` for none); an API operation that changes and shows the object
  (a patrol team's position) gives its JSON body in ``detail_json``;
- JSON responses are compared after decoding (Vietnamese is ``\\uXXXX``-escaped on the wire),
  PDFs by their extracted text, HTML after unescaping entities, streamed files (downloads, CSV)
  as their whole content.
"""

from __future__ import annotations

import html
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

SCOPE_ENDPOINTS_MODULE = "tests.scope_endpoints"


@dataclass(frozen=True)
class ScopedEndpoint:
    """One unit-scoped page or API endpoint, with how to make an object that it lists."""

    name: str
    make: Callable[[Any], Any]
    marker: Callable[[Any], str]
    list_url: Callable[[], str] | None = None
    detail_url: Callable[[Any], str] | None = None
    permissions: tuple[str, ...] = ()
    # Purpose-gated details (a profile shown only after a POSTed purpose): the form data to post;
    # a redirect after the post (back to the page, now with the purpose declared) is followed.
    detail_post: dict[str, str] | None = None
    # A list of one object's (the teams recommended for a report): its URL from the viewer's own object.
    list_url_of: Callable[[Any], str] | None = None
    # Details an API operation shows after a JSON POST (a patrol team's new position): the body.
    detail_json: dict[str, Any] | None = None

    def fetch_detail(self, client: Any, obj: Any) -> Any:
        url = self.detail_url(obj)
        if self.detail_json is not None:
            return client.post(url, self.detail_json, content_type="application/json")
        return client.post(url, self.detail_post, follow=True) if self.detail_post is not None else client.get(url)

    def detail_method(self) -> str:
        """The HTTP method ``fetch_detail`` sends."""
        return "POST" if self.detail_json is not None or self.detail_post is not None else "GET"

    def requests(self, own: Any) -> list[tuple[str, str]]:
        """(method, URL) of every request the checks send about ``own``, an object of the viewer's unit."""
        sent: list[tuple[str, str]] = []
        if self.list_url is not None:
            sent.append(("GET", self.list_url()))
        if self.list_url_of is not None:
            sent.append(("GET", self.list_url_of(own)))
        if self.detail_url is not None:
            sent.append((self.detail_method(), self.detail_url(own)))
        return sent

    def has_list(self) -> bool:
        return self.list_url is not None or self.list_url_of is not None

    def fetch_list(self, client: Any, own: Any) -> Any:
        if self.list_url is not None:
            return client.get(self.list_url())
        if self.list_url_of is None:
            raise ValueError(f"{self.name}: no list URL")
        return client.get(self.list_url_of(own))

    def __post_init__(self) -> None:
        if not self.has_list() and self.detail_url is None:
            raise ValueError(f"{self.name}: give a list_url (or list_url_of), a detail_url or both")


_registry: dict[str, ScopedEndpoint] = {}


def register(endpoint: ScopedEndpoint) -> ScopedEndpoint:
    """Add an endpoint to the registry (re-registering the same name replaces it)."""
    _registry[endpoint.name] = endpoint
    return endpoint


def discover() -> None:
    """Import ``congan.<app>.tests.scope_endpoints`` of every installed congan app that has one."""
    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    for app_config in apps.get_app_configs():
        if not app_config.name.startswith("congan."):
            continue
        if module_has_submodule(app_config.module, "tests") and module_has_submodule(
            import_module(f"{app_config.name}.tests"), "scope_endpoints"
        ):
            import_module(f"{app_config.name}.{SCOPE_ENDPOINTS_MODULE}")


def registered_endpoints() -> list[ScopedEndpoint]:
    """Every registered endpoint after discovery, sorted by name (stable test ids)."""
    discover()
    return [_registry[name] for name in sorted(_registry)]


def response_text(response: Any) -> str:
    """The text a person or a client reads in a response: JSON decoded, a PDF's text extracted,
    HTML unescaped, a streamed file (a download, a CSV) read whole."""
    content_type = response.get("Content-Type", "")
    if content_type.startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    content = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if content_type.startswith("application/pdf"):
        return _pdf_text(content)
    if getattr(response, "streaming", False):
        return content.decode(errors="replace")
    return html.unescape(content.decode(errors="replace"))


def _pdf_text(content: bytes) -> str:
    """A PDF's bytes and the text of its pages (a file that is no valid PDF, such as a test's
    stand-in scan, is read as it is)."""
    from pypdf import PdfReader  # a development dependency, as is this harness
    from pypdf.errors import PdfReadError

    raw = content.decode(errors="replace")
    try:
        return raw + "\n" + "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    except PdfReadError:
        return raw


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def grant(officer: Any, permissions: tuple[str, ...]) -> None:
    from django.contrib.auth.models import Permission

    for perm in permissions:
        app_label, codename = perm.split(".", 1)
        officer.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def _distinct_markers(endpoint: ScopedEndpoint, first: Any, second: Any) -> tuple[str, str]:
    one, two = endpoint.marker(first), endpoint.marker(second)
    _expect(
        bool(one and two) and one not in two and two not in one,
        f"{endpoint.name}: markers {one!r} and {two!r} overlap; build them from unit.code",
    )
    return one, two


def check_isolation(endpoint: ScopedEndpoint, *, client: Any, viewer: Any, own_unit: Any, other_unit: Any) -> None:
    """Assert ``viewer`` (an officer of ``own_unit``) sees its own object and nothing of ``other_unit``'s."""
    grant(viewer, endpoint.permissions)
    own, other = endpoint.make(own_unit), endpoint.make(other_unit)
    own_marker, other_marker = _distinct_markers(endpoint, own, other)
    client.force_login(viewer)
    if endpoint.has_list():
        response = endpoint.fetch_list(client, own)
        _expect(response.status_code == 200, f"{endpoint.name}: list answered {response.status_code}")
        text = response_text(response)
        _expect(own_marker in text, f"{endpoint.name}: the viewer's own object {own_marker!r} is missing from the list")
        _expect(other_marker not in text, f"{endpoint.name}: LEAK, another commune's {other_marker!r} is listed")
    if endpoint.detail_url is not None:
        response = endpoint.fetch_detail(client, own)
        _expect(response.status_code == 200, f"{endpoint.name}: own detail answered {response.status_code}")
        _expect(own_marker in response_text(response), f"{endpoint.name}: own detail lacks {own_marker!r}")
        response = endpoint.fetch_detail(client, other)
        _expect(
            response.status_code == 404,
            f"{endpoint.name}: LEAK, another commune's detail answered {response.status_code}, not 404",
        )
        _expect(other_marker not in response_text(response), f"{endpoint.name}: LEAK in the 404 body")


def check_parent_sees_both(endpoint: ScopedEndpoint, *, client: Any, viewer: Any, units: tuple[Any, Any]) -> None:
    """Assert ``viewer`` (an officer of a unit above both ``units``) sees the objects of both."""
    grant(viewer, endpoint.permissions)
    first, second = endpoint.make(units[0]), endpoint.make(units[1])
    markers = _distinct_markers(endpoint, first, second)
    client.force_login(viewer)
    if endpoint.has_list():
        response = endpoint.fetch_list(client, first)
        _expect(response.status_code == 200, f"{endpoint.name}: list answered {response.status_code}")
        text = response_text(response)
        for marker in markers:
            _expect(marker in text, f"{endpoint.name}: {marker!r} of a unit below the viewer is missing")
    if endpoint.detail_url is not None:
        for obj in (first, second):
            response = endpoint.fetch_detail(client, obj)
            _expect(
                response.status_code == 200, f"{endpoint.name}: detail below the viewer answered {response.status_code}"
            )
