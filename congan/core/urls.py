from django.urls import path

from congan.core import views_apikeys, views_audit

app_name = "core"

urlpatterns = [
    path("nhat-ky-kiem-toan/", views_audit.audit_list, name="audit_list"),
    path("khoa-api/", views_apikeys.apikey_list, name="apikey_list"),
    path("khoa-api/doi-tac/moi/", views_apikeys.client_create, name="apiclient_create"),
    path("khoa-api/doi-tac/<int:client_id>/trang-thai/", views_apikeys.client_set_active, name="apiclient_set_active"),
    path("khoa-api/moi/", views_apikeys.apikey_create, name="apikey_create"),
    path("khoa-api/<int:key_id>/xoay-vong/", views_apikeys.apikey_rotate, name="apikey_rotate"),
    path("khoa-api/<int:key_id>/thu-hoi/", views_apikeys.apikey_revoke, name="apikey_revoke"),
]
