"""The one NinjaAPI at /api/v1/: each app mounts its router here."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Router, Schema

from congan.core.api import install_error_handlers, officer_auth, partner_auth

api = NinjaAPI(
    title="Công an số API",
    version="1",
    description=str(_('API của nền tảng Công an số. Lỗi luôn có dạng {"code", "message", "details"}.')),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=[officer_auth, partner_auth],
)
install_error_handlers(api)


class ErrorOut(Schema):
    code: str
    message: str
    details: dict


meta = Router(tags=["meta"])


class WhoAmIOut(Schema):
    kind: str
    name: str
    scopes: list[str]


@meta.get("/whoami", response={200: WhoAmIOut, 401: ErrorOut, 429: ErrorOut})
def get_whoami(request):
    """Who the caller is: an officer session or a partner key (with its scopes)."""
    api_key = getattr(request, "api_key", None)
    if api_key is not None:
        return {"kind": "api_key", "name": api_key.client.name, "scopes": api_key.scopes}
    return {"kind": "officer", "name": request.auth.full_name, "scopes": []}


api.add_router("/meta", meta)


def _mount_routers() -> None:
    from congan.org.api import router as org_router

    api.add_router("/org", org_router)


_mount_routers()
