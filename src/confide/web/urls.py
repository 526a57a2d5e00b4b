from django.urls import path

from confide.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("clients/<str:client_id>/", views.chart, name="chart"),
    path("clients/<str:client_id>/break-glass/", views.break_glass_view, name="break_glass"),
    path("clients/<str:client_id>/access-report/", views.access_report_view, name="access_report"),
    path("review/<str:grant_id>/", views.review_view, name="review"),
]
