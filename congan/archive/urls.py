from django.urls import path

from congan.archive import views

app_name = "archive"

urlpatterns = [
    path("", views.home, name="home"),
    path("tai-len/", views.upload, name="upload"),
    path("tai-lieu/", views.item_list, name="item_list"),
    path("tai-lieu/<int:item_id>/", views.item, name="item"),
    path("tai-lieu/<int:item_id>/tien-do/", views.item_progress, name="item_progress"),
    path("tai-lieu/<int:item_id>/ban-goc/", views.item_original, name="item_original"),
    path("tai-lieu/<int:item_id>/ban-luu-tru.pdf", views.item_archive_copy, name="item_archive_copy"),
    path("tai-lieu/<int:item_id>/trang/<int:number>/", views.page_edit, name="page_edit"),
    path("tai-lieu/<int:item_id>/goi-y/<int:suggestion_id>/", views.suggestion_decide, name="suggestion_decide"),
    path("tai-lieu/<int:item_id>/ho-so/", views.item_file, name="item_file"),
    path("tai-lieu/<int:item_id>/thu-tu/", views.item_move, name="item_move"),
    path("ho-so/", views.dossier_list, name="dossier_list"),
    path("ho-so/moi/", views.dossier_new, name="dossier_new"),
    path("ho-so/<int:dossier_id>/", views.dossier, name="dossier"),
    path("ho-so/<int:dossier_id>/sua/", views.dossier_edit, name="dossier_edit"),
]
