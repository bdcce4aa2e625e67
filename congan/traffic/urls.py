from django.urls import path

from congan.traffic import views

app_name = "traffic"

urlpatterns = [
    path("camera/", views.cameras, name="cameras"),
]
