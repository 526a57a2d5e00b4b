from django.urls import path

from confide.web.intake import views

urlpatterns = [
    path("intake/", views.intake_view, name="intake"),
    path("intake/<str:client_id>/portal/", views.portal_invite_view, name="intake_portal"),
]
