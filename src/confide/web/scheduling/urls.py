from django.urls import path

from confide.web.scheduling import views

urlpatterns = [
    path("calendar/", views.calendar_day, name="calendar"),
    path("calendar/week/", views.calendar_week, name="calendar_week"),
    path("calendar/book/", views.book, name="calendar_book"),
    path("calendar/appointments/<str:appointment_id>/", views.appointment, name="appointment"),
    path("calendar/appointments/<str:appointment_id>/cancel/", views.cancel, name="appointment_cancel"),
    path("calendar/appointments/<str:appointment_id>/reschedule/", views.reschedule, name="appointment_reschedule"),
    path("calendar/appointments/<str:appointment_id>/attendance/", views.attendance, name="appointment_attendance"),
    path("calendar/rooms/", views.rooms, name="rooms"),
    path("calendar/types/", views.appointment_types, name="appointment_types"),
    path("appointment-requests/", views.appointment_requests, name="appointment_requests"),
    path("appointment-requests/<str:request_id>/<str:decision>/", views.appointment_request_decide,
         name="appointment_request_decide"),
]
