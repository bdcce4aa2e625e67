from django.urls import path

from congan.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.report_new, name="report_new"),
    path("trung-lap/", views.duplicates_hint, name="duplicates_hint"),
    path("theo-doi/", views.track, name="track"),
    path("xu-ly/", views.queue, name="queue"),
    path("xu-ly/<int:report_id>/", views.report_detail, name="report_detail"),
    path("xu-ly/<int:report_id>/phan-loai/", views.triage, name="triage"),
    path("xu-ly/<int:report_id>/trang-thai/", views.set_status, name="set_status"),
    path("xu-ly/<int:report_id>/gop/", views.merge, name="merge"),
]
