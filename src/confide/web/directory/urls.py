from django.urls import path

from confide.web.directory import views

urlpatterns = [
    path("clients/emergency/", views.emergency_view, name="emergency_access"),
    path("clients/", views.clients_view, name="clients"),
]
