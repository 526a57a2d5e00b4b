"""Scheduling: rooms and appointment types (settings), booking (one appointment or a
weekly series, reschedule, cancel with a reason, attendance) and the calendar (a day
or a week, a clinician's own or the front desk's across clinicians).

Appointment details (neutral label, room name, modality), the cancellation's reason
and attendance are encrypted under the client's key; times are stored in UTC and shown
in the practice's time zone (services.practice_time)."""

from confide.services.scheduling.booking import (
    APPOINTMENT_STATUSES,
    ATTENDANCE,
    MODALITIES,
    SERIES_MAX,
    SERIES_MIN,
    Conflict,
    appointment_cancel,
    appointment_create,
    appointment_reschedule,
    attendance_record,
    local_parts,
    series_cancel,
    series_create,
    wall_clock,
)
from confide.services.scheduling.calendar import (
    appointment_get,
    appointments_day,
    appointments_range,
    appointments_week,
    clinicians,
    week_start,
)
from confide.services.scheduling.settings import (
    appointment_type_create,
    appointment_type_list,
    appointment_type_set_active,
    defaults_create,
    neutral_label_check,
    room_create,
    room_list,
    room_set_active,
)

__all__ = [
    "APPOINTMENT_STATUSES", "ATTENDANCE", "MODALITIES", "SERIES_MAX", "SERIES_MIN", "Conflict",
    "appointment_cancel", "appointment_create", "appointment_reschedule", "attendance_record", "local_parts",
    "series_cancel", "series_create", "wall_clock", "appointment_get", "appointments_day", "appointments_range",
    "appointments_week", "clinicians", "week_start", "appointment_type_create", "appointment_type_list",
    "appointment_type_set_active", "defaults_create", "neutral_label_check", "room_create", "room_list",
    "room_set_active",
]
