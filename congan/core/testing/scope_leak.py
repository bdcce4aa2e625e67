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

Every route is accounted for
----------------------------
``congan/core/tests/test_scope_coverage.py`` is the gate that makes the next unscoped page fail:
``site_routes`` walks the whole URL configuration (pages, by path: ``/dan-cu/{resident_id}/``)
and the OpenAPI document of every NinjaAPI mounted in it (operations, by method and path:
``GET /api/v1/org/units/{unit_id}``; an operationId only helps the message name the app,
so renaming one changes nothing).
Each route must be either

- visited by a registered endpoint: the URLs a registration gives for one object (``list_url``,
  ``list_url_of``, ``detail_url``; a POST when ``detail_post``/``detail_json`` is given) are
  resolved to their routes, so registering needs nothing more than the registration itself; or
- listed, with a category and a reason, in the one exemption table,
  ``congan/core/tests/scope_exemptions.py`` (its docstring explains the categories). A write or a
  count that no marker can show (category ``WRITE`` or ``FIGURES``) names the tests that check
  it, as ``congan/<app>/tests/test_x.py::test_y``, and the gate checks they exist.

The gate also refuses an exemption of a registered route, of a route that no longer exists, and
a ``PUBLIC`` or ``PARTNER`` exemption of an API operation that accepts an officer's session. Its
message names the route and the two places to act: the app's ``tests/scope_endpoints.py``, or the
exemption table.
"""

from __future__ import annotations

import html
import io
import json
import re
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


# --- Every route is accounted for -----------------------------------------------------------------

# Why a route is not registered: each exemption names one of these (see the exemption table).
PUBLIC = "public"  # anyone may call it; it shows no unit's data
OWN = "own"  # the caller's own account or records (an officer's profile, a citizen's dossiers)
PARTNER = "partner"  # a partner key: limited by the partner's policy and scopes, not by unit
PROVINCE = "province"  # the province's own catalogue, figures or tools: nothing in it belongs to a unit
WRITE = "write"  # a change that shows no list: a named test proves another unit's object is refused
FIGURES = "figures"  # counts only, no object to mark: named tests prove they count the viewer's units
ADMIN = "admin"  # the administrators' site, guarded by Django's own model permissions
LINKS = "links"  # links to records by what was typed: named tests prove another unit's record is not found
CATEGORIES = (PUBLIC, OWN, PARTNER, PROVINCE, WRITE, FIGURES, ADMIN, LINKS)
# Categories whose reason must name the tests that check the route instead ("path.py::test_name").
CHECKED_BY_TESTS = (WRITE, FIGURES, LINKS)
# Categories an API operation that accepts an officer's session cannot have: officers reach it.
NOT_FOR_OFFICERS = (PUBLIC, PARTNER)

ANY_METHOD = "*"
EXEMPTIONS_TABLE = "congan/core/tests/scope_exemptions.py"
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_NAMED_TEST = re.compile(r"(congan/[\w/]+\.py)::(test_\w+)")


@dataclass(frozen=True)
class Route:
    """A page (a Django view answers every method) or one API operation (one method and path)."""

    method: str  # ANY_METHOD for a page
    path: str  # "/dan-cu/{resident_id}/", "/api/v1/org/units/{unit_id}"
    view: str = ""  # where it is declared, for the message: "population:resident_profile (congan.population.views)"
    app: str = ""  # the congan app that declares it, when known
    namespace: str = ""  # a page's URL namespace ("admin" for the admin site)
    officers: bool = False  # an API operation that accepts an officer's session

    @property
    def key(self) -> str:
        """How the exemption table names it: a page by its path, an API operation by "METHOD path"."""
        return self.path if self.method == ANY_METHOD else f"{self.method} {self.path}"


@dataclass(frozen=True)
class Exemption:
    """A route the scope-leak checks do not visit, and why."""

    route: str  # a Route.key, or "<namespace>:*" for every page of a URL namespace ("admin:*")
    category: str  # one of CATEGORIES
    reason: str  # for WRITE and FIGURES: names the tests, "congan/<app>/tests/test_x.py::test_y"

    def matches(self, route: Route) -> bool:
        if self.route.endswith(":*"):
            return route.method == ANY_METHOD and route.namespace == self.route[:-2]
        return self.route == route.key


def normalise_route(route: str) -> str:
    """A Django route as one readable path, the form OpenAPI uses: converters and named groups
    become ``{name}``; ``dan-cu/<int:resident_id>/`` → ``/dan-cu/{resident_id}/``,
    ``open311/v2/^requests/(?P<request_id>[A-Za-z0-9]+)\\.(?P<fmt>[a-z]+)$`` →
    ``/open311/v2/requests/{request_id}.{fmt}``."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route.replace("^", "").replace("$", ""))
    path = re.sub(r"\(\?P\{(\w+)\}[^)]*\)", r"{\1}", path)
    return "/" + path.replace("\\", "")


