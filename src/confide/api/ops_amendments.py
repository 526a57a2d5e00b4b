"""A client's request to amend their record (45 CFR 164.526): the request, the lists
on the 60-day clock, the decision (accept, deny on an allowed ground, extend once) and
the client's statement of disagreement. One class per operation, each calling one
service."""

from __future__ import annotations

from typing import Literal

from ninja import Schema, Status
from pydantic import Field, StrictInt

from confide.api.operations import Operation
from confide.api.schemas import Strict
from confide.core.errors import InvalidInput
from confide.services.disclosures import amendments

Id = Field(min_length=1, max_length=64)
Text = Field(min_length=1, max_length=4000)
Name = Field(min_length=1, max_length=200, pattern=r"^[^\r\n]*$")


class AmendmentRequestIn(Strict):
    change: str = Text  # what should be changed, and how
    reason: str = Text  # why
    record: str = Field(default="", max_length=300)  # which part of the record, if the client knows
    notify: list[str] = Field(default_factory=list, max_length=10)  # people to tell if it is accepted


class AmendmentDecisionOut(Schema):
    outcome: str
    by: str | None = None
    on: str
    amendment: str | None = None
    note_id: str | None = None
    addendum_id: str | None = None
    ground: str | None = None
    ground_words: str | None = None
    explanation: str | None = None


class AmendmentDisagreementOut(Schema):
    text: str
    filed_on: str


class AmendmentRebuttalOut(Schema):
    text: str
    by: str
    on: str


class AmendmentRebuttalDeclinedOut(Schema):
    by: str
    on: str


class AmendmentNoticeOut(Schema):
    to: str
    status: str  # owed, given, not given (the obligation's status)
    since: str
    why: str | None = None  # named by the client, known to have relied on it, received the note on ...
    due_on: str | None = None
    obligation_id: str | None = None


class AmendmentRequestOut(Schema):
    id: str
    client_id: str
    status: str
    status_words: str
    filed_by: str | None
    change: str
    reason: str
    record: str
    notify: list[str]
    received_on: str
    due_on: str
    extended_to: str | None
    extension_reason: str | None
    extension_notice_on: str | None
    decided_at: str | None
    decision: AmendmentDecisionOut | None
    disagreement: AmendmentDisagreementOut | None
    rebuttal: AmendmentRebuttalOut | None
    rebuttal_declined: AmendmentRebuttalDeclinedOut | None  # the decider declined to rebut the statement
    goes_with_disclosures: bool  # later disclosures of the disputed information carry the dispute
    notices: list[AmendmentNoticeOut]
    open: bool
    days_left: int | None
    overdue: bool
    may_disagree: bool
    may_rebut: bool
    may_ask_to_include: bool


class AmendmentRequestRowOut(Schema):
    """A row of the decider's list: the client by reference, never by name."""

    id: str
    client_id: str
    client_ref: str
    status: str
    status_words: str
    received_on: str
    due_on: str
    extended: bool
    open: bool
    awaiting_rebuttal: bool  # the client's statement of disagreement waits for the rebuttal
    days_left: int | None
    overdue: bool


class AmendmentDecideIn(Strict):
    client_id: str = Id
    request_id: str = Id
    decision: Literal["accept", "deny", "extend"]
    amendment: str = Field(default="", max_length=4000)  # accept: the amendment's wording (default: the client's)
    # accept: a signed note to append it to; deny: the disputed note (later disclosures of it carry the dispute)
    note_id: str | None = Field(default=None, max_length=64)
    notify_more: list[str] = Field(default_factory=list, max_length=10)  # accept: others known to rely on it
    ground: Literal["not_created", "not_in_record", "not_accessible", "accurate_complete"] | None = None
    explanation: str = Field(default="", max_length=2000)  # deny: in writing
    reason: str = Field(default="", max_length=500)  # extend: the reason the client is told
    days: StrictInt = Field(default=30, ge=1, le=30)  # extend: by how many days


class AmendmentDisagreementIn(Strict):
    client_id: str = Id
    request_id: str = Id
    statement: str = Text


class AmendmentRebuttalIn(Strict):
    client_id: str = Id
    request_id: str = Id
    text: str = Field(min_length=1, max_length=2000)


class AmendmentIncludeIn(Strict):
    client_id: str = Id
    request_id: str = Id


class AmendmentRequestCreateApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/amendment-requests"
    summary = "File the client's request to amend their record (the client)"
    status = 201
    output = AmendmentRequestOut

    @staticmethod
    def handle(request, client_id: str, payload: AmendmentRequestIn):
        for name in payload.notify:
            if not name.strip() or len(name) > 200 or "\n" in name:
                raise InvalidInput("notify: one name per entry, up to 200 characters")
        return Status(201, amendments.amendment_request_create(
            user=request.auth, client_id=client_id, change=payload.change, reason=payload.reason,
            record=payload.record, notify=payload.notify))


class AmendmentRequestListApi(Operation):
    path = "/clients/{client_id}/amendment-requests"
    summary = "The client's amendment requests, their clocks and decisions"
    output = list[AmendmentRequestOut]

    @staticmethod
    def handle(request, client_id: str):
        return amendments.amendment_request_list(user=request.auth, client_id=client_id)


class AmendmentRequestsOpenApi(Operation):
    path = "/amendment-requests/open"
    summary = "Open amendment requests on their 60-day clocks, overdue first (the privacy officer: the practice's; "\
              "a clinician: their treating clients')"
    output = list[AmendmentRequestRowOut]

    @staticmethod
    def handle(request):
        return amendments.amendment_requests_open(user=request.auth)


class AmendmentRequestDecideApi(Operation):
    method = "POST"
    path = "/amendment-requests/decide"
    summary = "Decide an amendment request: accept, deny on an allowed ground in writing, or extend once"
    output = AmendmentRequestOut

    @staticmethod
    def handle(request, payload: AmendmentDecideIn):
        common = {"user": request.auth, "client_id": payload.client_id, "request_id": payload.request_id}
        if payload.decision == "accept":
            return amendments.amendment_request_accept(**common, amendment=payload.amendment,
                                                       note_id=payload.note_id, notify_more=payload.notify_more)
        if payload.decision == "deny":
            return amendments.amendment_request_deny(**common, ground=payload.ground or "",
                                                     explanation=payload.explanation, note_id=payload.note_id)
        return amendments.amendment_request_extend(**common, reason=payload.reason, days=payload.days)


class AmendmentDisagreementApi(Operation):
    method = "POST"
    path = "/amendment-requests/disagreement"
    summary = "File the client's statement of disagreement with a denial; it is kept with the record"
    output = AmendmentRequestOut

    @staticmethod
    def handle(request, payload: AmendmentDisagreementIn):
        return amendments.amendment_disagreement_file(user=request.auth, client_id=payload.client_id,
                                                      request_id=payload.request_id, statement=payload.statement)


class AmendmentRebuttalApi(Operation):
    method = "POST"
    path = "/amendment-requests/rebuttal"
    summary = "Prepare the practice's rebuttal to the client's statement of disagreement (the decider)"
    output = AmendmentRequestOut

    @staticmethod
    def handle(request, payload: AmendmentRebuttalIn):
        return amendments.amendment_rebuttal_file(user=request.auth, client_id=payload.client_id,
                                                  request_id=payload.request_id, text=payload.text)


class AmendmentRebuttalDeclineApi(Operation):
    method = "POST"
    path = "/amendment-requests/rebuttal/decline"
    summary = "Decline to rebut the client's statement of disagreement (the decider); the request no longer waits"
    output = AmendmentRequestOut

    @staticmethod
    def handle(request, payload: AmendmentIncludeIn):
        return amendments.amendment_rebuttal_decline(user=request.auth, client_id=payload.client_id,
                                                     request_id=payload.request_id)


class AmendmentIncludeApi(Operation):
    method = "POST"
    path = "/amendment-requests/include"
    summary = "The client asks that their request and the denial go with later disclosures of the information"
    output = AmendmentRequestOut

    @staticmethod
    def handle(request, payload: AmendmentIncludeIn):
        return amendments.amendment_include_with_disclosures(user=request.auth, client_id=payload.client_id,
                                                             request_id=payload.request_id)


OPERATIONS = (AmendmentRequestCreateApi, AmendmentRequestListApi, AmendmentRequestsOpenApi,
              AmendmentRequestDecideApi, AmendmentDisagreementApi, AmendmentRebuttalApi, AmendmentRebuttalDeclineApi,
              AmendmentIncludeApi)
