"""The English catalogue is complete, compiled, and covers every translatable string."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "congan/locale/en/LC_MESSAGES/django.po"


def test_every_english_entry_is_translated_and_not_fuzzy():
    catalogue = polib.pofile(str(PO))
    assert len(catalogue) > 100
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


def test_compiled_catalogue_matches_its_source():
    result = subprocess.run(
        [sys.executable, "scripts/compile_messages.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext not installed")
def test_catalogue_contains_every_string_marked_in_the_source(tmp_path):
    copy = tmp_path / "congan"
    shutil.copytree(ROOT / "congan", copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "en", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = {entry.msgid for entry in polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po"))}
    committed = {entry.msgid for entry in polib.pofile(str(PO))}
    assert sorted(fresh - committed) == [], "run `make messages` and translate the new strings"


@pytest.mark.parametrize(
    ("data", "key", "field", "labels"),
    [
        ("congan/incidents/data/kinds.json", "kinds", "name", "congan.incidents.labels"),
        ("congan/eservices/data/catalogue.json", "procedures", "name", "congan.eservices.labels"),
        ("congan/traffic/data/violation_types.json", "types", "title", "congan.traffic.labels"),
        ("congan/documents/data/document_types.json", "types", "name", "congan.documents.labels"),
    ],
)
def test_every_name_of_the_shipped_data_reads_in_english_too(data, key, field, labels):
    import importlib
    import json

    from django.utils import translation

    rows = json.loads((ROOT / data).read_text(encoding="utf-8"))[key]
    names = list(dict.fromkeys(row[field] for row in rows))  # each name once, in the file's order
    assert names == importlib.import_module(labels).NAMES  # the marked list follows the data file
    with translation.override("en"):
        untranslated = [name for name in names if translation.gettext(name) == name]
    assert untranslated == []


def test_every_marked_data_name_reads_in_english():
    """Roles, positions, declared purposes, data names: each list of a ``congan.<app>.labels``
    module (congan.core.labels) has an English translation for every name."""
    from django.utils import translation

    from congan.core.labels import marked_names

    marked = marked_names()
    assert {where.rsplit(".", 1)[0] for where, _name in marked} >= {
        "congan.org.labels",
        "congan.population.labels",
        "congan.incidents.labels",
        "congan.eservices.labels",
        "congan.traffic.labels",
    }
    with translation.override("en"):
        untranslated = [(where, name) for where, name in marked if translation.gettext(name) == name]
    assert untranslated == []


def test_the_roles_positions_and_purposes_the_code_stores_are_marked():
    """What the code writes in Vietnamese and pages show as data: each is in a labels list, so the
    test above covers it."""
    import json

    from congan.eservices import labels as eservices_labels
    from congan.eservices.selectors import OFFICER_READ_PURPOSE
    from congan.incidents import labels as incidents_labels
    from congan.incidents.selectors import REPORTER_PURPOSE
    from congan.org import demo, roles
    from congan.org import labels as org_labels
    from congan.population import citizen
    from congan.population import labels as population_labels
    from congan.population.forms import PURPOSES
    from congan.traffic import labels as traffic_labels
    from congan.traffic.selectors import OWNER_PURPOSE

    assert set(roles.ALL_ROLES) <= set(org_labels.ROLES)
    communes = demo.province_communes(demo.DEFAULT_PROVINCE)
    positions = {slot.position for slot in demo._officer_slots(demo.DEFAULT_PROVINCE, communes, 2000)}
    positions |= {account.position for account in demo.DEMO_ACCOUNTS}
    assert positions <= set(org_labels.POSITIONS)
    chosen = {value for value, _label in PURPOSES if value}
    assert chosen | {citizen.PURPOSE, citizen.OWN_PROFILE_PURPOSE} <= set(population_labels.PURPOSES)
    assert REPORTER_PURPOSE in incidents_labels.PURPOSES and OFFICER_READ_PURPOSE in eservices_labels.PURPOSES
    assert OWNER_PURPOSE in traffic_labels.PURPOSES
    catalogue = json.loads((ROOT / "congan/eservices/data/catalogue.json").read_text(encoding="utf-8"))
    fields = [field for template in catalogue["form_templates"].values() for field in template]
    shown = {field["label"] for field in fields} | {label for f in fields for _v, label in f.get("choices", [])}
    assert shown <= set(eservices_labels.FIELD_LABELS)


# Django's own strings people meet in Vietnamese: its admin, sign-in forms and validation messages.
# Where Django's Vietnamese catalogue lacks one, congan/locale/vi supplies it.
DJANGO_CATALOGUES = [
    ("contrib/admin", "django"),
    ("contrib/admin", "djangojs"),
    ("contrib/auth", "django"),
    ("conf", "django"),
]
# Pages the platform replaces (CSRF failure: templates/403_csrf.html; the "it worked" page).
NOT_SHOWN = re.compile(
    r"Referer|CSRF|cookie|install worked|release notes|DEBUG=True\.? is|Django (Documentation|Community)"
    r"|Tutorial|Topics, references|Get started|Connect, get help|configured any URLs"
)


@pytest.mark.parametrize(("app", "domain"), DJANGO_CATALOGUES)
def test_django_strings_people_meet_read_in_vietnamese(app, domain):
    import django
    from django.conf.locale import LANG_INFO

    base = Path(django.__file__).parent / app / "locale"
    english = polib.pofile(str(base / "en/LC_MESSAGES" / f"{domain}.po"))
    theirs = polib.pofile(str(base / "vi/LC_MESSAGES" / f"{domain}.po"))
    ours = polib.pofile(str(ROOT / "congan/locale/vi/LC_MESSAGES" / f"{domain}.po"))
    translated = {(e.msgctxt, e.msgid) for catalogue in (theirs, ours) for e in catalogue.translated_entries()}
    language_names = {info.get("name") for info in LANG_INFO.values()}
    missing = [
        e.msgid
        for e in english
        if (e.msgctxt, e.msgid) not in translated and e.msgid not in language_names and not NOT_SHOWN.search(e.msgid)
    ]
    assert missing == [], "add these to congan/locale/vi (Vietnamese), then scripts/compile_messages.py"
