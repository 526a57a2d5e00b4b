"""The practice's rooms and appointment types: settings data the calendar books
against. No client information; the practice administrator manages them, every staff
member of the practice reads them (a booking form lists them).

An appointment type's label is what the front desk, every calendar and any reminder
show, so it must be neutral: a label naming a clinical matter ("Trauma session",
"Suboxone check") is refused with the word that makes it so. The check is a guard
against the obvious, not a proof of neutrality."""

from __future__ import annotations

import re
import uuid

from django.db import IntegrityError, transaction

from confide.apps.practice.models import AppointmentType, Room, User
from confide.core.deid.data.clinical import MEDICATIONS
from confide.core.errors import Forbidden, InvalidInput
from confide.services.audit import audit_append, audited_transaction

MANAGERS = frozenset({"practice_admin"})
READERS = frozenset({"practice_admin", "front_desk", "clinician", "supervisor", "biller"})
MIN_MINUTES, MAX_MINUTES = 5, 480

# Words that make a label say why the client comes (diagnoses, programs, therapies).
CLINICAL_WORDS = frozenset("""
abuse addiction adhd alcohol anorexia anxiety autism bipolar bulimia cbt crisis dbt depression
depressive detox diagnosis disorder drug drugs eating emdr grief ocd opioid overdose panic phobia
psychiatric psychosis ptsd relapse rehab schizophrenia sobriety substance suicide suicidal trauma
medication methadone sud mat iop dui
""".split()) | MEDICATIONS

_WORD = re.compile(r"[a-z0-9]+")


def neutral_label_check(label) -> str:
    """The label, stripped, or InvalidInput naming what is wrong with it."""
    if not isinstance(label, str) or not label.strip():
        raise InvalidInput("label: give a label, such as Session")
    label = " ".join(label.split())
    if len(label) > 60:
        raise InvalidInput("label: at most 60 characters")
    for word in _WORD.findall(label.casefold()):
        if word in CLINICAL_WORDS:
            raise InvalidInput(f"label: \"{word}\" names a clinical matter; calendars and reminders show this "
                               "label, so keep it neutral (Session, First session, Family session)")
    return label


def _manager(user: User) -> None:
    if user.role not in MANAGERS:
        raise Forbidden("only the practice administrator manages rooms and appointment types")


def _minutes(value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not MIN_MINUTES <= value <= MAX_MINUTES:
        raise InvalidInput(f"minutes: a whole number from {MIN_MINUTES} to {MAX_MINUTES}")
    return value


def _audit(user: User, action: str, detail: dict) -> None:
    audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role, action=action,
                 purpose="HOPERAT", detail=detail)


def _parse(raw) -> uuid.UUID | None:
    try:
        return raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
    except (ValueError, TypeError, AttributeError):
        return None


def room_list(*, user: User, include_inactive: bool = False) -> list[dict]:
    if user.role not in READERS:
        return []
    rows = Room.objects.filter(practice_id=user.practice_id)
    if not include_inactive:
        rows = rows.filter(active=True)
    return [{"id": str(r.id), "name": r.name, "active": r.active} for r in rows.order_by("name", "id")]


def room_create(*, user: User, name) -> str:
    _manager(user)
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("name: give the room a name, such as Room 3")
    name = " ".join(name.split())
    if len(name) > 60:
        raise InvalidInput("name: at most 60 characters")
    with audited_transaction():
        if Room.objects.filter(practice_id=user.practice_id, name__iexact=name).exists():
            raise InvalidInput("name: the practice already has a room of that name")
        try:
            with transaction.atomic():
                room = Room.objects.create(practice_id=user.practice_id, name=name)
        except IntegrityError:
            raise InvalidInput("name: the practice already has a room of that name") from None
        _audit(user, "room.create", {"room": str(room.id)})
    return str(room.id)


def room_set_active(*, user: User, room_id, active: bool) -> None:
    """Retire a room (it stays on past appointments) or bring it back."""
    _manager(user)
    with audited_transaction():
        updated = Room.objects.filter(practice_id=user.practice_id, id=_parse(room_id)).update(active=bool(active))
        if not updated:
            raise InvalidInput("room: no such room in this practice")
        _audit(user, "room.update", {"room": str(room_id), "active": bool(active)})


def appointment_type_list(*, user: User, include_inactive: bool = False) -> list[dict]:
    if user.role not in READERS:
        return []
    rows = AppointmentType.objects.filter(practice_id=user.practice_id)
    if not include_inactive:
        rows = rows.filter(active=True)
    return [{"id": str(t.id), "label": t.label, "minutes": t.minutes, "active": t.active}
            for t in rows.order_by("label", "id")]


def appointment_type_create(*, user: User, label, minutes=50) -> str:
    _manager(user)
    label = neutral_label_check(label)
    minutes = _minutes(minutes)
    with audited_transaction():
        if AppointmentType.objects.filter(practice_id=user.practice_id, label__iexact=label).exists():
            raise InvalidInput("label: the practice already has an appointment type with that label")
        kind = AppointmentType.objects.create(practice_id=user.practice_id, label=label, minutes=minutes)
        _audit(user, "appointment_type.create", {"appointment_type": str(kind.id)})
    return str(kind.id)


def appointment_type_set_active(*, user: User, type_id, active: bool) -> None:
    _manager(user)
    with audited_transaction():
        updated = AppointmentType.objects.filter(practice_id=user.practice_id, id=_parse(type_id)
                                                 ).update(active=bool(active))
        if not updated:
            raise InvalidInput("appointment type: no such type in this practice")
        _audit(user, "appointment_type.update", {"appointment_type": str(type_id), "active": bool(active)})


def room_resolve(practice_id, value) -> Room | None:
    """A room of the practice from its id or its name (None for none); InvalidInput
    for a room the practice does not have or has retired."""
    if value in (None, ""):
        return None
    if isinstance(value, Room):
        value = value.id
    rows = Room.objects.filter(practice_id=practice_id)
    found = rows.filter(id=_parse(value)).first() if _parse(value) else None
    if found is None and isinstance(value, str):
        found = rows.filter(name__iexact=" ".join(value.split())).first()
    if found is None:
        raise InvalidInput("room: no such room in this practice")
    if not found.active:
        raise InvalidInput(f"room: {found.name} is no longer in use")
    return found


def appointment_type_resolve(practice_id, value) -> AppointmentType | None:
    if value in (None, ""):
        return None
    rows = AppointmentType.objects.filter(practice_id=practice_id)
    found = rows.filter(id=_parse(value)).first() if _parse(value) else None
    if found is None and isinstance(value, str):
        found = rows.filter(label__iexact=" ".join(value.split())).first()
    if found is None:
        raise InvalidInput("appointment type: no such type in this practice")
    if not found.active:
        raise InvalidInput(f"appointment type: {found.label} is no longer offered")
    return found


DEFAULT_ROOMS = ("Room 1", "Room 2", "Room 3")
DEFAULT_TYPES = (("Session", 50), ("First session", 60), ("Extended session", 90), ("Family session", 50))


def defaults_create(practice_id) -> None:
    """A new practice's rooms and neutral appointment types (the demo uses them; an
    administrator changes them in settings). Idempotent."""
    for name in DEFAULT_ROOMS:
        Room.objects.get_or_create(practice_id=practice_id, name=name)
    for label, minutes in DEFAULT_TYPES:
        AppointmentType.objects.get_or_create(practice_id=practice_id, label=label, defaults={"minutes": minutes})
