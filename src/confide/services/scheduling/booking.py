"""Booking: create an appointment or a weekly series, reschedule, cancel with a reason,
and record attendance. Every write goes through the door; the room and double-booking
checks run inside the same transaction, with the clinician's row (and the room's)
locked, so two bookings of one slot cannot both succeed.

Who may book whom:
- a clinician (or supervisor) books their own sessions with clients they treat;
- the front desk books any clinician of the practice with a client that clinician
  treats (the client's care team), never anyone else's client;
- billers and the practice administrator book nothing.
Attendance (attended, no show) is recorded by the session's clinician: it is what
claims, the guardian view and the accounting read, and the front desk's access
(INT-FRONT-DESK) does not include attendance. A cancellation is a scheduling fact the
front desk records (it frees the slot); for the clinician it is also written as the
session's attendance status.

Times: a single appointment takes an aware moment; a series takes a local date and a
wall-clock time in the practice's zone, so a weekly 6 PM session stays at 6 PM across
daylight-saving changes. A wall-clock time the zone skips (2:30 AM on the spring
change) is refused, never moved silently.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from django.db.models import FilteredRelation, Q

from confide.apps.practice.models import AppointmentType, Room, User
from confide.apps.records.models import Appointment, CareTeamMember
from confide.core.errors import Forbidden, InvalidInput
from confide.services import access
from confide.services.keys import data_key_of
from confide.services.practice_time import human_date, human_datetime, human_time, local, local_to_utc, practice_zone
from confide.services.scheduling.settings import (
    MAX_MINUTES,
    MIN_MINUTES,
    appointment_type_resolve,
    neutral_label_check,
    room_resolve,
)
from confide.services.sealing import seal, unseal

APPOINTMENT_STATUSES = ("scheduled", "attended", "cancelled", "no_show")
ATTENDANCE = ("attended", "no_show")
MODALITIES = ("in_person", "telehealth")
CLINICAL_ROLES = frozenset({"clinician", "supervisor"})
BOOKING_ROLES = CLINICAL_ROLES | {"front_desk"}
SERIES_MIN, SERIES_MAX = 2, 52
HORIZON = timedelta(days=731)  # two years either way: a typo in the year is refused
REASON_MIN, REASON_MAX = 3, 500


class Conflict(InvalidInput):
    """A booking that would double-book a clinician or a room: nothing was booked."""

    code = "conflict"
    status = 409
    default_message = "the time is taken"


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    minutes: int

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


# --- checks -------------------------------------------------------------------------

def _may_book(user: User) -> None:
    if user.role not in BOOKING_ROLES:
        raise Forbidden("booking: your role does not book appointments")


def _clinician_for(user: User, clinician_id) -> User:
    """The clinician the booking is with: oneself for a clinician; for the front desk
    any active clinician of the practice."""
    if user.role in CLINICAL_ROLES:
        if clinician_id not in (None, "") and str(clinician_id) != str(user.pk):
            raise Forbidden("booking: a clinician books their own sessions; the front desk books for others")
        return user
    try:
        pk = int(clinician_id)
    except (TypeError, ValueError):
        raise InvalidInput("clinician: choose a clinician") from None
    if not 1 <= pk < 2**63:
        raise InvalidInput("clinician: no such clinician in this practice")
    clinician = User.objects.filter(pk=pk, practice_id=user.practice_id, role__in=CLINICAL_ROLES,
                                    is_active=True).first()
    if clinician is None:
        raise InvalidInput("clinician: no such clinician in this practice")
    return clinician


def _minutes(value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not MIN_MINUTES <= value <= MAX_MINUTES:
        raise InvalidInput(f"minutes: a whole number from {MIN_MINUTES} to {MAX_MINUTES}")
    return value


def _moment(value) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise InvalidInput("starts_at: a date and time with its time zone")
    try:
        value = value.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        raise InvalidInput("starts_at: out of range") from None
    if abs(value - datetime.now(timezone.utc)) > HORIZON:
        raise InvalidInput("starts_at: within two years of today")
    return value


def wall_clock(practice_id, day: date, at: time) -> datetime:
    """A wall-clock time on a day in the practice's zone, as UTC; InvalidInput when the
    zone skips that time (the spring daylight-saving change)."""
    if not isinstance(day, date) or isinstance(day, datetime):
        raise InvalidInput("date: a calendar date")
    if not isinstance(at, time):
        raise InvalidInput("time: a time of day")
    moment = local_to_utc(practice_id, day, at.replace(tzinfo=None, fold=0))
    back = moment.astimezone(practice_zone(practice_id))
    if (back.date(), back.time().replace(tzinfo=None)) != (day, at.replace(tzinfo=None, fold=0)):
        raise InvalidInput(f"time: {_clock(at)} does not exist on {human_date(day)} "
                           "(the clocks go forward); choose another time")
    return moment


def _clock(at: time) -> str:
    hour = at.hour % 12 or 12
    return f"{hour}:{at.minute:02d} {'AM' if at.hour < 12 else 'PM'}"


def _modality(value, room: Room | None) -> str:
    if value not in MODALITIES:
        raise InvalidInput("modality: in person or telehealth")
    if value == "telehealth" and room is not None:
        raise InvalidInput("room: a telehealth session takes no room")
    return value


def _reason(value) -> str:
    if not isinstance(value, str) or len(" ".join(value.split())) < REASON_MIN:
        raise InvalidInput("reason: say why it is cancelled (at least 3 characters)")
    value = " ".join(value.split())
    if len(value) > REASON_MAX:
        raise InvalidInput(f"reason: at most {REASON_MAX} characters")
    return value


def _span(practice_id, slot: Slot) -> str:
    """'Tue 8 Dec, 6:00 PM to 6:50 PM' in the practice's zone."""
    return f"{human_datetime(practice_id, slot.starts_at)} to {human_time(practice_id, slot.ends_at)}"


