"""Entries of the index for the search tests: documents made directly (the documents module's
factories) and indexed through the provider, as their write paths do."""

from __future__ import annotations

from typing import Any, cast

from congan.documents import fulltext
from congan.documents.models import IncomingDocument, OutgoingDocument
from congan.documents.tests.factories import IncomingDocumentFactory, OutgoingDocumentFactory


def indexed_incoming(**fields: Any) -> IncomingDocument:
    document = cast(IncomingDocument, IncomingDocumentFactory(**fields))
    fulltext.index_incoming(document.pk)
    return document


def indexed_outgoing(**fields: Any) -> OutgoingDocument:
    document = cast(OutgoingDocument, OutgoingDocumentFactory(**fields))
    fulltext.index_outgoing(document.pk)
    return document
