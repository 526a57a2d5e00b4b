"""What the PDP is asked: who wants to do what, to which client, why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

ROLES = frozenset({"clinician", "supervisor", "biller", "front_desk", "practice_admin", "client", "representative"})
# Relationships an actor can hold to one client.
RELATIONSHIPS = frozenset({"treating", "supervising", "self", "representative", "break_glass"})
ACTIONS = frozenset({"read", "write", "list"})
# HL7 v3-ActReason purpose-of-use codes (RULES.md 7.3) the engine understands.
PURPOSES = frozenset({"TREAT", "ETREAT", "BTG", "HPAYMT", "HOPERAT", "PATRQT", "FAMRQT", "PWATRNY", "COC"})


@dataclass(frozen=True)
class Actor:
    """A signed-in person. `practice_id` is their tenant."""

    user_id: str
    practice_id: str
    role: str
    licensed: bool = False  # holds an independent licence (psychologist, LCSW, ...)
    licence: str = ""


@dataclass(frozen=True)
class AccessRequest:
    """One question to the PDP.

    `client_practice_id` is None when no such client exists: the engine then denies
    exactly as it denies a client of another practice (existence is secret).
    `note_author_id` is set when the request is about one psychotherapy note.
    """

    actor: Actor
    action: str
    purpose: str
    client_ref: str  # pseudonymous client reference (never a name)
    client_practice_id: str | None
    categories: frozenset[str]
    relationships: frozenset[str] = frozenset()
    note_author_id: str | None = None
    now: datetime | None = None
    attributes: dict = field(default_factory=dict, compare=False, hash=False)
