from django.urls import path

from congan.tasks import views

app_name = "tasks"

urlpatterns = [
    path("viec/", views.task_list, name="list"),
    path("viec/giao/", views.task_new, name="new"),
    path("viec/<int:task_id>/", views.task_detail, name="detail"),
    path("viec/<int:task_id>/bao-cao/", views.task_report, name="report"),
    path("viec/<int:task_id>/gia-han/", views.task_extension, name="extension"),
    path("viec/<int:task_id>/duyet-gia-han/", views.task_decide, name="decide"),
    path("viec/<int:task_id>/hoan-thanh/", views.task_complete, name="complete"),
    path("but-phe/<int:document_id>/", views.directive, name="directive"),
    path("thong-ke/", views.unit_dashboard, name="unit_dashboard"),
    path("thong-ke/lanh-dao/", views.leader_dashboard, name="leader_dashboard"),
]
