from django.urls import path

from confide.web.home import views

urlpatterns = [
    path("", views.home, name="home"),
]
