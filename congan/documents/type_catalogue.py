"""The document types as a registration reads them: found by code or abbreviation, and the
abbreviations the symbol grammar knows. Read fresh (the ORM path: one query) or, on PostgreSQL's
one-statement path, kept per process and checked against the database by the statement itself:
the types' version (documents_types_version, moved by a trigger with every change of the table,
migration 0009) travels with every registration, and a registration made with an older one is sent
back to read the types again (decision 0032). No timer, no signal: a change made in the admin, by
another process, by a migration or by raw SQL is seen by the next registration."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from django.db import connection

from congan.documents.models import DocumentType


class TypeCatalogue:
    """The types at one moment, and the version of the types table they were read at (None when
    read fresh for one registration, outside PostgreSQL's one-statement path)."""

    def __init__(self, types: Iterable[DocumentType], version: int | None = None):
        self.version = version
        self.types = tuple(types)  # in the model's order (order, name)
        active = [document_type for document_type in self.types if document_type.active]
        self._by_code = {document_type.code: document_type for document_type in active}
        self._by_abbreviation = {document_type.abbreviation: document_type for document_type in active}
        self._by_upper: dict[str, DocumentType] = {}
        for document_type in active:
            if document_type.abbreviation:
                self._by_upper.setdefault(document_type.abbreviation.upper(), document_type)
        # Every type's, retired ones included: an old symbol still reads (selectors.type_abbreviations).
        self.abbreviations = [document_type.abbreviation for document_type in self.types if document_type.abbreviation]

    def find(self, text: str) -> DocumentType | None:
        """An active type by its code (``quyet-dinh``) or its abbreviation (``QĐ``, then ``qđ``): the
        rule of ``services.document_type_find``."""
        text = (text or "").strip()
        if not text:
            return None
        return self._by_code.get(text) or self._by_abbreviation.get(text) or self._by_upper.get(text.upper())

    def resolve(self, value: DocumentType | str | None) -> DocumentType | None:
        """A type given as a row (a form's choice) is taken as it is; a text is looked up."""
        if isinstance(value, DocumentType) or value is None:
            return value
        return self.find(value)


def fresh() -> TypeCatalogue:
    """The types as the database holds them now (one query)."""
    return TypeCatalogue(DocumentType.objects.order_by("order", "name"))


_lock = threading.Lock()
_cached: dict[str, TypeCatalogue] = {}  # database name → the catalogue read last


def _key() -> str:
    return f"{connection.alias}:{connection.settings_dict.get('NAME')}"


def cached() -> TypeCatalogue:
    """The types this process read last (PostgreSQL), with their version; read them when none."""
    catalogue = _cached.get(_key())
    return catalogue if catalogue is not None else reload()


def reload() -> TypeCatalogue:
    """Read the types again, with the version they are read at: the version first, so a change
    committed between the two reads leaves an older version with newer types, which the next
    registration finds out of date and reads again (never the reverse)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM documents_types_version WHERE id = 1")
        row = cursor.fetchone()
    catalogue = TypeCatalogue(DocumentType.objects.order_by("order", "name"), version=int(row[0]) if row else None)
    with _lock:
        _cached[_key()] = catalogue
    return catalogue


def current() -> TypeCatalogue:
    """The cached types if the database's version is still theirs (one small query), else read
    again: for a registration refused on a type or a symbol, which may have been checked against
    types changed since."""
    catalogue = _cached.get(_key())
    if catalogue is None:
        return reload()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM documents_types_version WHERE id = 1")
        row = cursor.fetchone()
    if row is not None and int(row[0]) == catalogue.version:
        return catalogue
    return reload()
