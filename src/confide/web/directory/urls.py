from django.urls import path

from confide.web.directory import views

urlpatterns = [
    path("clients/", views.clients_view, name="clients"),
]
