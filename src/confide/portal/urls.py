from django.urls import path

from confide.portal import accounting_requests, views

urlpatterns = [
    path("", views.portal_home, name="portal_home"),
    path("accounting/", views.portal_accounting, name="portal_accounting"),
    path("accounting.pdf", views.portal_accounting_pdf, name="portal_accounting_pdf"),
    path("record-request/", views.portal_record_request, name="portal_record_request"),
    path("accounting/requests/", accounting_requests.portal_accounting_requests, name="portal_accounting_requests"),
    path("accounting/requests/<str:request_id>.pdf", accounting_requests.portal_accounting_document,
         name="portal_accounting_document"),
]
