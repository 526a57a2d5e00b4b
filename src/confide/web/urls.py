from django.urls import path

from confide.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("clients/<str:client_id>/", views.chart, name="chart"),
    path("clients/<str:client_id>/break-glass/", views.break_glass_view, name="break_glass"),
    path("clients/<str:client_id>/access-report/", views.access_report_view, name="access_report"),
    path("clients/<str:client_id>/consultation/", views.consultation_view, name="consultation"),
    path("clients/<str:client_id>/consultation/<str:draft_id>/", views.consultation_review_view,
         name="consultation_review"),
    path("review/<str:grant_id>/", views.review_view, name="review"),
    path("front-desk/", views.front_desk_view, name="front_desk"),
    path("obligations/", views.obligations_view, name="obligations"),
]
