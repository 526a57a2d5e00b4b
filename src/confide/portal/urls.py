from django.urls import path

from confide.portal import billing, views

urlpatterns = [
    path("", views.portal_home, name="portal_home"),
    path("accounting/", views.portal_accounting, name="portal_accounting"),
    path("accounting.pdf", views.portal_accounting_pdf, name="portal_accounting_pdf"),
    path("documents/<str:document_id>/", views.portal_document, name="portal_document"),
    path("documents/<str:document_id>.pdf", views.portal_document_pdf, name="portal_document_pdf"),
    path("record-request/", views.portal_record_request, name="portal_record_request"),
    path("billing/", billing.portal_billing, name="portal_billing"),
    path("billing/superbill.pdf", billing.portal_superbill, name="portal_superbill"),
]
