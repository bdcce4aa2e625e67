"""The one way a request's JSON becomes Python data, for django-ninja (``NulRejectingParser``), the
fast lane (``FastRequest.parse_json``) and any other JSON an endpoint reads itself (NDJSON lines,
a multipart field): not JSON or nested deeper than ``MAX_DEPTH`` is a 400 ``malformed_body``; a NUL
character in a string or a key is a 422 (PostgreSQL cannot store it in text).

Why a depth limit: Python's decoder raises RecursionError on a body nested some thousand levels
deep, and every walk over a parsed body (ours, pydantic's) recurses too; a body of 100,000 ``[``
answered 500. No request the platform takes nests deeper than a few levels.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _

from congan.core.errors import ApplicationError

# Objects and arrays inside one another; the deepest body the API takes (a dossier's form data with
# a list of objects inside) has four.
MAX_DEPTH = 32


class MalformedBody(ApplicationError, ValueError):
    """Not JSON, or nested too deep (a ValueError too, like the decoder's own error)."""

    status = 400
    code = "malformed_body"


def json_body(raw: bytes | str, *, loc: tuple[Any, ...] = ("body",)) -> tuple[Any, list[dict[str, Any]]]:
    """``raw`` parsed, and the NUL problems found in it (``{"loc", "msg"}``, as pydantic reports them).

    Raises ``MalformedBody`` when ``raw`` is not JSON or nests deeper than ``MAX_DEPTH``."""
    try:
        data = json.loads(raw)
    except RecursionError:
        raise _too_deep() from None
    except ValueError:  # UnicodeDecodeError and JSONDecodeError
        raise MalformedBody(_("Nội dung gửi lên không phải JSON hợp lệ.")) from None
    return data, _walk(data, loc)


def _too_deep() -> MalformedBody:
    return MalformedBody(
        _("Nội dung JSON lồng nhau quá %(depth)d cấp.") % {"depth": MAX_DEPTH}, details={"max_depth": MAX_DEPTH}
    )


def _walk(data: Any, loc: tuple[Any, ...]) -> list[dict[str, Any]]:
    """NUL problems in ``data``; raises when it nests too deep. Iterative: a deep value cannot make it
    recurse."""
    problems: list[dict[str, Any]] = []
    stack: list[tuple[Any, tuple[Any, ...], int]] = [(data, loc, 0)]
    while stack:
        value, where, depth = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                problems.append(nul_problem(where))
            continue
        if isinstance(value, dict):
            items: Any = value.items()
            for key in value:
                if "\x00" in key:
                    problems.append(nul_problem((*where, key)))
        elif isinstance(value, list):
            items = enumerate(value)
        else:
            continue
        if depth >= MAX_DEPTH:
            raise _too_deep()
        stack.extend((item, (*where, key), depth + 1) for key, item in items)
    return problems


def nul_problem(loc: tuple[Any, ...]) -> dict[str, Any]:
    return {"loc": loc, "msg": str(_("Không được chứa ký tự NUL (\\x00)."))}


def query_nul_problems(pairs: list[tuple[str, Any]], where: str = "query") -> list[dict[str, Any]]:
    """NUL problems in a query string's or a form's (name, value) pairs."""
    return [
        nul_problem((where, key))
        for key, value in pairs
        if "\x00" in key or (isinstance(value, str) and "\x00" in value)
    ]


def querydict_nul_problems(data: Any, where: str) -> list[dict[str, Any]]:
    """NUL problems in a QueryDict (``request.GET``, ``request.POST``), every value of every name."""
    return query_nul_problems([(key, value) for key, values in data.lists() for value in values], where)
