from django.urls import path

from confide.web.disclosures import legal_views, views

urlpatterns = [
    path("clients/<str:client_id>/disclosures/", views.hub_view, name="disclosures"),
    path("clients/<str:client_id>/disclosures/release/", views.release_disclosure_view, name="disclosure_release"),
    path("clients/<str:client_id>/disclosures/insurer/", views.insurer_disclosure_view, name="disclosure_insurer"),
    path("clients/<str:client_id>/disclosures/client-request/", views.client_request_view,
         name="disclosure_client_request"),
    path("clients/<str:client_id>/safety/", views.safety_view, name="safety"),
    path("clients/<str:client_id>/safety/<str:event_id>/", views.safety_event_view, name="safety_event"),
    path("clients/<str:client_id>/abuse/", views.abuse_view, name="abuse"),
    path("clients/<str:client_id>/abuse/<str:event_id>/", views.abuse_event_view, name="abuse_event"),
    path("clients/<str:client_id>/legal/", legal_views.legal_view, name="legal"),
    path("clients/<str:client_id>/legal/<str:request_id>/", legal_views.legal_request_view, name="legal_request"),
]
