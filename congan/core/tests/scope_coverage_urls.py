"""A URL configuration for congan/core/tests/test_scope_coverage.py: the site, plus a page and an
API nobody registered, to see the gate name them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from ninja import Router

from congan.core.api import PlatformAPI, officer_auth
from congan.urls import urlpatterns as site_urlpatterns


def unregistered_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


router = Router()


@router.get("/fake-records/{record_id}", auth=officer_auth)
def get_fake_record(request: HttpRequest, record_id: int) -> dict:
    return {}


@router.delete("/fake-records/{record_id}", auth=officer_auth)
def delete_fake_record(request: HttpRequest, record_id: int) -> dict:
    return {}


@router.get("/hidden-records", auth=officer_auth, include_in_schema=False)
def hidden_records(request: HttpRequest) -> list:
    return []


extra_api = PlatformAPI(urls_namespace="scope-coverage-test", docs_url=None, openapi_url=None)
extra_api.add_router("", router)

urlpatterns = [
    *site_urlpatterns,
    path("kiem-tra-pham-vi/", unregistered_page, name="unregistered_page"),
    path("api/kiem-tra/", extra_api.urls),
]
