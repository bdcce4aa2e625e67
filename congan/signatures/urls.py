from django.urls import path

from congan.signatures import views

app_name = "signatures"

urlpatterns = [
    path("", views.verify, name="verify"),
]
