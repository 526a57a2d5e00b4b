"""Scheduling: appointments, through the door. Appointment details (label, room) and
attendance are encrypted under the client's key; times are stored in UTC and shown in
the practice's time zone (services.practice_time)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

from confide.apps.practice.models import User
from confide.apps.records.models import Appointment
from confide.core.errors import InvalidInput
from confide.services import access
from confide.services.directory import listing
from confide.services.keys import client_data_key
from confide.services.practice_time import local_date, local_to_utc, local_today
from confide.services.sealing import seal, unseal
from confide.services.validation import check_appointment_day

APPOINTMENT_STATUSES = ("scheduled", "attended", "cancelled", "no_show")


def appointment_create(*, user: User, client_id, clinician_id, starts_at: datetime, minutes: int = 50,
                       label: str = "Appointment", room: str = "", status: str = "scheduled") -> uuid.UUID:
    if status not in APPOINTMENT_STATUSES:
        raise InvalidInput(f"appointment: status must be one of {', '.join(APPOINTMENT_STATUSES)}")
    if not isinstance(starts_at, datetime) or starts_at.tzinfo is None:
        raise InvalidInput("starts_at: a time with its time-zone offset")
    check_appointment_day("starts_at", local_date(user.practice_id, starts_at), local_today(user.practice_id))
    if not isinstance(minutes, int) or not 5 <= minutes <= 480:
        raise InvalidInput("appointment: minutes must be between 5 and 480")
    clinician = User.objects.filter(pk=clinician_id, practice_id=user.practice_id,
                                    role__in=("clinician", "supervisor")).first()
    if clinician is None:
        raise InvalidInput("appointment: unknown clinician")
    categories = {"appointments"} | ({"attendance"} if status != "scheduled" else set())
    with access.governed(user=user, client_id=client_id, action="write", purpose=access.default_purpose(user),
                         categories=categories, detail={"record": "appointment"}) as ok:
        dek = client_data_key(ok.client.id)
        rid = uuid.uuid4()
        Appointment.objects.create(
            id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id, clinician=clinician,
            starts_at=starts_at, minutes=minutes,
            details_enc=seal(dek, Appointment, "details_enc", rid, {"label": label, "room": room}),
            attendance_enc=seal(dek, Appointment, "attendance_enc", rid, {"status": status}),
        )
    return rid


def appointments_day(*, user: User, day: date, clinician_id=None) -> list[dict]:
    """The sessions on a day of the practice's calendar (its time zone, across
    daylight-saving changes): a clinician's own, or, for the front desk, every
    clinician's (or one's). Only clients the PDP lets the user list appear, each with
    the neutral label; attendance only where permitted. One audit event for the list."""
    if not isinstance(day, date):
        raise InvalidInput("day: expected a date")
    start = local_to_utc(user.practice_id, day, time(0))
    end = local_to_utc(user.practice_id, day + timedelta(days=1), time(0))
    rows = Appointment.objects.filter(practice_id=user.practice_id, starts_at__gte=start, starts_at__lt=end)
    if user.role in ("clinician", "supervisor"):
        rows = rows.filter(clinician=user)
    elif user.role == "front_desk":
        if clinician_id is not None:
            rows = rows.filter(clinician_id=clinician_id)
    else:
        return []
    rows = list(rows.select_related("clinician").order_by("starts_at", "id"))
    listed = listing(user, {a.client_id for a in rows}, categories={"appointments"}, optional={"attendance"},
                     action="appointment.list", detail={"day": day.isoformat()})
    out = []
    for a in rows:
        client = listed.get(a.client_id)
        if client is None:
            continue
        dek = client_data_key(a.client_id)
        details = unseal(dek, Appointment, "details_enc", a.id, a.details_enc) or {}
        item = {"id": str(a.id), "client_id": str(a.client_id), "client_name": client.name,
                "starts_at": a.starts_at, "minutes": a.minutes, "clinician": a.clinician.full_name,
                "label": details.get("label", ""), "room": details.get("room", ""), "status": None}
        if "attendance" in client.categories:
            item["status"] = (unseal(dek, Appointment, "attendance_enc", a.id, a.attendance_enc) or {}).get("status")
        out.append(item)
    return out
