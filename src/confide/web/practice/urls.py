from django.urls import path

from confide.web.practice import views

urlpatterns = [
    path("review/", views.review_queue_view, name="review"),
    path("review/<str:grant_id>/", views.review_view, name="review_grant"),
]
