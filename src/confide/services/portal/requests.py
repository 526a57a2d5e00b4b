"""Appointment requests: the client picks one of their clinician's open times, or says
in words when suits them; the front desk (or the clinician) books it, or declines it
with a reason the client reads.

Open times: the clinician's free 50-minute slots on weekdays between 9 AM and 5 PM in
the practice's zone, from tomorrow for two weeks. Only whether a time is free is used;
nothing about whoever holds a busy time is read or shown."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta, timezone

from confide.apps.practice.models import User
from confide.apps.records.models import Appointment, AppointmentRequest
from confide.core.errors import InvalidInput, NotFound
from confide.services import access
from confide.services.directory import listing
from confide.services.keys import data_key_of
from confide.services.portal.common import client_zone, treating_clinicians, when
from confide.services.practice_time import local_to_utc, local_today, practice_zone
from confide.services.scheduling import appointment_create
from confide.services.sealing import seal, unseal

SLOT_MINUTES = 50
DAY_HOURS = range(9, 17)
HORIZON_DAYS = 14
MAX_OPEN_TIMES = 30
MAX_PREFERENCE = 500
MAX_REASON = 300
DECIDERS = frozenset({"front_desk", "clinician", "supervisor"})
STATUS_WORDS = {"open": "waiting for the practice", "booked": "booked", "declined": "declined",
                "withdrawn": "withdrawn by you"}


def _free_slots(practice_id, clinician: User, now: datetime) -> list[datetime]:
    today = local_today(practice_id)
    first = local_to_utc(practice_id, today + timedelta(days=1), time(0))
    last = local_to_utc(practice_id, today + timedelta(days=HORIZON_DAYS + 1), time(0))
    busy = [(a.starts_at, a.starts_at + timedelta(minutes=a.minutes)) for a in Appointment.objects.filter(
        practice_id=practice_id, clinician=clinician, cancelled_at__isnull=True,
        starts_at__gte=first - timedelta(hours=4), starts_at__lt=last
    ).only("starts_at", "minutes")]
    out = []
    for offset in range(1, HORIZON_DAYS + 1):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for hour in DAY_HOURS:
            start = local_to_utc(practice_id, day, time(hour, 0))
            end = start + timedelta(minutes=SLOT_MINUTES)
            if start > now and not any(b0 < end and start < b1 for b0, b1 in busy):
                out.append(start)
    return out


def open_times(*, user: User, client_id) -> dict:
    """The client's clinicians' open times, as {clinician, times: [{value, label}]},
    labels in the client's own time zone."""
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"appointments"}, detail={"view": "open_times"}) as ok:
        zone = client_zone(data_key_of(ok.client), ok.client)
        now = datetime.now(timezone.utc)
        out = []
        for clinician in treating_clinicians(ok.client.id, ok.client.practice_id):
            slots = _free_slots(ok.client.practice_id, clinician, now)[:MAX_OPEN_TIMES]
            out.append({"clinician_id": clinician.pk, "clinician": clinician.full_name,
                        "times": [{"value": s.isoformat(), "label": when(zone, s)} for s in slots]})
    return {"zone": zone, "clinicians": out}


def _parse_slot(raw) -> datetime | None:
    if raw in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(raw))
    except ValueError:
        raise InvalidInput("time: choose one of the open times") from None
    if moment.tzinfo is None:
        raise InvalidInput("time: choose one of the open times")
    return moment.astimezone(timezone.utc)


def appointment_request_create(*, user: User, client_id, slot=None, clinician_id=None, preference: str = "") -> str:
    """The client asks for an appointment: an open time of one of their clinicians, or
    a preference in words (or both). Refused in one line when the time is no longer
    open or nothing is said."""
    moment = _parse_slot(slot)
    if not isinstance(preference, str) or len(preference.strip()) > MAX_PREFERENCE:
        raise InvalidInput(f"preference: at most {MAX_PREFERENCE} characters")
    preference = preference.strip()
    if moment is None and not preference:
        raise InvalidInput("choose an open time, or tell us when suits you")
    with access.governed(user=user, client_id=client_id, action="write", purpose=access.default_purpose(user),
                         categories={"appointments"}, detail={"record": "appointment_request"}) as ok:
        clinicians = treating_clinicians(ok.client.id, ok.client.practice_id)
        if not clinicians:
            raise InvalidInput("there is no clinician to book with yet; please call the practice")
        clinician = next((c for c in clinicians if str(c.pk) == str(clinician_id)), clinicians[0])
        if moment is not None and moment not in _free_slots(ok.client.practice_id, clinician,
                                                            datetime.now(timezone.utc)):
            raise InvalidInput("time: that time is no longer open; please choose another")
        rid = uuid.uuid4()
        body = {"slot": moment.isoformat() if moment else None, "preference": preference}
        AppointmentRequest.objects.create(id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id,
                                          clinician=clinician,
                                          body_enc=seal(data_key_of(ok.client), AppointmentRequest,
                                                        "body_enc", rid, body))
    return str(rid)


