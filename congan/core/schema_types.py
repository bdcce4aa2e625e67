"""Field types for the API's schemas: numbers bounded to what the database holds, and JSON bodies
taken as the OpenAPI document types them.

- Integers are 64-bit at most (PostgreSQL's bigint, SQLite's INTEGER): a larger one in a body or a
  path reached the database and answered 500. Use ``Int64``/``Id`` in bodies and ``ParamInt64``/
  ``ParamId`` for path and query parameters, or give the field tighter bounds of your own.
- In a JSON body a boolean is ``true``/``false`` and an integer is a JSON integer: pydantic's lax
  mode took ``0``, ``"yes"`` or ``"5"`` where the document says boolean or integer. Body types are
  strict; parameters stay lax, because a path or query value arrives as text (``?mine=true``).
- Numbers in a body are finite (Python's JSON decoder reads ``NaN`` and ``Infinity``).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, Strict

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

# In a JSON body.
Int64 = Annotated[int, Strict(), Field(ge=INT64_MIN, le=INT64_MAX)]
Id = Annotated[int, Strict(), Field(ge=1, le=INT64_MAX)]
StrictBool = Annotated[bool, Strict()]
Number = Annotated[float, Strict(), Field(allow_inf_nan=False)]

# In a path or a query string.
ParamInt64 = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]
ParamId = Annotated[int, Field(ge=1, le=INT64_MAX)]
