from django.urls import path

from congan.alerts import views, views_manage

app_name = "alerts"

urlpatterns = [
    path("", views.public_list, name="public_list"),
    path("feed.atom", views.CapIndexFeed(), name="feed"),
    path("dang-ky/", views.subscribe, name="subscribe"),
    path("dang-ky/xac-nhan/", views.confirm, name="confirm"),
    path("huy-dang-ky/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("quan-ly/", views_manage.manage, name="manage"),
    path("quan-ly/moi/", views_manage.compose, name="compose"),
    path("quan-ly/<int:alert_id>/", views_manage.manage_detail, name="manage_detail"),
    path("quan-ly/<int:alert_id>/sua/", views_manage.edit, name="edit"),
    path("quan-ly/<int:alert_id>/trinh/", views_manage.submit, name="submit"),
    path("quan-ly/<int:alert_id>/phe-duyet/", views_manage.approve, name="approve"),
    path("quan-ly/<int:alert_id>/tra-lai/", views_manage.send_back, name="send_back"),
    path("quan-ly/<int:alert_id>/tiep-theo/", views_manage.follow_up, name="follow_up"),
    path("<str:identifier>.xml", views.cap_document, name="cap"),
    path("<str:identifier>/", views.public_detail, name="public_detail"),
]
