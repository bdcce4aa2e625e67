from django.urls import path

from congan.org import views, views_auth

app_name = "org"

urlpatterns = [
    path("dang-nhap/", views_auth.LoginView.as_view(), name="login"),
    path("dang-xuat/", views_auth.LogoutView.as_view(), name="logout"),
    path("xac-thuc-hai-lop/", views_auth.otp_verify, name="otp_verify"),
    path("xac-thuc-hai-lop/cai-dat/", views_auth.otp_setup, name="otp_setup"),
    path("xac-thuc-hai-lop/ma-khoi-phuc/", views_auth.otp_recovery_codes, name="otp_recovery_codes"),
    path("tai-khoan/", views_auth.account, name="account"),
    path("don-vi/", views.unit_list, name="unit_list"),
    path("xa-phuong.json", views.commune_places, name="commune_places"),
    path("ranh-gioi-xa-phuong.json", views.commune_boundaries, name="commune_boundaries"),
    path("can-bo/", views.officer_list, name="officer_list"),
    path("tap-huan/", views.training_list, name="training_list"),
    path("tap-huan/moi/", views.training_create, name="training_create"),
    path("tap-huan/<int:course_id>/", views.training_detail, name="training_detail"),
]
