from django.urls import path

from confide.web.messaging import views

urlpatterns = [
    path("front-desk/", views.front_desk_view, name="front_desk"),
    path("messages/", views.threads_view, name="messages"),
    path("clients/<str:client_id>/messages/", views.thread_view, name="client_messages"),
]
