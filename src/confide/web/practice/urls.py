from django.urls import path

from confide.web.practice import setup_views, views

urlpatterns = [
    path("setup/", setup_views.setup_view, name="setup"),
    path("review/", views.review_queue_view, name="review"),
    path("review/<str:grant_id>/", views.review_view, name="review_grant"),
]
