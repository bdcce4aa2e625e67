from django.urls import path

from congan.eservices import views, views_citizen

app_name = "eservices"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure_detail"),
    path("cua-toi/", views_citizen.citizen_home, name="citizen_home"),
]
