"""Names that come from data rather than from the code's own strings — role titles, officers'
positions, declared purposes, report kinds, procedures, violation types — read in the active
language (English in English mode), one way everywhere.

Each app marks the names it ships or stores in ``congan/<app>/labels.py``: module-level lists
(upper-case names) of ``gettext_noop("…")``, so ``make messages`` puts them in the catalogue while
the stored value stays the Vietnamese one. Pages show such a value with ``{{ value|data_label }}``
(``{% load readable %}``), code with :func:`data_label`; ``tests/test_translations.py`` fails when
one of the marked names has no English translation.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps
from django.utils.translation import gettext

# A declared purpose is stored as "the chosen reason — the officer's own words" (population's
# PurposeForm): the chosen reason is translated, the officer's words are shown as written.
SEPARATOR = " — "


def data_label(value: Any) -> str:
    """``value`` in the active language when the catalogue knows it, or knows the part before
    " — "; otherwise as written: a name nobody marked, a person's or a unit's name."""
    text = "" if value is None else str(value)
    if not text.strip():
        return text  # gettext("") would answer the catalogue's header
    translated = gettext(text)
    if translated != text:
        return translated
    head, separator, tail = text.partition(SEPARATOR)
    if separator and head.strip():
        chosen = gettext(head)
        if chosen != head:
            return f"{chosen}{SEPARATOR}{tail}"
    return text


def marked_names() -> list[tuple[str, str]]:
    """Every installed app's marked names as (where, name), ``where`` the dotted name of the labels
    list (``congan.org.labels.ROLES``): what the translation test checks."""
    found: list[tuple[str, str]] = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.labels"
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        for attribute, value in vars(module).items():
            if attribute.isupper() and isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
                found += [(f"{module_name}.{attribute}", name) for name in value]
    return found
