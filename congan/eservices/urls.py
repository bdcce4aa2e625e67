from django.urls import path

from congan.eservices import views

app_name = "eservices"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure_detail"),
]