def conflicts_check(*, practice_id, clinician: User, room: Room | None, slots: list[Slot],
                    ignore: uuid.UUID | None = None) -> None:
    """Conflict (one line, in words) naming the first slot that would double-book the
    clinician or the room; the other booking's client is never named. Cancelled
    appointments hold nothing. Runs inside the booking's transaction."""
    if not slots:
        return
    first = min(s.starts_at for s in slots) - timedelta(minutes=MAX_MINUTES)
    last = max(s.ends_at for s in slots)
    taken = (Appointment.objects.filter(practice_id=practice_id, starts_at__gte=first, starts_at__lt=last,
                                        cancelled_at__isnull=True)
             .exclude(id=ignore).only("id", "starts_at", "minutes", "clinician_id", "room_id"))
    if room is None:
        taken = taken.filter(clinician_id=clinician.pk)
    else:
        taken = taken.filter(Q(clinician_id=clinician.pk) | Q(room_id=room.pk))
    booked = [Slot(a.starts_at, a.minutes) for a in taken]
    owners = [(a.clinician_id, a.room_id) for a in taken]
    for slot in sorted(slots, key=lambda s: s.starts_at):
        for other, (clinician_id, room_id) in zip(booked, owners):
            if other.starts_at < slot.ends_at and slot.starts_at < other.ends_at:
                if clinician_id == clinician.pk:
                    raise Conflict(f"{clinician.full_name or clinician.username} already has a session then: "
                                   f"{_span(practice_id, other)}")
                raise Conflict(f"{room.name} is booked then: {_span(practice_id, other)}")


def _lock(clinician: User, room: Room | None) -> None:
    """Serialize bookings of one clinician (and one room) for the transaction."""
    list(User.objects.select_for_update().filter(pk=clinician.pk).values_list("pk", flat=True))
    if room is not None:
        list(Room.objects.select_for_update().filter(pk=room.pk, practice_id=room.practice_id).values_list("pk", flat=True))


def _on_care_team(practice_id, client_id, clinician: User) -> None:
    if not CareTeamMember.objects.filter(practice_id=practice_id, client_id=client_id, staff=clinician,
                                         ended_at__isnull=True).exists():
        raise InvalidInput(f"clinician: {clinician.full_name or clinician.username} is not on this client's "
                           "care team; book the client with their own clinician")


