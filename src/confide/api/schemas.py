"""Input and output schemas. Inputs forbid unknown fields."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, field_validator


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    error: str
    message: str


class MeOut(Schema):
    username: str
    role: str
    full_name: str


class ClientRowOut(Schema):
    id: str
    name: str
    legal_name: str
    dob: str | None = None


class ClientPageOut(Schema):
    clients: list[ClientRowOut]
    next: str | None = None


class IdentityIn(Strict):
    legal_name: str = Field(min_length=1, max_length=200)
    preferred_name: str | None = Field(default=None, max_length=200)
    dob: date | None = None
    pronouns: str | None = Field(default=None, max_length=40)
    record_number: str | None = Field(default=None, max_length=40)


class ContactIn(Strict):
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=400)


class ClientCreateIn(Strict):
    identity: IdentityIn
    contact: ContactIn | None = None


class CreatedOut(Schema):
    id: str


class ChartOut(Schema):
    """A chart holds only the sections the policy permits; each section is keyed by
    its information category."""

    model_config = ConfigDict(extra="allow")
    id: str
    categories: list[str]
    identity: dict | None = None
    contact: dict | None = None
    fact_of_treatment: dict | None = None
    billing: dict | None = None
    contact_preferences: dict | None = None
    family_contacts: list[dict] | None = None
    appointments: list[dict] | None = None
    diagnosis: list[dict] | None = None
    medications: list[dict] | None = None
    treatment_plan: dict | None = None
    assessments: list[dict] | None = None
    risk_assessment: list[dict] | None = None
    progress_notes: list[dict] | None = None
    progress_notes_next: str | None = None  # older notes: GET /clients/{id}/notes?before=this
    appointments_next: str | None = None  # older appointments: GET /clients/{id}/appointments?before=this
    psychotherapy_notes: list[dict] | None = None
    attendance: list[dict] | None = None
    progress_summary: dict | None = None
    # A parent's request answers with the guardian view (services.disclosures.minors).
    basis: str | None = None
    consented_alone: bool | None = None
    minor_to_be_told: int | None = None


class ProgressNoteIn(Strict):
    session_date: date
    text: str = Field(min_length=1, max_length=50_000)
    format: str = Field(default="SOAP", min_length=1, max_length=40)  # one of the practice's note formats
    # topics the practice's promises may name (abortion, gender_identity, ...)
    topics: list[str] | None = Field(default=None, max_length=20)


class PsychotherapyNoteIn(Strict):
    session_date: date
    text: str = Field(min_length=1, max_length=50_000)


class RecordIn(Strict):
    kind: Literal["contact", "diagnosis", "medication", "treatment_plan", "assessment", "risk_assessment"]
    data: dict[str, Any]


class AppointmentIn(Strict):
    clinician_id: int = Field(ge=1, le=2**63 - 1)
    starts_at: datetime

    @field_validator("starts_at")
    @classmethod
    def _representable_in_utc(cls, value: datetime) -> datetime:
        if value.tzinfo is not None:
            try:
                value.astimezone(timezone.utc)
            except OverflowError:
                raise ValueError("out of range") from None
        return value
    minutes: int | None = Field(default=None, ge=5, le=480)
    room: str = Field(default="", max_length=60, description="a room of the practice: its id or its name; "
                      "empty for none")
    appointment_type: str | None = Field(default=None, max_length=60, description="an appointment type's id or label")
    modality: Literal["in_person", "telehealth"] = "in_person"


class BreakGlassIn(Strict):
    reason: str = Field(min_length=10, max_length=1000)


class BreakGlassOut(Schema):
    grant_id: str
    client_id: str
    expires_at: str


class AccessEntryOut(Schema):
    at: str
    who: str
    role: str
    action: str
    purpose: str
    categories: list[str]
    break_glass: bool


class TokenOut(Schema):
    id: int
    name: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    live: bool


class TokenIssueIn(Strict):
    otp: str = Field(max_length=12, description="a current one-time code (staff; empty for a portal account)")
    name: str = Field(min_length=1, max_length=100)
    days: int | None = Field(default=None, ge=1, le=366)


class TokenIssuedOut(Schema):
    token: str


class TokenRevokedOut(Schema):
    revoked: bool
