"""Setting up a practice without the demo: the practice (name, neutral sender name,
time zone, state) and its first administrator, in one audited transaction.

On an empty database the first visit to the web app offers this (`practice_setup_open`
says whether it is still open); `confide practice create` does the same at the command
line and may add further practices to a server that already has one."""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from confide.apps.practice.models import Practice, User
from confide.core.errors import InvalidInput
from confide.services import accounts, jurisdiction, scheduling
from confide.services.audit import OPERATOR, audit_append, audited_transaction
from confide.services.messages import MAX_SENDER, revealing_words

_USERNAME = re.compile(r"^[A-Za-z0-9_.@+-]{3,150}$")


@dataclass(frozen=True)
class PracticeCreated:
    practice: Practice
    admin: User


def practice_setup_open() -> bool:
    """Whether the first-visit setup is offered: only while no practice exists."""
    return not Practice.objects.exists()


@lru_cache(maxsize=1)
def practice_states() -> tuple[str, ...]:
    """The states the rule packs know (their jurisdiction codes, e.g. US-WA)."""
    return tuple(sorted({row["jurisdiction"] for row in jurisdiction.facts_table()
                         if row["jurisdiction"].startswith("US-")}))


@lru_cache(maxsize=1)
def practice_time_zones() -> tuple[str, ...]:
    """The IANA time zones a practice may run in (the American ones first)."""
    zones = sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    return tuple([z for z in zones if z.startswith("America/") or z.startswith("Pacific/Honolulu")]
                 + [z for z in zones if not (z.startswith("America/") or z.startswith("Pacific/Honolulu"))])


def _text(field: str, value, *, limit: int, required: bool = True) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{field}: expected text")
    value = value.strip()
    if required and not value:
        raise InvalidInput(f"{field}: required")
    if len(value) > limit or any(ord(ch) < 32 for ch in value):
        raise InvalidInput(f"{field}: one line of at most {limit} characters")
    return value


def check_password(password, user: User | None = None) -> str:
    """Django's password validators (length 12, not a common password), as one line."""
    if not isinstance(password, str) or not password:
        raise InvalidInput("password: required")
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise InvalidInput(f"password: {' '.join(exc.messages)}") from None
    return password


def check_username(username) -> str:
    username = _text("username", username, limit=150)
    if not _USERNAME.match(username):
        raise InvalidInput("username: 3 to 150 letters, digits or . @ + - _")
    return username


def practice_create(*, name: str, sender_name: str, time_zone: str, state: str, admin_username: str,
                    admin_full_name: str, admin_email: str, admin_password: str,
                    first_visit: bool = False) -> PracticeCreated:
    """Create a practice and its first administrator (who enrols a second factor at
    first sign-in). `first_visit`: refused once any practice exists (the web setup).
    Audited: practice.created and user.created in the new practice's chain."""
    name = _text("name", name, limit=200)
    sender_name = _text("sender name", sender_name, limit=MAX_SENDER)
    if revealing_words(sender_name):
        raise InvalidInput("sender name: must not say what kind of practice this is or name a title "
                           f"({', '.join(sorted(set(revealing_words(sender_name))))})")
    if time_zone not in practice_time_zones():
        raise InvalidInput("time zone: choose one from the list (e.g. America/Los_Angeles)")
    state = _text("state", state, limit=8).upper()
    if state not in practice_states():
        raise InvalidInput("state: choose one from the list (e.g. US-WA)")
    admin_username = check_username(admin_username)
    admin_full_name = _text("full name", admin_full_name, limit=200)
    admin_email = _text("email", admin_email, limit=254)
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", admin_email):
        raise InvalidInput("email: give an address such as name@example.org")
    check_password(admin_password)
    with audited_transaction():
        if first_visit and Practice.objects.select_for_update().exists():
            raise InvalidInput("setup: this server already has a practice; sign in instead")
        practice = Practice.objects.create(name=name, message_sender=sender_name, timezone=time_zone,
                                           jurisdiction=state)
        audit_append(practice_id=practice.id, actor_id=OPERATOR, actor_role=OPERATOR, action="practice.created",
                     purpose="HOPERAT", detail={"jurisdiction": state, "timezone": time_zone,
                                                "first_visit": first_visit})
        scheduling.defaults_create(practice.id)  # rooms and neutral appointment types to start from
        admin = accounts.user_create(actor=None, practice=practice, username=admin_username,
                                     role="practice_admin", password=admin_password,
                                     full_name=admin_full_name, email=admin_email)
    return PracticeCreated(practice=practice, admin=admin)


__all__ = ["PracticeCreated", "practice_setup_open", "practice_states", "practice_time_zones", "practice_create",
           "check_password", "check_username"]
