"""Scheduling over the API: the calendar (a day to a month, a clinician's own or the
front desk's), a weekly series, one appointment, reschedule, cancel with a reason,
attendance, and the practice's rooms and appointment types. Each operation calls one
service; times go out in UTC (ISO 8601) with the practice-local wording beside them."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal

from ninja import Schema, Status
from pydantic import Field, StrictBool, StrictInt, field_validator

from confide.api import schemas as s
from confide.api.operations import Operation
from confide.core.errors import InvalidInput
from confide.services import scheduling
from confide.services.practice_time import human_datetime, human_time


class AppointmentOut(Schema):
    id: str
    client_id: str
    client_name: str
    starts_at: datetime
    ends_at: datetime
    when: str = Field(description="in the practice's time zone, e.g. 'Tue 8 Dec, 6:00 PM to 6:50 PM'")
    minutes: int
    clinician: str
    clinician_id: int
    label: str
    room: str
    modality: str
    series: bool
    status: str | None = None


class AppointmentDetailOut(AppointmentOut):
    cancellation_reason: str | None = None
    cancelled_by: str | None = None


class SeriesIn(s.Strict):
    clinician_id: StrictInt | None = Field(default=None, ge=1, le=2**63 - 1)
    first_day: date = Field(description="the first session's date in the practice's time zone")
    time: str = Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", description="wall-clock time, HH:MM, practice zone")
    count: StrictInt = Field(ge=scheduling.SERIES_MIN, le=scheduling.SERIES_MAX)
    minutes: StrictInt | None = Field(default=None, ge=5, le=480)
    room: str = Field(default="", max_length=60)
    appointment_type: str | None = Field(default=None, max_length=60)
    modality: Literal["in_person", "telehealth"] = "in_person"


class IdsOut(Schema):
    ids: list[str]


class RescheduleIn(s.Strict):
    starts_at: datetime
    minutes: StrictInt | None = Field(default=None, ge=5, le=480)

    @field_validator("starts_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("give a time zone offset")
        try:
            value.astimezone()
        except OverflowError:
            raise ValueError("out of range") from None
        return value


class CancelIn(s.Strict):
    reason: str = Field(min_length=3, max_length=500, pattern=r"^[^\r\n]*$")
    rest_of_series: StrictBool = False


class CancelOut(Schema):
    cancelled: int


class AttendanceIn(s.Strict):
    status: Literal["attended", "no_show"]


class RoomOut(Schema):
    id: str
    name: str
    active: bool


class RoomIn(s.Strict):
    name: str = Field(min_length=1, max_length=60, pattern=r"^[^\r\n]*$")


class AppointmentTypeOut(Schema):
    id: str
    label: str
    minutes: int
    active: bool


class AppointmentTypeIn(s.Strict):
    label: str = Field(min_length=1, max_length=60, pattern=r"^[^\r\n]*$")
    minutes: StrictInt = Field(default=50, ge=5, le=480)


def _out(user, item: dict) -> dict:
    when = f"{human_datetime(user.practice_id, item['starts_at'])} to {human_time(user.practice_id, item['ends_at'])}"
    return {**item, "when": when}


class _Booking(Operation):
    @classmethod
    def responses(cls) -> dict:
        return {**super().responses(), 409: s.ErrorOut}  # a clinician or a room already booked then


class CalendarApi(Operation):
    path = "/calendar"
    summary = "Sessions from a day (practice time zone) for 1 to 31 days: a clinician's own, or the front desk's"
    output = list[AppointmentOut]

    @staticmethod
    def handle(request, day: date, days: int = 1, clinician_id: int | None = None):
        if not 1 <= days <= 31:
            raise InvalidInput("days: 1 to 31")
        items = scheduling.appointments_range(user=request.auth, first_day=day, days=days, clinician_id=clinician_id)
        return [_out(request.auth, i) for i in items]


class SeriesCreateApi(_Booking):
    method = "POST"
    path = "/clients/{client_id}/appointment-series"
    summary = "Book a weekly series at one wall-clock time (all or nothing; a conflict names the week)"
    status = 201
    output = IdsOut

    @staticmethod
    def handle(request, client_id: str, payload: SeriesIn):
        ids = scheduling.series_create(
            user=request.auth, client_id=client_id, clinician_id=payload.clinician_id, first_day=payload.first_day,
            at=time.fromisoformat(payload.time), count=payload.count, minutes=payload.minutes,
            room=payload.room or None, appointment_type=payload.appointment_type, modality=payload.modality)
        return Status(201, {"ids": [str(i) for i in ids]})


class AppointmentGetApi(Operation):
    path = "/appointments/{appointment_id}"
    summary = "One appointment (and why it was cancelled)"
    output = AppointmentDetailOut

    @staticmethod
    def handle(request, appointment_id: str):
        item = scheduling.appointment_get(user=request.auth, appointment_id=appointment_id)
        cancellation = item.get("cancellation") or {}
        return {**_out(request.auth, item), "cancellation_reason": cancellation.get("reason"),
                "cancelled_by": cancellation.get("by")}


class AppointmentRescheduleApi(_Booking):
    method = "POST"
    path = "/appointments/{appointment_id}/reschedule"
    summary = "Move an appointment (conflicts checked, not against itself)"
    output = AppointmentDetailOut

    @staticmethod
    def handle(request, appointment_id: str, payload: RescheduleIn):
        scheduling.appointment_reschedule(user=request.auth, appointment_id=appointment_id,
                                          starts_at=payload.starts_at, minutes=payload.minutes)
        return AppointmentGetApi.handle(request, appointment_id)


class AppointmentCancelApi(Operation):
    method = "POST"
    path = "/appointments/{appointment_id}/cancel"
    summary = "Cancel with a reason (kept encrypted); optionally the rest of its series"
    output = CancelOut

    @staticmethod
    def handle(request, appointment_id: str, payload: CancelIn):
        if payload.rest_of_series:
            return {"cancelled": scheduling.series_cancel(user=request.auth, appointment_id=appointment_id,
                                                          reason=payload.reason)}
        scheduling.appointment_cancel(user=request.auth, appointment_id=appointment_id, reason=payload.reason)
        return {"cancelled": 1}


class AttendanceRecordApi(Operation):
    method = "POST"
    path = "/appointments/{appointment_id}/attendance"
    summary = "The session's clinician records attended or no show (what claims and the guardian view read)"
    output = AppointmentDetailOut

    @staticmethod
    def handle(request, appointment_id: str, payload: AttendanceIn):
        scheduling.attendance_record(user=request.auth, appointment_id=appointment_id, status=payload.status)
        return AppointmentGetApi.handle(request, appointment_id)


class RoomListApi(Operation):
    path = "/rooms"
    summary = "The practice's rooms"
    output = list[RoomOut]

    @staticmethod
    def handle(request):
        return scheduling.room_list(user=request.auth, include_inactive=True)


class RoomCreateApi(Operation):
    method = "POST"
    path = "/rooms"
    summary = "Add a room (practice administrator)"
    status = 201
    output = s.CreatedOut

    @staticmethod
    def handle(request, payload: RoomIn):
        return Status(201, {"id": scheduling.room_create(user=request.auth, name=payload.name)})


class AppointmentTypeListApi(Operation):
    path = "/appointment-types"
    summary = "The practice's appointment types (neutral labels)"
    output = list[AppointmentTypeOut]

    @staticmethod
    def handle(request):
        return scheduling.appointment_type_list(user=request.auth, include_inactive=True)


class AppointmentTypeCreateApi(Operation):
    method = "POST"
    path = "/appointment-types"
    summary = "Add an appointment type with a neutral label (practice administrator)"
    status = 201
    output = s.CreatedOut

    @staticmethod
    def handle(request, payload: AppointmentTypeIn):
        return Status(201, {"id": scheduling.appointment_type_create(user=request.auth, label=payload.label,
                                                                     minutes=payload.minutes)})


OPERATIONS = (CalendarApi, SeriesCreateApi, AppointmentGetApi, AppointmentRescheduleApi, AppointmentCancelApi,
              AttendanceRecordApi, RoomListApi, RoomCreateApi, AppointmentTypeListApi, AppointmentTypeCreateApi)
