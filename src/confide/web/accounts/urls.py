from django.urls import path

from confide.web.accounts import enrolment_views, invitation_views, views

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("enrol/", enrolment_views.enrol_view, name="enrol"),
    path("invitation/<str:token>/", invitation_views.invitation_view, name="invitation"),
]