# --- create ---------------------------------------------------------------------------

def _book(*, user: User, client_id, clinician_id, slots_of, minutes: int, room, appointment_type, label,
          modality: str, status: str, series: bool) -> list[uuid.UUID]:
    if status not in APPOINTMENT_STATUSES:
        raise InvalidInput(f"status: one of {', '.join(APPOINTMENT_STATUSES)}")
    if modality not in MODALITIES:
        raise InvalidInput("modality: in person or telehealth")
    if minutes is not None:
        _minutes(minutes)
    if label not in (None, ""):
        label = neutral_label_check(label)
    moments = slots_of(user.practice_id)
    clinical = user.role in CLINICAL_ROLES
    categories = {"appointments"} | ({"attendance"} if clinical else set())
    series_id = uuid.uuid4() if series else None
    detail = {"record": "appointment", "count": len(moments)} | ({"series": str(series_id)} if series else {})
    with access.governed(user=user, client_id=client_id, action="write", purpose=access.default_purpose(user),
                         categories=categories, detail=detail) as ok:
        # The door first (existence is secret); then who may book whom.
        _may_book(user)
        if status in ATTENDANCE and not clinical:
            raise Forbidden("attendance: the session's clinician records attended or no show")
        clinician = _clinician_for(user, clinician_id)
        _on_care_team(ok.client.practice_id, ok.client.id, clinician)
        kind: AppointmentType | None = appointment_type_resolve(user.practice_id, appointment_type)
        room_row = room_resolve(user.practice_id, room)
        modality = _modality(modality, room_row)
        minutes = _minutes(minutes if minutes is not None else (kind.minutes if kind else 50))
        label = label or (kind.label if kind else "Session")
        slots = [Slot(m, minutes) for m in moments]
        _lock(clinician, room_row)
        if status != "cancelled":
            conflicts_check(practice_id=user.practice_id, clinician=clinician, room=room_row, slots=slots)
        dek = data_key_of(ok.client)
        now = datetime.now(timezone.utc)
        ids = []
        for slot in slots:
            rid = uuid.uuid4()
            Appointment.objects.create(
                id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id, clinician=clinician,
                starts_at=slot.starts_at, minutes=slot.minutes, room=room_row, appointment_type=kind,
                series_id=series_id, cancelled_at=now if status == "cancelled" else None,
                details_enc=seal(dek, Appointment, "details_enc", rid,
                                 {"label": label, "room": room_row.name if room_row else "", "modality": modality}),
                attendance_enc=seal(dek, Appointment, "attendance_enc", rid, {"status": status}) if clinical else None,
            )
            ids.append(rid)
    return ids


def appointment_create(*, user: User, client_id, clinician_id=None, starts_at: datetime, minutes: int | None = None,
                       label: str | None = None, room=None, appointment_type=None, modality: str = "in_person",
                       status: str = "scheduled") -> uuid.UUID:
    """Book one appointment. `room` and `appointment_type`: an id or a name of the
    practice's; the label defaults to the type's (else "Session"). A `status` other
    than scheduled records a past session as it happened (a clinician's own)."""
    moment = _moment(starts_at)
    return _book(user=user, client_id=client_id, clinician_id=clinician_id, slots_of=lambda _p: [moment],
                 minutes=minutes, room=room, appointment_type=appointment_type, label=label, modality=modality,
                 status=status, series=False)[0]


def series_dates(first_day: date, count: int) -> list[date]:
    return [first_day + timedelta(weeks=i) for i in range(count)]


