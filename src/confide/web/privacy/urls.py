from django.urls import path

from confide.web.privacy import views

urlpatterns = [
    path("privacy/", views.dashboard_view, name="privacy"),
    path("privacy/accounting/<str:client_id>/<str:request_id>/", views.accounting_view, name="privacy_accounting"),
    path("privacy/accounting/<str:client_id>/<str:request_id>/document.pdf", views.accounting_document_view,
         name="privacy_accounting_document"),
    path("privacy/legal/<str:client_id>/<str:legal_request_id>/", views.legal_decide_view, name="privacy_legal_decide"),
    path("privacy/amendments/", views.amendments_view, name="privacy_amendments"),
    path("privacy/amendments/<str:client_id>/<str:request_id>/", views.amendment_view, name="privacy_amendment"),
    path("privacy/suspensions/", views.suspensions_view, name="privacy_suspensions"),
    path("privacy/audit/", views.audit_report_view, name="audit"),
    path("privacy/audit.csv", views.audit_export_view, name="audit_export"),
]
