from django.urls import path

from confide.web.charting import views

urlpatterns = [
    path("clients/<str:client_id>/", views.chart_view, name="chart"),
    path("clients/<str:client_id>/notes/", views.notes_tab_view, name="chart_notes"),
    path("clients/<str:client_id>/notes/new/", views.note_new_view, name="note_new"),
    path("clients/<str:client_id>/notes/<str:note_id>/", views.note_view, name="note"),
    path("clients/<str:client_id>/notes/<str:note_id>/save/", views.note_save_view, name="note_save"),
    path("clients/<str:client_id>/notes/<str:note_id>/sign/", views.note_sign_view, name="note_sign"),
    path("clients/<str:client_id>/notes/<str:note_id>/addendum/", views.note_addendum_view, name="note_addendum"),
    path("clients/<str:client_id>/notes/<str:note_id>/cosign/", views.note_cosign_view, name="note_cosign"),
    path("clients/<str:client_id>/notes/<str:note_id>/return/", views.note_return_view, name="note_return"),
    path("clients/<str:client_id>/plan/", views.chart_view, {"tab": "plan"}, name="chart_plan"),
    path("clients/<str:client_id>/plan/edit/", views.plan_edit_view, name="plan_edit"),
    path("clients/<str:client_id>/diagnoses/", views.diagnoses_view, name="chart_diagnoses"),
    path("clients/<str:client_id>/diagnoses/add/", views.diagnosis_add_view, name="diagnosis_add"),
    path("clients/<str:client_id>/measures/", views.chart_view, {"tab": "measures"}, name="chart_measures"),
    path("clients/<str:client_id>/measures/<str:slug>/", views.measure_view, name="measure_new"),
    path("clients/<str:client_id>/appointments/", views.chart_view, {"tab": "appointments"},
         name="chart_appointments"),
    path("clients/<str:client_id>/psychotherapy/", views.psychotherapy_view, name="chart_psychotherapy"),
    path("clients/<str:client_id>/break-glass/", views.break_glass_view, name="break_glass"),
    path("clients/<str:client_id>/access-report/", views.access_report_view, name="access_report"),
    path("notes-to-sign/", views.notes_to_sign_view, name="notes_to_sign"),
    path("cosigns/", views.cosigns_view, name="cosigns"),
    path("forms/", views.forms_to_review_view, name="forms_to_review"),
    path("forms/<str:response_id>/", views.form_response_view, name="form_response"),
]
