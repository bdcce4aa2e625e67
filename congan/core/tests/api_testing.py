"""A test-only API mounted next to the real one (``@pytest.mark.urls(__name__)``): it has a JSON
body endpoint, which the platform API does not have yet, and endpoints raising each error kind.
It shares the real authentication and ``install_error_handlers``, so what it proves holds for
/api/v1/ too."""

from __future__ import annotations

from django.urls import path
from ninja import Schema

from congan.core.api import PlatformAPI, install_error_handlers, officer_auth, partner_auth
from congan.core.errors import Conflict, NotFound
from congan.urls import handler403, handler404, handler500  # noqa: F401 - the test urlconf keeps them
from congan.urls import urlpatterns as real_urlpatterns

test_api = PlatformAPI(title="test", urls_namespace="api-test", auth=[officer_auth, partner_auth], docs_url=None)
install_error_handlers(test_api)


class ThingIn(Schema):
    name: str
    count: int


@test_api.post("/things")
def create_thing(request, payload: ThingIn):
    return {"name": payload.name, "count": payload.count}


@test_api.get("/boom")
def get_boom(request):
    raise RuntimeError("secret internals: password=hunter2")


@test_api.get("/missing")
def get_missing(request):
    raise NotFound()


@test_api.get("/conflict")
def get_conflict(request):
    raise Conflict(details={"field": "x"})


def plain_boom(request):
    raise RuntimeError("secret internals: password=hunter2")


urlpatterns = [*real_urlpatterns, path("api/test/", test_api.urls), path("api/test-plain/boom", plain_boom)]
