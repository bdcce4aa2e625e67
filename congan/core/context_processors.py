from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    from congan.core.attention import total_for
    from congan.core.basemap import page_config
    from congan.core.navigation import menu_groups

    return {
        "force_name": settings.FORCE_NAME,
        "nav_groups": menu_groups(getattr(request, "user", None)),
        "attention_total": total_for(getattr(request, "user", None)),
        # Every map page: tiles from a server inside the network (empty: a plain background), and the centre.
        "tile_url": settings.INCIDENTS_TILE_URL,
        "centre": ",".join(settings.INCIDENTS_MAP_CENTRE),
        # The operator's base map file (CONGAN_BASEMAP_FILE), drawn when there is no tile server.
        "basemap": page_config() if not settings.INCIDENTS_TILE_URL else None,
    }
