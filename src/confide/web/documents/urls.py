from django.urls import path

from confide.web.documents import views

urlpatterns = [
    path("documents/<str:document_id>/", views.document_view, name="document"),
    path("documents/<str:document_id>.pdf", views.document_pdf_view, name="document_pdf"),
]
