from django.urls import path

from congan.population import views

app_name = "population"

urlpatterns = [
    path("", views.resident_search, name="resident_search"),
    path("<int:resident_id>/", views.resident_profile, name="resident_profile"),
]