def _view(dek: bytes, row: AppointmentRequest, zone: str) -> dict:
    body = unseal(dek, AppointmentRequest, "body_enc", row.id, row.body_enc) or {}
    slot = datetime.fromisoformat(body["slot"]) if body.get("slot") else None
    return {"id": str(row.id), "client_id": str(row.client_id), "status": row.status,
            "status_word": STATUS_WORDS.get(row.status, row.status), "clinician": row.clinician.full_name,
            "clinician_id": row.clinician_id, "slot": slot, "slot_label": when(zone, slot),
            "preference": body.get("preference") or "", "reason": body.get("reason") or "",
            "asked": when(zone, row.created_at), "decided": when(zone, row.decided_at),
            "appointment_id": str(row.appointment_id) if row.appointment_id else None}


def appointment_requests_mine(*, user: User, client_id) -> list[dict]:
    """The client's requests, newest first, with the outcome (booked, or declined and why)."""
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"appointments"}, detail={"view": "appointment_requests"}) as ok:
        dek = data_key_of(ok.client)
        zone = client_zone(dek, ok.client)
        rows = (AppointmentRequest.objects.filter(practice_id=ok.client.practice_id, client_id=ok.client.id)
                .select_related("clinician"))
        return [_view(dek, r, zone) for r in rows.order_by("-created_at", "-id")[:20]]


def appointment_request_withdraw(*, user: User, client_id, request_id) -> None:
    rid = access.parse_client_id(request_id)
    with access.governed(user=user, client_id=client_id, action="write", purpose=access.default_purpose(user),
                         categories={"appointments"}, detail={"record": "appointment_request_withdraw"}) as ok:
        done = AppointmentRequest.objects.filter(practice_id=ok.client.practice_id, id=rid, client_id=ok.client.id,
                                                status="open").update(
            status="withdrawn", decided_at=datetime.now(timezone.utc), decided_by=user)
        if not done:
            raise InvalidInput("request: only a request still waiting can be withdrawn")


def appointment_requests_open(*, user: User) -> list[dict]:
    """Requests waiting for the practice (the front desk: all; a clinician: their own),
    oldest first, for the clients the PDP lets the user list with their appointments."""
    if user.role not in DECIDERS:
        return []
    rows = AppointmentRequest.objects.filter(practice_id=user.practice_id, status="open").select_related("clinician")
    if user.role != "front_desk":
        rows = rows.filter(clinician=user)
    rows = list(rows.order_by("created_at", "id"))
    listed = listing(user, {r.client_id for r in rows}, categories={"appointments"}, action="appointment_requests.list")
    zone = str(practice_zone(user.practice_id))
    out = []
    for row in rows:
        client = listed.get(row.client_id)
        if client is not None:
            out.append({**_view(data_key_of(row), row, zone), "client_name": client.name})
    return out


def _request(user: User, request_id) -> AppointmentRequest | None:
    rid = access.parse_client_id(request_id)
    return AppointmentRequest.objects.filter(id=rid, practice_id=user.practice_id).first() if rid else None


def appointment_request_book(*, user: User, request_id, starts_at=None, room=None) -> str:
    """Book a request: at the time the client chose, or at `starts_at` (an aware
    datetime) for a preference given in words. One transaction: the appointment and the
    request's outcome."""
    if user.role not in DECIDERS:
        raise NotFound()
    row = _request(user, request_id)
    with access.governed(user=user, client_id=row.client_id if row else None, action="write",
                         purpose=access.default_purpose(user), categories={"appointments"},
                         detail={"record": "appointment_request_book"}) as ok:
        dek = data_key_of(ok.client)
        if row.status != "open":
            raise InvalidInput("request: already decided")
        body = unseal(dek, AppointmentRequest, "body_enc", row.id, row.body_enc) or {}
        moment = starts_at or (datetime.fromisoformat(body["slot"]) if body.get("slot") else None)
        if moment is None:
            raise InvalidInput("time: the client gave a preference in words; choose a time to book")
        appointment_id = appointment_create(user=user, client_id=ok.client.id, clinician_id=row.clinician_id,
                                            starts_at=moment, room=room or None)
        AppointmentRequest.objects.filter(practice_id=row.practice_id, id=row.id).update(
            status="booked", appointment_id=appointment_id, decided_at=datetime.now(timezone.utc), decided_by=user)
    return str(appointment_id)


def appointment_request_decline(*, user: User, request_id, reason: str) -> None:
    """Decline a request with a reason the client will read (one line)."""
    if user.role not in DECIDERS:
        raise NotFound()
    if not isinstance(reason, str) or not reason.strip() or len(reason) > MAX_REASON or "\n" in reason:
        raise InvalidInput(f"reason: one line of 1 to {MAX_REASON} characters, which the client will read")
    row = _request(user, request_id)
    with access.governed(user=user, client_id=row.client_id if row else None, action="write",
                         purpose=access.default_purpose(user), categories={"appointments"},
                         detail={"record": "appointment_request_decline"}) as ok:
        if row.status != "open":
            raise InvalidInput("request: already decided")
        dek = data_key_of(ok.client)
        body = unseal(dek, AppointmentRequest, "body_enc", row.id, row.body_enc) or {}
        body["reason"] = reason.strip()
        AppointmentRequest.objects.filter(practice_id=row.practice_id, id=row.id).update(
            status="declined", decided_at=datetime.now(timezone.utc), decided_by=user,
            body_enc=seal(dek, AppointmentRequest, "body_enc", row.id, body))
