"""Many records handled at once from a list (verify violations, assign dossiers): each in its own
transaction, so one that moved meanwhile, or that the officer may not touch, is named with the
reason and the others are still done. The same checks as one at a time: the single use case runs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from congan.core.errors import ApplicationError, ValidationFailed

LIMIT = 200


@dataclass(frozen=True)
class BulkResult:
    done: list[int]
    refused: list[tuple[int, str]]  # the record and why it was left as it was


def chosen(ids: Iterable[int], *, field: str = "items") -> list[int]:
    """The chosen records, once each; none or too many is a field error."""
    unique = list(dict.fromkeys(ids))
    if not unique:
        raise ValidationFailed(details={field: [_("Chọn ít nhất một mục trong danh sách.")]})
    if len(unique) > LIMIT:
        raise ValidationFailed(details={field: [_("Tối đa %(limit)d mục một lần.") % {"limit": LIMIT}]})
    return unique


def run_each(ids: list[int], action: Callable[[int], Any]) -> BulkResult:
    done: list[int] = []
    refused: list[tuple[int, str]] = []
    for pk in ids:
        try:
            action(pk)
        except ApplicationError as exc:
            refused.append((pk, str(exc.message)))
        else:
            done.append(pk)
    return BulkResult(done=done, refused=refused)
