"""API: duty to warn or protect, admitted crimes, and mandated abuse reports.

Event and request ids travel in the body, so every route names the client only: an
unrelated caller gets exactly the answer a nonexistent client gets (the door is the
first thing each service reaches after checking its input).
"""

from __future__ import annotations

from typing import Literal

from ninja import Schema, Status
from pydantic import ConfigDict, Field

from confide.api.operations import COMMON, Operation
from confide.api.schemas import ErrorOut, Strict
from confide.services.disclosures import mandated_reports, safety

# A disclosure the rules refuse answers 403 with the rules that refused it.
REFUSABLE = {**COMMON, 403: ErrorOut}


class Refusable(Operation):
    @classmethod
    def responses(cls) -> dict:
        return {cls.status: cls.output, **REFUSABLE}


class PersonIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    contact: str | None = Field(default=None, max_length=400)


class PartyIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    address: str | None = Field(default=None, max_length=400)


class VictimIn(Strict):
    name: str | None = Field(default=None, max_length=200)
    relationship: str | None = Field(default=None, max_length=200)


Topics = list[str] | None


class SafetyEventIn(Strict):
    kind: Literal["threat", "crime_admission"]
    threat: str | None = Field(default=None, max_length=4000)
    person_at_risk: PersonIn | None = None
    imminence: Literal["imminent", "near_term", "not_imminent", "unknown"] = "unknown"
    means: str | None = Field(default=None, max_length=4000)
    statement: str | None = Field(default=None, max_length=4000)
    topics: Topics = Field(default=None, max_length=20)
    # a description of the client, only if the warned person needs it to recognise them
    recognition: str | None = Field(default=None, max_length=400)


class SafetyEventOut(Schema):
    """A threat with the state's rule (category, citation, mark, discharge options;
    unverified rows flagged), the actions available, taken and still required; or an
    admitted crime with the rule that bars disclosing it."""

    model_config = ConfigDict(extra="allow")
    id: str
    kind: str
    state_rule: dict | None = None
    actions: list[dict]
    outstanding: list
    actions_taken: list[dict]
    not_a_basis: dict | None = None


class SafetyActionIn(Strict):
    event_id: str = Field(min_length=1, max_length=100)
    action: Literal["warn_person", "notify_police", "arrange_hospitalization"]
    recipient: PartyIn | None = None
    purpose: Literal["THREAT", "ETREAT"] = "THREAT"


class SafetyActionOut(Schema):
    event_id: str
    action: str
    disclosure: dict
    actions_taken: list[dict]
    outstanding: list
    state_rule: dict


class AbuseEventIn(Strict):
    victim_kind: Literal["child", "elder", "dependent_adult"]
    victim_age_now: int | None = Field(default=None, ge=0, le=130)
    abuse_is_past: bool
    child_at_risk_now: bool = False
    facts: str = Field(min_length=1, max_length=4000)
    victim: VictimIn | None = None
    current_risk: str | None = Field(default=None, max_length=4000)
    topics: Topics = Field(default=None, max_length=20)


class AbuseEventOut(Schema):
    id: str
    kind: str
    topics: list[str]
    assessment: dict
    reports: list[dict]


class AbuseReportIn(Strict):
    event_id: str = Field(min_length=1, max_length=100)
    agency: PartyIn
    notify_exception: Literal["risk_of_serious_harm", "PR_is_abuser"] | None = None
    notify_exception_reason: str | None = Field(default=None, max_length=1000)


class AbuseReportOut(Schema):
    event_id: str
    assessment: dict
    disclosure: dict


def _dump(model) -> dict | None:
    return model.model_dump(exclude_none=True) if model is not None else None


class SafetyEventRecordApi(Refusable):
    method = "POST"
    path = "/clients/{client_id}/safety-events"
    summary = "Record a threat (or a crime admitted in therapy) and see the state's duty-to-warn rule"
    status = 201
    output = SafetyEventOut

    @staticmethod
    def handle(request, client_id: str, payload: SafetyEventIn):
        return Status(201, safety.safety_event_record(
            user=request.auth, client_id=client_id, kind=payload.kind, threat=payload.threat,
            person_at_risk=_dump(payload.person_at_risk), imminence=payload.imminence, means=payload.means,
            statement=payload.statement, topics=payload.topics, recognition=payload.recognition))


class SafetyEventListApi(Operation):
    path = "/clients/{client_id}/safety-events"
    summary = "The client's threats and admitted crimes, with the state's rule and the actions taken"
    output = list[SafetyEventOut]

    @staticmethod
    def handle(request, client_id: str):
        return safety.safety_events_list(user=request.auth, client_id=client_id)


class SafetyActionTakeApi(Refusable):
    method = "POST"
    path = "/clients/{client_id}/safety-events/actions"
    summary = "Warn the person at risk, notify police or arrange hospitalization: one minimum-necessary packet"
    status = 201
    output = SafetyActionOut

    @staticmethod
    def handle(request, client_id: str, payload: SafetyActionIn):
        return Status(201, safety.safety_action_take(
            user=request.auth, client_id=client_id, event_id=payload.event_id, action=payload.action,
            recipient=_dump(payload.recipient), purpose=payload.purpose))


class AbuseEventRecordApi(Refusable):
    method = "POST"
    path = "/clients/{client_id}/abuse-events"
    summary = "Record a disclosure of abuse or neglect, with the decision aid's answer: reportable or not, and why"
    status = 201
    output = AbuseEventOut

    @staticmethod
    def handle(request, client_id: str, payload: AbuseEventIn):
        return Status(201, mandated_reports.abuse_event_record(
            user=request.auth, client_id=client_id, victim_kind=payload.victim_kind,
            victim_age_now=payload.victim_age_now, abuse_is_past=payload.abuse_is_past,
            child_at_risk_now=payload.child_at_risk_now, facts=payload.facts, victim=_dump(payload.victim),
            current_risk=payload.current_risk, topics=payload.topics))


class AbuseReportMakeApi(Refusable):
    method = "POST"
    path = "/clients/{client_id}/abuse-reports"
    summary = "Make the mandated report to the agency (refused, with the reason, when not reportable)"
    status = 201
    output = AbuseReportOut

    @staticmethod
    def handle(request, client_id: str, payload: AbuseReportIn):
        return Status(201, mandated_reports.abuse_report_make(
            user=request.auth, client_id=client_id, event_id=payload.event_id, agency=_dump(payload.agency),
            notify_exception=payload.notify_exception, notify_exception_reason=payload.notify_exception_reason))


OPERATIONS = (SafetyEventRecordApi, SafetyEventListApi, SafetyActionTakeApi, AbuseEventRecordApi, AbuseReportMakeApi)
