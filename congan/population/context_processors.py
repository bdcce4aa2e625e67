from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from congan.population.accounts import citizen_from_session


def citizen(request: HttpRequest) -> dict[str, Any]:
    """The signed-in citizen (or None) for the page header."""
    return {"citizen": citizen_from_session(request)}
