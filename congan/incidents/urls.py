from django.urls import path

from congan.incidents import views, views_dispatch

app_name = "incidents"

urlpatterns = [
    path("", views.report_new, name="report_new"),
    path("trung-lap/", views.duplicates_hint, name="duplicates_hint"),
    path("theo-doi/", views.track, name="track"),
    path("xu-ly/", views.queue, name="queue"),
    path("xu-ly/<int:report_id>/", views.report_detail, name="report_detail"),
    path("xu-ly/<int:report_id>/tep/<int:media_id>/", views.report_media, name="report_media"),
    path("xu-ly/<int:report_id>/phan-loai/", views.triage, name="triage"),
    path("xu-ly/<int:report_id>/trang-thai/", views.set_status, name="set_status"),
    path("xu-ly/<int:report_id>/gop/", views.merge, name="merge"),
    path("xu-ly/<int:report_id>/vi-tri/", views.set_location, name="set_location"),
    path("xu-ly/<int:report_id>/chuyen/", views.transfer, name="transfer"),
    path("xu-ly/<int:report_id>/dieu-dong/", views_dispatch.send_units, name="send_units"),
    path("dieu-phoi/", views_dispatch.board, name="board"),
    path("thong-ke/", views_dispatch.metrics, name="metrics"),
    path("dieu-phoi/du-lieu.json", views_dispatch.board_data, name="board_data"),
    path("to-cong-tac/", views_dispatch.field, name="field"),
    path("to-cong-tac/<int:unit_id>/trang-thai/", views_dispatch.field_step, name="field_step"),
    path("to-cong-tac/<int:unit_id>/vi-tri/", views_dispatch.field_position, name="field_position"),
]
