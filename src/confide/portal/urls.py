from django.urls import path

from confide.portal import views

urlpatterns = [path("", views.portal_home, name="portal_home")]
