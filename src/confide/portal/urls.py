from django.urls import path

from confide.portal import accounting_requests, amendments, billing, client_views, sign_in, views

urlpatterns = [
    path("", views.portal_home, name="portal_home"),
    path("accounting/", views.portal_accounting, name="portal_accounting"),
    path("accounting.pdf", views.portal_accounting_pdf, name="portal_accounting_pdf"),
    path("documents/<str:document_id>/", views.portal_document, name="portal_document"),
    path("documents/<str:document_id>.pdf", views.portal_document_pdf, name="portal_document_pdf"),
    path("record-request/", views.portal_record_request, name="portal_record_request"),
    path("accounting/requests/", accounting_requests.portal_accounting_requests, name="portal_accounting_requests"),
    path("accounting/requests/<str:request_id>.pdf", accounting_requests.portal_accounting_document,
         name="portal_accounting_document"),
    path("amendments/", amendments.portal_amendments, name="portal_amendments"),
    path("amendments/<str:request_id>/disagree/", amendments.portal_amendment_disagree,
         name="portal_amendment_disagree"),
    path("amendments/<str:request_id>/include/", amendments.portal_amendment_include,
         name="portal_amendment_include"),
    path("billing/", billing.portal_billing, name="portal_billing"),
    path("billing/superbill.pdf", billing.portal_superbill, name="portal_superbill"),
    path("notice/", client_views.notice_page, name="portal_notice"),
    path("forms/<str:slug>/", client_views.form_page, name="portal_form"),
    path("appointments/", client_views.appointments_page, name="portal_appointments"),
    path("appointments/requests/<str:request_id>/withdraw/", client_views.appointment_request_withdraw,
         name="portal_request_withdraw"),
    path("messages/", client_views.messages_page, name="portal_messages"),
    path("preferences/", client_views.preferences_page, name="portal_preferences"),
    path("access/", client_views.access_page, name="portal_access"),
    path("sign-in/", sign_in.sign_in_page, name="portal_sign_in"),
    path("sign-in/on/", sign_in.factor_on_page, name="portal_factor_on"),
    path("sign-in/off/", sign_in.factor_off_page, name="portal_factor_off"),
    path("parent-view/", client_views.parent_view_page, name="portal_parent_view"),
]
