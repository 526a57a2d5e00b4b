"""Reading the calendar: a clinician's own sessions, or the front desk's view across
clinicians, for a day or a week of the practice's calendar (its time zone, across
daylight-saving changes); and one appointment, opened through the door.

Only clients the PDP lets the reader list appear, each with the appointment type's
neutral label ("Session"), never anything clinical. Attendance shows where the PDP
permits it; a cancellation shows to everyone who sees the appointment (it is a fact of
the calendar: the slot is free). One audit event records each list."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from types import SimpleNamespace

from confide.apps.practice.models import User
from confide.apps.records.models import Appointment, Client
from confide.core.errors import InvalidInput, NotFound
from confide.services import access
from confide.services.directory import listing
from confide.services.keys import data_key_of
from confide.services.practice_time import local_date, local_to_utc
from confide.services.scheduling.booking import CLINICAL_ROLES, _appointment
from confide.services.sealing import unseal

CALENDAR_ROLES = CLINICAL_ROLES | {"front_desk"}
MAX_DAYS = 31
EARLIEST, LATEST = date(1900, 1, 8), date(2199, 12, 24)  # far from the ends of what dates can hold


def week_start(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def clinicians(*, user: User) -> list[dict]:
    """The practice's active clinicians, for the front desk's calendar and booking form;
    a clinician sees only themself."""
    if user.role in CLINICAL_ROLES:
        return [{"id": user.pk, "name": user.full_name or user.username}]
    if user.role != "front_desk":
        return []
    rows = User.objects.filter(practice_id=user.practice_id, role__in=CLINICAL_ROLES, is_active=True)
    return [{"id": u.pk, "name": u.full_name or u.username} for u in rows.order_by("full_name", "pk")]


def _item(a: Appointment, client, now: datetime) -> dict:
    dek = data_key_of(a)
    details = unseal(dek, Appointment, "details_enc", a.id, a.details_enc) or {}
    status = None
    if a.cancelled_at is not None:
        status = "cancelled"
    elif "attendance" in client.categories:
        status = (unseal(dek, Appointment, "attendance_enc", a.id, a.attendance_enc) or {}).get("status")
    ends = a.starts_at + timedelta(minutes=a.minutes)
    return {"id": str(a.id), "client_id": str(a.client_id), "client_name": client.name,
            "starts_at": a.starts_at, "ends_at": ends, "minutes": a.minutes,
            "clinician": a.clinician.full_name or a.clinician.username, "clinician_id": a.clinician_id,
            "label": details.get("label") or "Session", "room": details.get("room", ""),
            "modality": details.get("modality") or "in_person", "series": a.series_id is not None,
            "status": status, "past": ends <= now}


def appointments_range(*, user: User, first_day: date, days: int = 1, clinician_id=None,
                       include_cancelled: bool = True) -> list[dict]:
    """The sessions from `first_day` for `days` days of the practice's calendar: a
    clinician's own; for the front desk every clinician's, or one's."""
    if not isinstance(first_day, date) or isinstance(first_day, datetime):
        raise InvalidInput("day: expected a date")
    if not EARLIEST <= first_day <= LATEST:
        raise InvalidInput("day: a date between 1900 and 2199")
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"days: 1 to {MAX_DAYS}")
    if user.role not in CALENDAR_ROLES:
        return []
    start = local_to_utc(user.practice_id, first_day, time(0))
    end = local_to_utc(user.practice_id, first_day + timedelta(days=days), time(0))
    rows = Appointment.objects.filter(practice_id=user.practice_id, starts_at__gte=start, starts_at__lt=end)
    if user.role in CLINICAL_ROLES:
        rows = rows.filter(clinician=user)
    elif clinician_id not in (None, ""):
        try:
            pk = int(clinician_id)
        except (TypeError, ValueError):
            raise InvalidInput("clinician: choose a clinician") from None
        if not 1 <= pk < 2**63:
            raise InvalidInput("clinician: choose a clinician")
        rows = rows.filter(clinician_id=pk)
    if not include_cancelled:
        rows = rows.filter(cancelled_at__isnull=True)
    rows = list(rows.select_related("clinician").order_by("starts_at", "id"))
    listed = listing(user, {a.client_id for a in rows}, categories={"appointments"}, optional={"attendance"},
                     action="appointment.list", detail={"day": first_day.isoformat(), "days": days})
    now = datetime.now(timezone.utc)
    return [_item(a, listed[a.client_id], now) for a in rows if a.client_id in listed]


def appointments_day(*, user: User, day: date, clinician_id=None) -> list[dict]:
    """The sessions on a day of the practice's calendar."""
    return appointments_range(user=user, first_day=day, days=1, clinician_id=clinician_id)


def appointments_week(*, user: User, day: date, clinician_id=None) -> dict:
    """The week (Monday to Sunday) holding `day`: its days in order, each with its
    sessions."""
    if not isinstance(day, date) or isinstance(day, datetime) or not EARLIEST <= day <= LATEST:
        raise InvalidInput("day: a date between 1900 and 2199")
    first = week_start(day)
    items = appointments_range(user=user, first_day=first, days=7, clinician_id=clinician_id)
    days = [{"day": first + timedelta(days=i), "sessions": []} for i in range(7)]
    for item in items:
        offset = (local_date(user.practice_id, item["starts_at"]) - first).days
        if 0 <= offset < 7:
            days[offset]["sessions"].append(item)
    return {"first_day": first, "days": days}


def appointment_get(*, user: User, appointment_id) -> dict:
    """One appointment, through the door (a read of its client's appointments); with
    the cancellation's reason for whoever may see the appointment. NotFound for an id
    of nothing and for an appointment of a client the reader may not see, alike."""
    appt = _appointment(user, appointment_id)
    with access.governed(user=user, client_id=appt.client_id if appt else None, action="read",
                         purpose=access.default_purpose(user), categories={"identity", "appointments", "attendance"},
                         detail={"record": "appointment", "appointment": str(appointment_id)}) as ok:
        if "appointments" not in ok.decision.categories:
            raise NotFound()
        dek = data_key_of(ok.client)
        row = Client.objects.only("id", "identity_enc").get(id=ok.client.id, practice_id=ok.client.practice_id)
        identity = (unseal(dek, Client, "identity_enc", row.id, row.identity_enc) or {}
                    if "identity" in ok.decision.categories else {})
        reader = SimpleNamespace(name=identity.get("preferred_name") or identity.get("legal_name", ""),
                                 categories=ok.decision.categories)
        item = _item(appt, reader, datetime.now(timezone.utc))
        item["legal_name"] = identity.get("legal_name", "")
        item["room_id"] = str(appt.room_id) if appt.room_id else ""
        item["cancellation"] = unseal(dek, Appointment, "cancellation_enc", appt.id, appt.cancellation_enc)
        item["may_record_attendance"] = ("attendance" in ok.decision.categories and appt.clinician_id == user.pk)
        item["may_change"] = (user.role == "front_desk" or appt.clinician_id == user.pk)
    return item
