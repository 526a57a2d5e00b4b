"""API: court orders, Part 2 court orders, subpoenas, assurances, releases and the
privilege letter. Request ids travel in the body; every route names the client only."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from ninja import Schema, Status
from pydantic import ConfigDict, Field

from confide.api.operations import Operation
from confide.api.ops_safety import Refusable
from confide.api.schemas import Strict
from confide.services.disclosures import legal


class RequesterIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["court", "attorney"]
    address: str | None = Field(default=None, max_length=400)


class LegalRequestIn(Strict):
    kind: Literal["court_order", "part2_court_order", "subpoena"]
    requester: RequesterIn
    court: str | None = Field(default=None, max_length=200)
    case_number: str | None = Field(default=None, max_length=100)
    judge: str | None = Field(default=None, max_length=200)
    signed_by_judge: bool = False
    with_subpoena: bool = False
    categories: list[str] = Field(min_length=1, max_length=40)
    date_from: date | None = None
    date_to: date | None = None
    received_on: date | None = None


class LegalRequestOut(Schema):
    """Where the request stands (on_hold, ready, released, refused), in plain lines."""

    model_config = ConfigDict(extra="allow")
    id: str
    kind: str
    status: str
    categories: list[str]
    part2: bool
    compelled: bool
    explanation: list[str]


class AssuranceIn(Strict):
    legal_request_id: str = Field(min_length=1, max_length=100)
    kind: Literal["notice", "qpo"]
    # notice (164.512(e)(1)(iii)): written_statement, notice_sent_on, notice_describes_litigation,
    #   objection_deadline, objections (none_filed | resolved_consistently), document_ref
    # qpo (164.512(e)(1)(iv),(v)): written_statement, route (agreed_and_presented | requested_from_court),
    #   qpo_limits_use_to_litigation, qpo_requires_return_or_destruction, document_ref
    details: dict[str, Any]


class LegalReleaseIn(Strict):
    legal_request_id: str = Field(min_length=1, max_length=100)
    # the client's signed release, for a subpoena the client authorizes
    release_id: str | None = Field(default=None, max_length=100)


class LegalReleaseOut(Schema):
    legal_request: dict
    disclosure: dict
    withheld: list[str]


class PrivilegeLetterIn(Strict):
    legal_request_id: str = Field(min_length=1, max_length=100)


class PrivilegeLetterOut(Schema):
    legal_request_id: str
    sha256: str
    pdf_base64: str
    disclosure: dict | None = None
    note: str


class LegalRequestRecordApi(Refusable):
    method = "POST"
    path = "/clients/{client_id}/legal-requests"
    summary = "Record a court order, Part 2 court order or subpoena (a subpoena is held)"
    status = 201
    output = LegalRequestOut

    @staticmethod
    def handle(request, client_id: str, payload: LegalRequestIn):
        data = payload.model_dump(exclude={"kind"}, exclude_none=True)
        return Status(201, legal.legal_request_record(user=request.auth, client_id=client_id, kind=payload.kind,
                                                      data=data))


class LegalRequestListApi(Operation):
    path = "/clients/{client_id}/legal-requests"
    summary = "The client's court orders and subpoenas, where each stands and why"
    output = list[LegalRequestOut]

    @staticmethod
    def handle(request, client_id: str):
        return legal.legal_requests_list(user=request.auth, client_id=client_id)


class LegalRequestAssuranceApi(Refusable):
    method = "POST"
    path = "/clients/{client_id}/legal-requests/assurances"
    summary = "Document a subpoena's notice or protective-order assurance (45 CFR 164.512(e)(1)(iii)/(iv))"
    output = LegalRequestOut

    @staticmethod
    def handle(request, client_id: str, payload: AssuranceIn):
        return legal.legal_request_assurance(user=request.auth, client_id=client_id,
                                             legal_request_id=payload.legal_request_id, kind=payload.kind,
                                             details=payload.details)


class LegalRequestReleaseApi(Refusable):
    method = "POST"
    path = "/clients/{client_id}/legal-requests/releases"
    summary = "Release exactly what the order (or the assured or authorized subpoena) allows"
    status = 201
    output = LegalReleaseOut

    @staticmethod
    def handle(request, client_id: str, payload: LegalReleaseIn):
        return Status(201, legal.legal_request_release(user=request.auth, client_id=client_id,
                                                       legal_request_id=payload.legal_request_id,
                                                       release_id=payload.release_id))


class PrivilegeLetterApi(Refusable):
    method = "POST"
    path = "/clients/{client_id}/legal-requests/privilege-letters"
    summary = "A letter asserting privilege and declining to produce records (PDF, neither confirms nor denies)"
    status = 201
    output = PrivilegeLetterOut

    @staticmethod
    def handle(request, client_id: str, payload: PrivilegeLetterIn):
        return Status(201, legal.privilege_letter(user=request.auth, client_id=client_id,
                                                  legal_request_id=payload.legal_request_id))


class LegalDecisionIn(Strict):
    legal_request_id: str = Field(min_length=1, max_length=100)
    outcome: Literal["release", "legal_step"]
    # a legal step only: what was done instead, and when to look at it again
    step: Literal["motion_to_quash", "protective_order_requested"] | None = None
    revisit_on: date | None = None
    note: str | None = Field(default=None, max_length=1000)


class LegalDecisionOut(Schema):
    legal_request: dict
    disclosure: dict | None = None
    withheld: list[str] = Field(default_factory=list)


class LegalRequestDecisionApi(Refusable):
    method = "POST"
    path = "/clients/{client_id}/legal-requests/decisions"
    summary = "The privacy officer decides a judge's order held for a practice promise: release, or a legal step"
    status = 201
    output = LegalDecisionOut

    @staticmethod
    def handle(request, client_id: str, payload: LegalDecisionIn):
        return Status(201, legal.legal_request_decide(
            user=request.auth, client_id=client_id, legal_request_id=payload.legal_request_id,
            outcome=payload.outcome, step=payload.step, revisit_on=payload.revisit_on, note=payload.note))


class HeldLegalRequestsApi(Refusable):
    path = "/privacy-officer/legal-requests"
    summary = "The privacy officer's list of judges' orders held for a practice promise"
    output = list[LegalRequestOut]

    @staticmethod
    def handle(request):
        return legal.held_legal_requests(user=request.auth)


OPERATIONS = (LegalRequestRecordApi, LegalRequestListApi, LegalRequestAssuranceApi, LegalRequestReleaseApi,
              PrivilegeLetterApi, LegalRequestDecisionApi, HeldLegalRequestsApi)
