from django.urls import path

from congan.population import views_accounts

app_name = "population_citizen"

urlpatterns = [
    path("dang-ky/", views_accounts.register, name="register"),
    path("dang-nhap/", views_accounts.login, name="login"),
    path("dang-xuat/", views_accounts.logout, name="logout"),
    path("quen-mat-khau/", views_accounts.reset_request, name="reset_request"),
    path("dat-lai-mat-khau/", views_accounts.reset_confirm, name="reset_confirm"),
]