def _app_of(module: str) -> str:
    """The congan app of a module (or of ninja's default operationId, ``congan_<app>_api_…``)."""
    from django.apps import apps

    parts = module.split(".")
    app = parts[1] if len(parts) > 2 and parts[0] == "congan" else ""
    return app if app and apps.is_installed(f"congan.{app}") else ""


def site_routes(urlconf: str | None = None) -> list[Route]:
    """Every page of the URL configuration and every operation of each NinjaAPI mounted in it.

    Operations come from each API's OpenAPI document (method + path, so renamed operations stay
    matched). A path of an API that its document does not show (an operation hidden from the
    schema) stays listed as a page, so that it cannot escape the check."""
    from django.urls import get_resolver

    routes: list[Route] = []
    _walk(get_resolver(urlconf).url_patterns, "", (), routes)
    return sorted(set(routes), key=lambda route: (route.path, route.method))


def _walk(patterns: list[Any], prefix: str, namespaces: tuple[str, ...], routes: list[Route]) -> None:
    api = _ninja_api(patterns)
    operations = _api_operations(api, normalise_route(prefix)) if api is not None else []
    routes += operations
    operation_paths = {operation.path for operation in operations}
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            _walk(pattern.url_patterns, route, inner, routes)
            continue
        path = normalise_route(route)
        if path in operation_paths:
            continue
        module = getattr(pattern.callback, "__module__", "") or ""
        name = ":".join((*namespaces, pattern.name)) if pattern.name else "unnamed"
        routes.append(Route(ANY_METHOD, path, f"{name} ({module})", _app_of(module), ":".join(namespaces)))


def _ninja_api(patterns: list[Any]) -> Any | None:
    """The NinjaAPI these URL patterns belong to (its root and document views carry it), if any."""
    from ninja import NinjaAPI

    for pattern in patterns:
        api = getattr(getattr(pattern, "callback", None), "keywords", {}).get("api")
        if isinstance(api, NinjaAPI):
            return api
    return None


def _api_operations(api: Any, prefix: str) -> list[Route]:
    """Every operation of ``api`` mounted at ``prefix``, from its OpenAPI document."""
    from congan.core.api import officer_auth

    officer_scheme = type(officer_auth).__name__
    routes = []
    for path, item in api.get_openapi_schema(path_prefix=prefix)["paths"].items():
        for method, operation in item.items():
            if method not in _HTTP_METHODS:
                continue
            operation_id = operation.get("operationId", "")
            officers = any(officer_scheme in requirement for requirement in operation.get("security") or [])
            routes.append(
                Route(
                    method.upper(),
                    path,
                    f"operation {operation_id}",
                    _app_of(operation_id.replace("_", ".")),
                    "",
                    officers,
                )
            )
    return routes


def route_key_of(method: str, url: str, routes: list[Route]) -> str:
    """The key of the route that ``method url`` reaches: its API operation, or its page."""
    from urllib.parse import urlsplit

    from django.urls import resolve

    path = normalise_route(resolve(urlsplit(url).path).route)
    if any(route.path == path and route.method == method for route in routes):
        return f"{method} {path}"
    return path


