from django.urls import path

from confide.web.releases import views

urlpatterns = [
    path("clients/<str:client_id>/releases/", views.releases_view, name="releases"),
    path("clients/<str:client_id>/releases/<str:release_id>/", views.release_view, name="release"),
    path("clients/<str:client_id>/releases/<str:release_id>/document/", views.release_document_view,
         name="release_document"),
]
