from django.urls import re_path

from congan.incidents import open311

app_name = "open311"
FMT = r"\.(?P<fmt>[a-z]+)$"

urlpatterns = [
    re_path(rf"^discovery{FMT}", open311.discovery, name="discovery"),
    re_path(rf"^services{FMT}", open311.service_list, name="services"),
    re_path(rf"^services/(?P<code>[A-Za-z0-9.]+){FMT}", open311.service_definition, name="service"),
    re_path(rf"^requests{FMT}", open311.requests, name="requests"),
    re_path(rf"^requests/(?P<request_id>[A-Za-z0-9]+){FMT}", open311.request_detail, name="request"),
    re_path(rf"^tokens/(?P<token>[A-Za-z0-9]+){FMT}", open311.token_lookup, name="token"),
    re_path(rf"^servicerequestupdates{FMT}", open311.request_updates, name="updates"),
]
