from django.urls import path

from congan.documents import copy_views, outgoing_views, views

app_name = "documents"

urlpatterns = [
    path("den/", views.register, name="register"),
    path("den/so.pdf", views.register_print, name="register_pdf"),
    path("den/vao-so/", views.register_new, name="register_new"),
    path("den/khoa-so/", views.register_close, name="register_close"),
    path("den/khoa-so/<int:closure_id>.pdf", views.closure_pdf, name="closure_pdf"),
    path("den/khoa-so/<int:closure_id>/", views.closure, name="closure"),
    path("den/khoa-so/<int:closure_id>/ky/", views.closure_sign, name="closure_sign"),
    path("den/<int:document_id>/", views.incoming, name="incoming"),
    path("den/<int:document_id>/vao-so/", views.register_received, name="register_received"),
    path("den/<int:document_id>/tep.pdf", views.incoming_file, name="incoming_file"),
    path("den/<int:document_id>/chuyen/", views.hand_over, name="hand_over"),
    path("den/<int:document_id>/ky-nhan/", views.acknowledge, name="acknowledge"),
    path("den/<int:document_id>/nguoi-xem/", outgoing_views.incoming_access, name="incoming_access"),
    path("den/<int:document_id>/sao/", copy_views.from_incoming, name="incoming_copy"),
    path(
        "den/<int:document_id>/phu-luc/<int:attachment_id>.pdf",
        outgoing_views.incoming_attachment_file,
        name="incoming_attachment",
    ),
    path("di/", outgoing_views.register, name="outgoing_register"),
    path("di/moi/", outgoing_views.new, name="outgoing_new"),
    path("di/tai/<str:token>/", outgoing_views.download, name="outgoing_download"),
    path("di/<int:document_id>/", outgoing_views.detail, name="outgoing"),
    path("di/<int:document_id>/van-ban.pdf", outgoing_views.issued_pdf, name="outgoing_pdf"),
    path(
        "di/<int:document_id>/phien-ban/<int:version_id>/tep", outgoing_views.version_file, name="outgoing_version_file"
    ),
    path("di/<int:document_id>/sao/", copy_views.from_outgoing, name="outgoing_copy"),
    path(
        "di/<int:document_id>/phu-luc/<int:attachment_id>.pdf",
        outgoing_views.attachment_file,
        name="outgoing_attachment",
    ),
    path("di/<int:document_id>/<slug:step>/", outgoing_views.step, name="outgoing_step"),
    path("ban-sao/", copy_views.copies, name="copies"),
    path("ban-sao/sao-y-ban-giay/", copy_views.from_paper, name="copy_paper"),
    path("ban-sao/<int:copy_id>/", copy_views.detail, name="copy"),
    path("ban-sao/<int:copy_id>/ban-sao.pdf", copy_views.copy_pdf, name="copy_pdf"),
    path("ban-sao/<int:copy_id>/gui/", copy_views.send, name="copy_send"),
]
