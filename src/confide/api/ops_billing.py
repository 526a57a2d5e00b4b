"""Billing operations: the work queue, charges in bulk, a client's billing, claims as
X12 837P files (validated with pyx12) and the superbill. Each calls one service."""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse
from ninja import Schema, Status
from pydantic import Field, StrictBool, StrictInt

from confide.api.operations import Operation
from confide.api.schemas import Strict
from confide.services import reports
from confide.services.billing import claims, queue, superbill


class QueueSessionOut(Schema):
    appointment_id: str
    client_id: str
    client: str
    date: str
    day: str
    clinician: str
    type: str
    minutes: int
    cpt: str
    fee: str
    place_of_service: str
    restricted: bool
    why: str


class QueueChargeOut(Schema):
    id: str
    client_id: str
    client: str
    date: str
    day: str
    cpt: str | None = None
    fee: str | None = None
    units: int
    provider: str
    claimed: bool
    restricted: bool
    why: str = ""


class QueueClaimOut(Schema):
    id: str
    client_id: str
    client: str
    payer: str
    total: str
    services: int
    control_number: int
    built: str


class WorkQueueOut(Schema):
    first: str
    last: str
    first_day: str
    last_day: str
    unbilled: list[QueueSessionOut]
    charges: list[QueueChargeOut]
    restricted: list[QueueChargeOut]
    claims: list[QueueClaimOut]


class ChargeItemIn(Strict):
    appointment_id: str = Field(min_length=1, max_length=64)
    cpt: str = Field(min_length=1, max_length=10)
    fee: str = Field(min_length=1, max_length=12)
    units: StrictInt = Field(default=1, ge=1, le=99)
    place_of_service: str | None = Field(default=None, max_length=2)
    paid_in_full: StrictBool = False
    restrict_payer: StrictBool = False


class ChargesIn(Strict):
    items: list[ChargeItemIn] = Field(min_length=1, max_length=queue.MAX_BULK)


class ChargeRecordedOut(Schema):
    appointment_id: str
    charge_id: str


class ChargeRefusedOut(Schema):
    appointment_id: str
    error: str


class ChargesOut(Schema):
    recorded: list[ChargeRecordedOut]
    refused: list[ChargeRefusedOut]


class BillingClaimIn(Strict):
    payer: str = Field(min_length=1, max_length=200)
    first: date
    last: date


class BillingClaimOut(Schema):
    id: str
    disclosure_id: str
    rule_ids: list[str]


class WorkQueueApi(Operation):
    path = "/billing/queue"
    summary = "Attended sessions not yet charged (code and fee), charges, services kept from the plan, claims"
    output = WorkQueueOut

    @staticmethod
    def handle(request, start: date, end: date):
        return queue.work_queue(user=request.auth, start=start, end=end)


class ChargesRecordApi(Operation):
    method = "POST"
    path = "/billing/charges"
    summary = "Record the charges of attended sessions in bulk (each through the door; a refused row says why)"
    output = ChargesOut

    @staticmethod
    def handle(request, payload: ChargesIn):
        return queue.charges_record(user=request.auth, items=[i.model_dump() for i in payload.items])


class ClientBillingApi(Operation):
    path = "/clients/{client_id}/billing"
    summary = "The client's plan, charges (claimed, waiting or kept from the plan, in words) and claims"
    output = dict

    @staticmethod
    def handle(request, client_id: str):
        return claims.client_billing(user=request.auth, client_id=client_id)


class BillingClaimCreateApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/billing/claims"
    summary = "Build a claim for the days of service given: a disclosure, written as an 837P validated with pyx12"
    status = 201
    output = BillingClaimOut

    @staticmethod
    def handle(request, client_id: str, payload: BillingClaimIn):
        return Status(201, claims.claim_create(user=request.auth, client_id=client_id, payer=payload.payer,
                                               first=payload.first.isoformat(), last=payload.last.isoformat()))


class BillingClaimApi(Operation):
    path = "/clients/{client_id}/billing/claims/{claim_id}"
    summary = "A claim: subscriber, diagnoses, services, total, the basis and rules that let it leave"
    output = dict

    @staticmethod
    def handle(request, client_id: str, claim_id: str):
        return claims.claim_get(user=request.auth, client_id=client_id, claim_id=claim_id)


class BillingClaimFileApi(Operation):
    path = "/clients/{client_id}/billing/claims/{claim_id}/837p"
    summary = "The claim's X12 837P (005010X222A1) file as sent (each download audited)"

    @staticmethod
    def handle(request, client_id: str, claim_id: str):
        content, media, name = claims.claim_file(user=request.auth, client_id=client_id, claim_id=claim_id, fmt="x12")
        response = HttpResponse(content, content_type=media)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def _pdf(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="superbill.pdf"'
    return response


class SuperbillApi(Operation):
    path = "/clients/{client_id}/superbill.pdf"
    summary = "The client's superbill (PDF), produced by the biller or the treating clinician"

    @staticmethod
    def handle(request, client_id: str, start: date | None = None, end: date | None = None):
        return _pdf(superbill.superbill_pdf(user=request.auth, client_id=client_id, first=start, last=end))


class MySuperbillApi(Operation):
    path = "/me/superbill.pdf"
    summary = "The signed-in client's own superbill (PDF), to send to their plan themselves"

    @staticmethod
    def handle(request, start: date | None = None, end: date | None = None):
        return _pdf(superbill.superbill_pdf(user=request.auth, client_id=reports.my_client_id(request.auth),
                                            first=start, last=end))


OPERATIONS = (WorkQueueApi, ChargesRecordApi, ClientBillingApi, BillingClaimCreateApi, BillingClaimApi,
              BillingClaimFileApi, SuperbillApi, MySuperbillApi)
