from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from congan.api import api
from congan.core import views as core_views
from congan.core import views_map as core_views_map
from congan.org import views_auth as org_views_auth

admin.site.site_header = settings.FORCE_NAME
admin.site.site_title = "Công an số"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("", core_views.landing, name="landing"),
    path("tong-quan/", core_views.dashboard, name="dashboard"),
    path("tim-kiem/", core_views.search, name="search"),
    path("tim-kiem/noi-dung/", include("congan.search.urls")),
    path("viec-can-lam/", core_views.attention, name="attention"),
    path("healthz", core_views.healthz, name="healthz"),
    path("sw.js", core_views.service_worker, name="service_worker"),
    path("metrics", core_views.metrics, name="metrics"),
    # The operator's base map file (CONGAN_BASEMAP_FILE), public and cacheable: decision 0023.
    path("ban-do/nen.pmtiles", core_views_map.basemap_pmtiles, name="basemap_pmtiles"),
    path("ban-do/nen/<int:z>/<int:x>/<int:y>.<str:ext>", core_views_map.basemap_tile, name="basemap_tile"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("he-thong/", include("congan.core.urls")),
    path("to-chuc/", include("congan.org.urls")),
    path("dan-cu/", include("congan.population.urls")),
    path("cong-dan/", include("congan.population.urls_citizen")),
    path("dich-vu-cong/", include("congan.eservices.urls")),
    path("tin-bao/", include("congan.incidents.urls")),
    path("canh-bao/", include("congan.alerts.urls")),
    path("giao-thong/", include("congan.traffic.urls")),
    path("van-ban/lien-thong/", include("congan.exchange.urls")),
    path("van-ban/kiem-tra-chu-ky/", include("congan.signatures.urls")),
    path("van-ban/luu-tru/", include("congan.archive.urls")),
    path("van-ban/", include("congan.documents.urls")),
    path("dieu-hanh/", include("congan.tasks.urls")),
    path("open311/v2/", include("congan.incidents.urls_open311")),
    # The admin signs in and out through the platform's pages (axes lockout, two-factor, audit).
    path("admin/login/", RedirectView.as_view(pattern_name="org:login", query_string=True)),
    path("admin/logout/", org_views_auth.LogoutView.as_view()),
    path("admin/", admin.site.urls),
]
# Uploaded files (ID-card scans, report photos) are never served from MEDIA_ROOT, not even with
# DEBUG on: each is read through its module's scoped and audited download view.

handler403 = "congan.core.views.error_403"
handler404 = "congan.core.views.error_404"
handler500 = "congan.core.views.error_500"
