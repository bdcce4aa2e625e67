from django.urls import path

from congan.eservices import views, views_citizen, views_officer

app_name = "eservices"

urlpatterns = [
    # public
    path("", views.catalogue, name="catalogue"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure_detail"),
    path("tra-cuu/", views.track, name="track"),
    path("xac-minh/<str:token>/", views.verify, name="verify"),
    path("cong-khai/", views.public_dashboard, name="public_dashboard"),
    # the signed-in citizen
    path("thu-tuc/<str:code>/nop/", views_citizen.submit, name="submit"),
    path("cua-toi/", views_citizen.citizen_home, name="citizen_home"),
    path("ho-so/<str:code>/", views_citizen.dossier_detail, name="citizen_dossier"),
    path("ho-so/<str:code>/giay-tiep-nhan.pdf", views_citizen.receipt_pdf, name="receipt_pdf"),
    path("ho-so/<str:code>/ket-qua.pdf", views_citizen.result_pdf, name="result_pdf"),
    path("ho-so/<str:code>/thu-xin-loi-<int:letter_id>.pdf", views_citizen.apology_pdf, name="apology_pdf"),
    path("ho-so/<str:code>/danh-gia/", views_citizen.rate, name="rate"),
    path("ho-so/<str:code>/phan-anh/", views_citizen.complain, name="complain"),
    path("ho-so/<str:code>/bo-sung/", views_citizen.supplement, name="supplement"),
    # officers
    path("xu-ly/", views_officer.inbox, name="inbox"),
    path("thong-ke/", views_officer.officer_dashboard, name="dashboard"),
    path("xu-ly/<int:dossier_id>/", views_officer.dossier_detail, name="officer_dossier"),
    path("xu-ly/<int:dossier_id>/thao-tac/<slug:action>/", views_officer.act, name="act"),
    path("xu-ly/<int:dossier_id>/giao/", views_officer.assign, name="assign"),
    path("xu-ly/giao-hang-loat/", views_officer.assign_many, name="assign_many"),
    path("xu-ly/<int:dossier_id>/giay-tiep-nhan.pdf", views_officer.officer_receipt_pdf, name="officer_receipt_pdf"),
    path("xu-ly/<int:dossier_id>/ket-qua.pdf", views_officer.officer_result_pdf, name="officer_result_pdf"),
    path("xu-ly/<int:dossier_id>/gia-han/", views_officer.extend, name="extend"),
    path("xu-ly/<int:dossier_id>/xin-loi/", views_officer.apologise, name="apologise"),
    path(
        "xu-ly/<int:dossier_id>/thu-xin-loi-<int:letter_id>.pdf", views_officer.apology_pdf, name="officer_apology_pdf"
    ),
    path("xu-ly/<int:dossier_id>/tep/<int:attachment_id>/", views_officer.attachment, name="attachment"),
    path(
        "xu-ly/<int:dossier_id>/phan-anh/<int:complaint_id>/", views_officer.answer_complaint, name="answer_complaint"
    ),
]
