from django.urls import path

from congan.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.log, name="log"),
    path("nhap/", views.upload, name="upload"),
    path("<int:message_id>/", views.message, name="message"),
    path("<int:message_id>/goi-tin.edxml", views.envelope, name="envelope"),
    path("<int:message_id>/thu-hoi/", views.recall, name="recall"),
    path("<int:message_id>/tra-loi-thu-hoi/", views.recall_reply, name="recall_reply"),
]
