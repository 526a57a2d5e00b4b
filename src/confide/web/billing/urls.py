from django.urls import path

from confide.web.billing import views

urlpatterns = [
    path("billing/", views.queue_view, name="billing_queue"),
    path("billing/settings/", views.settings_view, name="billing_settings"),
    path("clients/<str:client_id>/billing/", views.client_billing_view, name="client_billing"),
    path("clients/<str:client_id>/billing/claims/<str:claim_id>/", views.claim_view, name="billing_claim"),
    path("clients/<str:client_id>/billing/superbill.pdf", views.superbill_view, name="billing_superbill"),
]
