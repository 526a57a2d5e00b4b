from django.urls import path

from confide.web.obligations import views

urlpatterns = [
    path("obligations/", views.obligations_view, name="obligations"),
]
