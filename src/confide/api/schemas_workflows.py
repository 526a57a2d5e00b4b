"""Input and output schemas of the insurer, minor, record-request and obligation
operations. Inputs forbid unknown fields."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool, StrictInt

from confide.api.schemas import Strict

Id = Field(min_length=1, max_length=64)
OneLine = Field(min_length=1, max_length=500, pattern=r"^[^\r\n]*$")


# --- insurers ---------------------------------------------------------------------

class PayerAgreementIn(Strict):
    payer: str = Field(min_length=1, max_length=200)
    requires_medications: StrictBool = False
    managed_care_reports: StrictBool = False
    reference: str = Field(default="", max_length=200)


class PayerAgreementOut(Schema):
    id: int
    payer: str
    requires_medications: bool
    managed_care_reports: bool
    reference: str
    recorded_at: str


class ChargeIn(Strict):
    date_of_service: date
    cpt: str = Field(pattern=r"^[0-9]{4}[0-9A-Z]$")
    fee: str = Field(pattern=r"^[0-9]{1,6}(\.[0-9]{2})?$")
    units: StrictInt = Field(default=1, ge=1, le=99)
    paid_in_full: StrictBool = False
    restrict_payer: StrictBool = False
    appointment_id: str | None = Field(default=None, min_length=1, max_length=64)


class SelfPayRestrictionIn(Strict):
    how: Literal["written", "oral"]


class SelfPayRestrictionEndIn(Strict):
    how: Literal["client_written", "client_oral_documented"]


class SelfPayOut(Schema):
    self_pay: bool
    restrict_payer: bool


class ClaimIn(Strict):
    payer: str = Field(min_length=1, max_length=200)
    release_id: str | None = Field(default=None, min_length=1, max_length=64)


class ManagedCareReportIn(Strict):
    payer: str = Field(min_length=1, max_length=200)


class DisclosureOut(Schema):
    id: str
    categories: list[str]
    accountable: bool
    obligations: list[dict]
    rule_ids: list[str]
    notices: list[str]


# --- minors -----------------------------------------------------------------------

class GroundRuleItemIn(Strict):
    label: str = Field(min_length=1, max_length=120)
    category: str = Field(min_length=1, max_length=40)


class GroundRulesIn(Strict):
    notes: str = Field(min_length=1, max_length=4000)
    shared_categories: list[str] = Field(default_factory=list, max_length=10)
    items: list[GroundRuleItemIn] = Field(default_factory=list, max_length=20)
    minor_allows: list[str] = Field(default_factory=list, max_length=10)
    pr_blocked: list[str] = Field(default_factory=list, max_length=5)
    pr_blocked_reason: str = Field(default="", max_length=500)


class GuardianViewOut(Schema):
    """Only the sections the policy permits, each keyed by its category."""

    model_config = ConfigDict(extra="allow")
    id: str
    categories: list[str]
    basis: str
    consented_alone: bool
    identity: dict | None = None
    appointments: list[dict] | None = None
    attendance: list[dict] | None = None
    progress_summary: dict | None = None
    diagnosis: list[dict] | None = None
    medications: list[dict] | None = None
    treatment_plan: dict | None = None
    assessments: list[dict] | None = None
    risk_assessment: list[dict] | None = None
    incident: dict | list[dict] | None = None
    minor_to_be_told: int | None = None


# --- the client's own request -------------------------------------------------------

class RecordRequestIn(Strict):
    format: Literal["pdf", "fhir", "paper"]
    received_on: date | None = None


class RecordRequestOut(Schema):
    id: str
    client_id: str
    format: str | None
    filed_by: str | None
    received_on: str
    due_on: str
    extended_to: str | None
    extension_reason: str | None
    fulfilled_at: str | None
    disclosure_id: str | None
    open: bool
    days_left: int | None
    overdue: bool
    client_name: str | None = None


class RecordRequestExtendIn(Strict):
    client_id: str = Id
    request_id: str = Id
    reason: str = OneLine
    days: StrictInt = Field(default=30, ge=1, le=30)


class RecordRequestFulfilIn(Strict):
    client_id: str = Id
    request_id: str = Id
    delivery: Literal["portal", "email", "mail", "pickup"]


class RecordRequestFulfilOut(Schema):
    request: RecordRequestOut
    disclosure: DisclosureOut


# --- obligations --------------------------------------------------------------------

class ObligationOut(Schema):
    id: str
    client_id: str
    kind: str
    status: str
    due_on: str
    overdue: bool
    created_at: str
    disclosure: dict | None
    item: dict | None
    closed_at: str | None
    how_told: str | None
    why_not: str | None
    client_name: str | None = None
    client_ref: str | None = None  # the privacy officer's notices owed: the client's reference, never the name
    notice: dict | None = None  # an accepted amendment's notice: to whom, why them, the request


class ObligationCloseIn(Strict):
    client_id: str = Id
    obligation_id: str = Id
    status: Literal["met", "waived"]
    detail: str = OneLine
