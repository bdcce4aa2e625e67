from django.urls import path

from congan.traffic import views, views_stats, views_violations

app_name = "traffic"

urlpatterns = [
    path("camera/", views.cameras, name="cameras"),
    path("vi-pham/", views_violations.desk, name="desk"),
    path("vi-pham/hang-loat/", views_violations.bulk, name="bulk"),
    path("vi-pham/<int:event_id>/", views_violations.detail, name="violation"),
    path("vi-pham/<int:event_id>/thong-bao.pdf", views_violations.officer_notice, name="officer_notice"),
    path("vi-pham/<int:event_id>/<slug:step>/", views_violations.step, name="step"),
    path("thong-bao/<str:token>.pdf", views_violations.public_notice, name="notice_pdf"),
    path("bang-chung/<str:token>/", views_violations.evidence, name="evidence"),
    path("tra-cuu/", views_violations.lookup, name="lookup"),
    path("thong-ke/", views_stats.stats, name="stats"),
]