def registered_route_keys(own_unit: Any, routes: list[Route]) -> tuple[set[str], list[str]]:
    """The keys of the routes every registered endpoint's checks visit, found by resolving the
    URLs it gives for one object made in ``own_unit``; and a message for each URL that reaches
    no route."""
    from django.db import transaction
    from django.urls import Resolver404

    keys: set[str] = set()
    problems: list[str] = []
    for endpoint in registered_endpoints():
        with transaction.atomic():  # each registration makes its own objects, as in its checks
            requests = endpoint.requests(endpoint.make(own_unit))
            transaction.set_rollback(True)
        for method, url in requests:
            try:
                keys.add(route_key_of(method, url, routes))
            except Resolver404:
                problems.append(f"{endpoint.name}: {method} {url} reaches no route; correct its URL")
    return keys, problems


def coverage_failures(routes: list[Route], registered: set[str], exemptions: tuple[Exemption, ...]) -> list[str]:
    """What keeps the routes from being accounted for. Each route is visited by a registered
    endpoint (``registered`` holds route keys) or exempted, not both; every exemption names a
    route that exists, a known category and a reason (the tests, for WRITE and FIGURES); an API
    operation that accepts officers is not exempted as PUBLIC or PARTNER."""
    failures = [problem for exemption in exemptions for problem in _exemption_problems(exemption)]
    for route in routes:
        exempted = [exemption for exemption in exemptions if exemption.matches(route)]
        if route.key in registered:
            failures += [
                f"{route.key} is registered and exempted: remove {exemption.route!r} from {EXEMPTIONS_TABLE}"
                for exemption in exempted
                if exemption.route == route.key
            ]
        elif not exempted:
            failures.append(
                f"{route.key} [{route.view}] is neither checked nor exempted: register it in "
                f"{_registrations_of(route)} (a ScopedEndpoint, see congan.core.testing.scope_leak) "
                f"or exempt it with a reason in {EXEMPTIONS_TABLE}"
            )
        elif route.officers and exempted[0].category in NOT_FOR_OFFICERS:
            failures.append(
                f"{route.key} is exempted as {exempted[0].category} but accepts an officer's session: "
                f"register it in {_registrations_of(route)} or exempt it for what it shows officers "
                f"in {EXEMPTIONS_TABLE}"
            )
    failures += [
        f"{exemption.route!r} in {EXEMPTIONS_TABLE} names no route of the site: remove it"
        for exemption in exemptions
        if not any(exemption.matches(route) for route in routes)
    ]
    keys = [exemption.route for exemption in exemptions]
    failures += [f"{key!r} is exempted twice in {EXEMPTIONS_TABLE}" for key in sorted(set(keys)) if keys.count(key) > 1]
    return failures


def _registrations_of(route: Route) -> str:
    return f"congan/{route.app or '<app>'}/tests/scope_endpoints.py"


def _exemption_problems(exemption: Exemption) -> list[str]:
    if exemption.category not in CATEGORIES:
        return [f"{exemption.route!r}: unknown category {exemption.category!r}; use one of {', '.join(CATEGORIES)}"]
    if not exemption.reason.strip():
        return [f"{exemption.route!r}: give a reason"]
    if exemption.category in CHECKED_BY_TESTS:
        named = _NAMED_TEST.findall(exemption.reason)
        if not named:
            return [f"{exemption.route!r}: name the tests that check it, as congan/<app>/tests/test_x.py::test_y"]
        return [
            f"{exemption.route!r}: the test {path}::{name} does not exist"
            for path, name in named
            if not _exists(path, name)
        ]
    return []


def _exists(path: str, name: str) -> bool:
    from pathlib import Path

    from django.conf import settings

    test_file = Path(settings.BASE_DIR) / path
    return test_file.is_file() and re.search(rf"^def {name}\(", test_file.read_text(encoding="utf-8"), re.M) is not None
