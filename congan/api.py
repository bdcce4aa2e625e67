"""The one NinjaAPI at /api/v1/: each app mounts its router here."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema
from ninja.openapi.docs import Swagger

from congan.core import fastlane
from congan.core.api import (
    ErrorOut,
    PlatformAPI,
    error_responses,
    install_error_handlers,
    officer_auth,
    partner_auth,
    require_scope,
)

__all__ = ["ErrorOut", "api"]

api = PlatformAPI(
    title="Công an số API",
    version="1",
    description=str(_('API của nền tảng Công an số. Lỗi luôn có dạng {"code", "message", "details"}.')),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    # swagger-ui is vendored with ninja (served from /static/ninja/) and renders under our strict
    # CSP; its default online validator (validator.swagger.io) is off: the intranet has no internet.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    auth=[officer_auth, partner_auth],
)
install_error_handlers(api)


meta = Router(tags=["meta"])


class WhoAmIOut(Schema):
    kind: str
    name: str
    scopes: list[str]


@meta.get("/whoami", response={200: WhoAmIOut, **error_responses(401, 403, 429)})
def get_whoami(request: HttpRequest):
    """Who the caller is: an officer session or a partner key (needs the scope ``meta.read``)."""
    require_scope(request, "meta.read")
    api_key = getattr(request, "api_key", None)
    if api_key is not None:
        return {"kind": "api_key", "name": api_key.client.name, "scopes": api_key.scopes}
    return {"kind": "officer", "name": request.auth.full_name, "scopes": []}


api.add_router("/meta", meta)


def _mount_routers() -> None:
    from congan.alerts.api import router as alerts_router
    from congan.archive.api import router as archive_router
    from congan.core.api_notifications import router as notifications_router
    from congan.documents.api import router as documents_router
    from congan.eservices.api import router as eservices_router
    from congan.eservices.api_dossiers import router as dossiers_router
    from congan.exchange.api import router as exchange_router
    from congan.incidents.api import router as incidents_router
    from congan.org.api import router as org_router
    from congan.population.api import router as population_router
    from congan.population.api_citizen import router as citizen_router
    from congan.search.api import router as search_router
    from congan.signatures.api import router as signatures_router
    from congan.tasks.api import router as tasks_router
    from congan.traffic.api import router as traffic_router
    from congan.traffic.api_violations import router as violations_router

    api.add_router("/org", org_router)
    api.add_router("", population_router)
    api.add_router("", citizen_router)
    api.add_router("", eservices_router)
    api.add_router("", dossiers_router)
    api.add_router("", incidents_router)
    api.add_router("", alerts_router)
    api.add_router("", notifications_router)
    api.add_router("", traffic_router)
    api.add_router("", violations_router)
    api.add_router("", documents_router)
    api.add_router("", exchange_router)
    api.add_router("", signatures_router)
    api.add_router("", tasks_router)
    api.add_router("", archive_router)
    api.add_router("", search_router)


_mount_routers()
fastlane.serve_api(api)  # the lane (congan.core.fastlane) serves some of these operations
