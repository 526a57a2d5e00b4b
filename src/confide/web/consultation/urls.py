from django.urls import path

from confide.web.consultation import views

urlpatterns = [
    path("clients/<str:client_id>/consultation/", views.consultation_view, name="consultation"),
    path("clients/<str:client_id>/consultation/<str:draft_id>/", views.consultation_review_view,
         name="consultation_review"),
]