def series_create(*, user: User, client_id, clinician_id=None, first_day: date, at: time, count: int,
                  minutes: int | None = None, label: str | None = None, room=None, appointment_type=None,
                  modality: str = "in_person") -> list[uuid.UUID]:
    """Book a weekly series: `count` sessions (2 to 52) on the weekday of `first_day`,
    each at the wall-clock time `at` in the practice's zone (so across a daylight-saving
    change the UTC time moves and the local time does not). All or nothing: one
    conflict refuses the whole series, naming it."""
    if not isinstance(count, int) or isinstance(count, bool) or not SERIES_MIN <= count <= SERIES_MAX:
        raise InvalidInput(f"count: a weekly series has {SERIES_MIN} to {SERIES_MAX} sessions")
    if not isinstance(first_day, date) or isinstance(first_day, datetime):
        raise InvalidInput("date: a calendar date")
    if abs(first_day - datetime.now(timezone.utc).date()) > HORIZON:
        raise InvalidInput("date: within two years of today")

    def slots_of(practice_id) -> list[datetime]:
        return [_moment(wall_clock(practice_id, d, at)) for d in series_dates(first_day, count)]
    return _book(user=user, client_id=client_id, clinician_id=clinician_id, slots_of=slots_of, minutes=minutes,
                 room=room, appointment_type=appointment_type, label=label, modality=modality, status="scheduled",
                 series=True)


# --- changes to one appointment ---------------------------------------------------------

def _appointment(user: User, appointment_id) -> Appointment | None:
    aid = access.parse_client_id(appointment_id)
    if aid is None:
        return None
    return Appointment.objects.filter(id=aid, practice_id=user.practice_id).select_related("clinician").first()


def _status(dek: bytes, appt: Appointment) -> str | None:
    if appt.cancelled_at is not None:
        return "cancelled"
    return (unseal(dek, Appointment, "attendance_enc", appt.id, appt.attendance_enc) or {}).get("status")


def appointment_reschedule(*, user: User, appointment_id, starts_at: datetime, minutes: int | None = None,
                           room=..., modality: str | None = None) -> None:
    """Move an appointment (and optionally change its length, room or modality). A
    cancelled or already held session is not moved. `room` left out keeps the room;
    None or "" frees it."""
    moment = _moment(starts_at)
    appt = _appointment(user, appointment_id)
    clinical = user.role in CLINICAL_ROLES
    categories = {"appointments"} | ({"attendance"} if clinical else set())
    with access.governed(user=user, client_id=appt.client_id if appt else None, action="write",
                         purpose=access.default_purpose(user), categories=categories,
                         detail={"record": "appointment.reschedule", "appointment": str(appointment_id)}) as ok:
        _may_book(user)
        # The room is joined in the practice (its filter in the join: a session without a
        # room is found all the same).
        practice_id = ok.client.practice_id
        appt = (Appointment.objects.annotate(place=FilteredRelation("room", condition=Q(room__practice_id=practice_id)))
                .select_related("clinician", "place").get(id=appt.id, client_id=ok.client.id, practice_id=practice_id))
        if clinical and appt.clinician_id != user.pk:
            raise Forbidden("booking: a clinician moves their own sessions; the front desk moves others'")
        dek = data_key_of(ok.client)
        details = unseal(dek, Appointment, "details_enc", appt.id, appt.details_enc) or {}
        status = _status(dek, appt)
        if status == "cancelled":
            raise InvalidInput("appointment: it was cancelled; book a new one instead")
        if status in ATTENDANCE:
            raise InvalidInput("appointment: it has already been held and recorded")
        room_row = appt.place if room is ... else room_resolve(user.practice_id, room)
        modality = _modality(modality or details.get("modality") or "in_person", room_row)
        length = _minutes(minutes if minutes is not None else appt.minutes)
        _lock(appt.clinician, room_row)
        conflicts_check(practice_id=user.practice_id, clinician=appt.clinician, room=room_row,
                        slots=[Slot(moment, length)], ignore=appt.id)
        details.update({"room": room_row.name if room_row else "", "modality": modality})
        appt.starts_at, appt.minutes, appt.room = moment, length, room_row
        appt.details_enc = seal(dek, Appointment, "details_enc", appt.id, details)
        appt.save(update_fields=["starts_at", "minutes", "room", "details_enc"])


