from django.urls import path

from confide.portal import views

urlpatterns = [
    path("", views.portal_home, name="portal_home"),
    path("accounting/", views.portal_accounting, name="portal_accounting"),
    path("accounting.pdf", views.portal_accounting_pdf, name="portal_accounting_pdf"),
    path("record-request/", views.portal_record_request, name="portal_record_request"),
]
