"""Scheduling: appointments, through the door. Appointment details (label, room) and
attendance are encrypted under the client's key; times are stored in UTC and shown in
the practice's time zone (services.practice_time)."""

from __future__ import annotations

import uuid
from datetime import datetime

from confide.apps.practice.models import User
from confide.apps.records.models import Appointment
from confide.core.errors import InvalidInput
from confide.services import access
from confide.services.keys import client_data_key
from confide.services.sealing import seal

APPOINTMENT_STATUSES = ("scheduled", "attended", "cancelled", "no_show")


def appointment_create(*, user: User, client_id, clinician_id, starts_at: datetime, minutes: int = 50,
                       label: str = "Appointment", room: str = "", status: str = "scheduled") -> uuid.UUID:
    if status not in APPOINTMENT_STATUSES:
        raise InvalidInput(f"appointment: status must be one of {', '.join(APPOINTMENT_STATUSES)}")
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
