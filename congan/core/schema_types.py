"""Field types for the API's schemas: numbers bounded to what the database holds, and JSON bodies
taken as the OpenAPI document types them.

- Integers are 64-bit at most (PostgreSQL's bigint, SQLite's INTEGER): a larger one in a body or a
  path reached the database and answered 500. Use ``Int64``/``Id`` in bodies and ``ParamInt64``/
  ``ParamId`` for path and query parameters, or give the field tighter bounds of your own.
- In a JSON body a boolean is ``true``/``false`` and an integer is a JSON integer (``5``, or ``5.0``,
  which JSON Schema counts as one): pydantic's lax mode took ``0``, ``"yes"`` or ``"5"`` where the
  document says boolean or integer. Body types are strict; parameters stay lax, because a path or
  query value arrives as text (``?mine=true``).
- A field with bounds of its own takes ``JsonInt`` and its ``Field(ge=…, le=…)``: bounds inside
  ``Annotated`` win over the field's, so ``Int64 = Field(ge=1)`` would keep the 64-bit ones.
- Numbers in a body are finite (Python's JSON decoder reads ``NaN`` and ``Infinity``).
- A day is ``Day``: ISO 8601 ``YYYY-MM-DD`` only, in a body or a query string (pydantic's lax mode
  read ``0`` or ``1700000000`` as a day of 1970).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, Strict

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


def _integral_float(value: Any) -> Any:
    """``5.0`` is the JSON integer 5; ``5.5``, ``true`` and ``"5"`` stay what they are (and fail)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_day(value: Any) -> Any:
    """Only the text ``YYYY-MM-DD`` (or a date already) reaches pydantic's date parsing."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.match(value):
        return value
    raise ValueError("a day is written YYYY-MM-DD")


# In a JSON body or a query string.
Day = Annotated[dt.date, BeforeValidator(_iso_day)]

# In a JSON body.
JsonInt = Annotated[int, Strict(), BeforeValidator(_integral_float)]
Int64 = Annotated[int, Strict(), Field(ge=INT64_MIN, le=INT64_MAX), BeforeValidator(_integral_float)]
Id = Annotated[int, Strict(), Field(ge=1, le=INT64_MAX), BeforeValidator(_integral_float)]
StrictBool = Annotated[bool, Strict()]
Number = Annotated[float, Strict(), Field(allow_inf_nan=False)]

# In a path or a query string.
ParamInt64 = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]
ParamId = Annotated[int, Field(ge=1, le=INT64_MAX)]
