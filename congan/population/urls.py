from django.urls import path

from congan.population import views, views_accounts, views_citizen, views_edit, views_household, views_import

app_name = "population"

urlpatterns = [
    path("", views.resident_search, name="resident_search"),
    path("<int:resident_id>/", views.resident_profile, name="resident_profile"),
    path("<int:resident_id>/sua/", views_edit.resident_edit, name="resident_edit"),
    path("ho/<int:household_id>/", views_household.household_detail, name="household_detail"),
    path("ho/<int:household_id>/<slug:action>/", views_household.household_change, name="household_change"),
    path("cong-dan/ai-da-xem/", views_citizen.my_lookups, name="citizen_lookups"),
    path("tai-khoan-cong-dan/", views_accounts.account_list, name="citizen_accounts"),
    path(
        "tai-khoan-cong-dan/<int:account_id>/xac-nhan/",
        views_accounts.account_confirm,
        name="citizen_account_confirm",
    ),
    path("nhap-du-lieu/", views_import.import_list, name="import_list"),
    path("nhap-du-lieu/<int:batch_id>/", views_import.import_detail, name="import_detail"),
    path("nhap-du-lieu/<int:batch_id>/tu-choi.csv", views_import.import_rejects_csv, name="import_rejects_csv"),
    path("nhap-du-lieu/<int:batch_id>/tiep-tuc/", views_import.import_resume, name="import_resume"),
]
