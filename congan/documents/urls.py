from django.urls import path

from congan.documents import views

app_name = "documents"

urlpatterns = [
    path("den/", views.register, name="register"),
    path("den/so.pdf", views.register_print, name="register_pdf"),
    path("den/vao-so/", views.register_new, name="register_new"),
    path("den/khoa-so/", views.register_close, name="register_close"),
    path("den/khoa-so/<int:closure_id>.pdf", views.closure_pdf, name="closure_pdf"),
    path("den/<int:document_id>/", views.incoming, name="incoming"),
    path("den/<int:document_id>/vao-so/", views.register_received, name="register_received"),
    path("den/<int:document_id>/tep.pdf", views.incoming_file, name="incoming_file"),
    path("den/<int:document_id>/chuyen/", views.hand_over, name="hand_over"),
    path("den/<int:document_id>/ky-nhan/", views.acknowledge, name="acknowledge"),
]
