from django.urls import path

from confide.web.messaging import views

urlpatterns = [
    path("front-desk/", views.front_desk_view, name="front_desk"),
]
