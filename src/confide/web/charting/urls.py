from django.urls import path

from confide.web.charting import views

urlpatterns = [
    path("clients/<str:client_id>/", views.chart_view, name="chart"),
    path("clients/<str:client_id>/notes/", views.chart_view, {"tab": "notes"}, name="chart_notes"),
    path("clients/<str:client_id>/plan/", views.chart_view, {"tab": "plan"}, name="chart_plan"),
    path("clients/<str:client_id>/assessments/", views.chart_view, {"tab": "assessments"}, name="chart_assessments"),
    path("clients/<str:client_id>/appointments/", views.chart_view, {"tab": "appointments"},
         name="chart_appointments"),
    path("clients/<str:client_id>/break-glass/", views.break_glass_view, name="break_glass"),
    path("clients/<str:client_id>/access-report/", views.access_report_view, name="access_report"),
]