def appointment_cancel(*, user: User, appointment_id, reason: str) -> None:
    """Cancel with a reason (encrypted, with who cancelled). The slot and the room are
    free again. The front desk cancels until the session ends; afterwards what
    happened is its clinician's to record (who may also cancel it late)."""
    reason = _reason(reason)
    appt = _appointment(user, appointment_id)
    clinical = user.role in CLINICAL_ROLES
    categories = {"appointments"} | ({"attendance"} if clinical else set())
    with access.governed(user=user, client_id=appt.client_id if appt else None, action="write",
                         purpose=access.default_purpose(user), categories=categories,
                         detail={"record": "appointment.cancel", "appointment": str(appointment_id)}) as ok:
        _may_book(user)
        appt = Appointment.objects.select_for_update().get(id=appt.id, client_id=ok.client.id, practice_id=ok.client.practice_id)
        if clinical and appt.clinician_id != user.pk:
            raise Forbidden("booking: a clinician cancels their own sessions; the front desk cancels others'")
        dek = data_key_of(ok.client)
        if appt.cancelled_at is not None:
            raise InvalidInput("appointment: it is already cancelled")
        now = datetime.now(timezone.utc)
        if clinical:
            if _status(dek, appt) in ATTENDANCE:
                raise InvalidInput("appointment: it has already been held and recorded")
            appt.attendance_enc = seal(dek, Appointment, "attendance_enc", appt.id, {"status": "cancelled"})
        elif appt.starts_at + timedelta(minutes=appt.minutes) <= now:
            raise InvalidInput("appointment: this session has ended; its clinician records what happened")
        appt.cancelled_at = now
        appt.cancellation_enc = seal(dek, Appointment, "cancellation_enc", appt.id,
                                     {"reason": reason, "by": user.full_name or user.username,
                                      "late": appt.starts_at - now < timedelta(hours=24)})
        appt.save(update_fields=["cancelled_at", "cancellation_enc", "attendance_enc"])


def series_cancel(*, user: User, appointment_id, reason: str) -> int:
    """Cancel this appointment of a series and every later one still scheduled; how
    many were cancelled."""
    appt = _appointment(user, appointment_id)
    if appt is None or appt.series_id is None:
        appointment_cancel(user=user, appointment_id=appointment_id, reason=reason)
        return 1
    later = Appointment.objects.filter(series_id=appt.series_id, practice_id=user.practice_id,
                                       starts_at__gte=appt.starts_at, cancelled_at__isnull=True
                                       ).order_by("starts_at").values_list("id", flat=True)
    done = 0
    for rid in later:
        appointment_cancel(user=user, appointment_id=rid, reason=reason)
        done += 1
    return done


def attendance_record(*, user: User, appointment_id, status: str) -> None:
    """The session's clinician records that it was attended or missed (or corrects it).
    Claims (dates of service), the guardian view and the accounting read this."""
    if status not in ATTENDANCE:
        raise InvalidInput("status: attended or no_show")
    if user.role not in CLINICAL_ROLES:
        raise Forbidden("attendance: the session's clinician records attended or no show")
    appt = _appointment(user, appointment_id)
    with access.governed(user=user, client_id=appt.client_id if appt else None, action="write",
                         purpose=access.default_purpose(user), categories={"appointments", "attendance"},
                         detail={"record": "appointment.attendance", "appointment": str(appointment_id)}) as ok:
        appt = Appointment.objects.select_for_update().get(id=appt.id, client_id=ok.client.id, practice_id=ok.client.practice_id)
        if appt.clinician_id != user.pk:
            raise Forbidden("attendance: the session's clinician records attended or no show")
        if appt.cancelled_at is not None:
            raise InvalidInput("appointment: it was cancelled")
        if appt.starts_at > datetime.now(timezone.utc):
            raise InvalidInput(f"appointment: it starts {human_datetime(user.practice_id, appt.starts_at)}; "
                               "record attendance once it has begun")
        dek = data_key_of(ok.client)
        appt.attendance_enc = seal(dek, Appointment, "attendance_enc", appt.id, {"status": status})
        appt.save(update_fields=["attendance_enc"])


def local_parts(practice_id, moment: datetime) -> tuple[date, time]:
    at = local(practice_id, moment)
    return at.date(), at.time().replace(tzinfo=None)
