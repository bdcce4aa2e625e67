"""Every page a person reads says names and dates, never codes: the demo province is built small,
each demo account crawls the pages it can reach from its dashboard, and the visible text of every
page is searched for an ISO date, a raw enumeration value, or a bare commune code.

What a page may show instead: dates as 07/12/2026 (``date:"d/m/Y"``), choices by their label
(``get_FOO_display``), communes by name (``places.commune_name``), numbers grouped
(``readable.number``); see docs/conventions.md.
"""

from __future__ import annotations

import io
import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

from congan.org.demo import DEMO_ACCOUNTS
from congan.org.models import Officer, Unit
from congan.org.tests.otp import verified_login

pytestmark = pytest.mark.django_db

PAGES_PER_ACCOUNT = 80
PAGES_PER_SHAPE = 2  # two reports, two procedures… : the same template with other data
# Links a crawl must not follow: signing out, the technical admin, files, the API and its docs.
SKIPPED = re.compile(r"^/(admin|api|static|media|open311)/|/dang-xuat/|\.(pdf|xml|json|csv|xlsx|atom|png|jpg)$")
ISO_DATE = re.compile(r"(?<![\w/-])(?:19|20)\d\d-[01]\d-[0-3]\d(?![\w/-])")
FIVE_DIGITS = re.compile(r"(?<![\w.,/:-])\d{5}(?![\w.,/:-])")
IDENTIFIER = re.compile(r"^[a-z]+(?:_[a-z]+)*$")
# Stored values that are also words of Vietnamese pages (channel names, acronyms).
ALSO_WORDS = {"email", "sms", "web", "app", "hotline", "anpr", "pccc", "bus", "demo"}  # "demo": the demo PKI's name


class _VisibleText(HTMLParser):
    """The text a person reads as words: no scripts, styles, attributes or code samples, and nothing
    set as an identifier (class ``mono``: a tracking code, a plate, a code column beside its name)."""

    HIDDEN = {"script", "style", "template", "code", "pre", "textarea", "option", "select"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0
        self._identifier: list[str] = []  # the open tags inside (and including) an identifier

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in self.HIDDEN:
            self._hidden += 1
        foreign = (attributes.get("lang") or "vi") != "vi"  # an English version beside the Vietnamese
        if self._identifier or foreign or "mono" in (attributes.get("class") or "").split():
            self._identifier.append(tag)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"] or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a" and dict(attrs).get("href"):
            self.links.append(dict(attrs)["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1
        if tag in self._identifier:
            while self._identifier and self._identifier.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self._hidden and not self._identifier:
            self.parts.append(data)


def raw_choice_values() -> set[str]:
    """Stored values of every choice field whose label differs (``in_progress``, ``male``): such a
    word in a Vietnamese page means a value was shown, not its label."""
    values: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("congan."):
            continue
        for field in model._meta.get_fields():
            choices = getattr(field, "flatchoices", None) if isinstance(field, models.Field) else None
            for value, label in choices or ():
                if (
                    isinstance(value, str)
                    and len(value) > 2
                    and IDENTIFIER.match(value)
                    and str(label) != value
                    and value not in ALSO_WORDS
                ):
                    values.add(value)
    return values


def _problems(text: str, raw_values: set[str], commune_codes: set[str]) -> list[str]:
    found = [f"ISO date {match}" for match in ISO_DATE.findall(text)]
    words = set(re.findall(r"(?<![\w.-])[a-z]+(?:_[a-z]+)*(?![\w-]|\.\w)", text))  # not part of a.b
    found += [f"raw value {value}" for value in sorted(words & raw_values)]
    found += [f"commune code {code}" for code in FIVE_DIGITS.findall(text) if code in commune_codes]
    return found


def _shape(path: str) -> str:
    """``/tin-bao/xu-ly/12/`` and ``/tin-bao/xu-ly/13/`` are one shape; so are two procedure codes."""
    return "/".join("N" if any(char.isdigit() for char in segment) else segment for segment in path.split("/"))


def crawl(client, start: str, raw_values: set[str], commune_codes: set[str]) -> tuple[list[str], dict[str, list[str]]]:
    """The pages (HTML, answered 200) reached from ``start``, and what each shows that it should not."""
    seen, queue = {start}, deque([start])
    problems: dict[str, list[str]] = {}
    pages: list[str] = []
    shapes: Counter[str] = Counter()
    while queue and len(pages) < PAGES_PER_ACCOUNT:
        path = queue.popleft()
        response = client.get(path)
        assert response.status_code < 500, f"{path}: {response.status_code}"
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        pages.append(path)
        parser = _VisibleText()
        parser.feed(response.content.decode())
        found = _problems(" ".join(parser.parts), raw_values, commune_codes)
        if found:
            problems[path] = found
        for href in parser.links:
            link, _fragment = urldefrag(href)
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIPPED.search(parts.path):
                continue
            # One page of each list: the next pages and other filters repeat the same template.
            target = parts.path
            if target not in seen and shapes[_shape(target)] < PAGES_PER_SHAPE:
                seen.add(target)
                shapes[_shape(target)] += 1
                queue.append(target)
    return pages, problems


def build_small_demo() -> None:
    call_command(
        "demo",
        "--officers",
        "5",
        "--residents",
        "300",
        "--dossiers",
        "60",
        "--reports",
        "80",
        "--violations",
        "200",
        stdout=io.StringIO(),
    )


@pytest.fixture
def demo_province():
    build_small_demo()


def test_no_page_of_the_demo_shows_an_iso_date_a_raw_value_or_a_commune_code(client, demo_province):
    raw_values = raw_choice_values()
    commune_codes = set(Unit.objects.exclude(area_code="").values_list("area_code", flat=True))
    assert {"in_progress", "add_member"} <= raw_values and len(commune_codes) > 50
    report: dict[str, dict[str, list[str]]] = {}
    crawled = 0
    for spec in DEMO_ACCOUNTS:
        verified_login(client, Officer.objects.get(username=spec.username))
        pages, problems = crawl(client, "/tong-quan/", raw_values, commune_codes)
        crawled += len(pages)
        assert len(pages) >= 5, f"{spec.username} reached only {pages}"
        if problems:
            report[spec.username] = problems
        client.logout()
    pages, problems = crawl(client, "/", raw_values, commune_codes)  # the public pages
    crawled += len(pages)
    if problems:
        report["(public)"] = problems
    assert not report, "\n".join(
        f"{who} {path}: {', '.join(found)}" for who, paths in report.items() for path, found in paths.items()
    )
    assert crawled > 100


def test_the_reader_finds_what_a_person_should_not_read():
    parser = _VisibleText()
    parser.feed(
        '<p>Trạng thái in_progress, giới tính male, ngày 2026-12-07, xã 20194</p><script>var a="2026-01-01"</script>'
        '<td class="mono">20197 <b>in_progress</b></td><p>patrol.device 12.345 20194-1</p>'
    )
    text = " ".join(parser.parts)
    assert _problems(text, {"in_progress", "male", "patrol"}, {"20194", "20197"}) == [
        "ISO date 2026-12-07",
        "raw value in_progress",
        "raw value male",
        "commune code 20194",
    ]
