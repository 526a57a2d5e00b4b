"""A formal request for an accounting of disclosures and its 60-day clock; the privacy
officer's preparation, review and sending; an agency's suspension (45 CFR 164.528).
One class per operation, each calling one service."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.http import HttpResponse
from ninja import Schema, Status
from pydantic import Field, StrictInt

from confide.api.operations import Operation
from confide.api.ops_accounting import AccountingOut
from confide.api.schemas import Strict
from confide.services.disclosures import accounting_requests, accounting_suspensions

Id = Field(min_length=1, max_length=64)
OneLine = Field(min_length=1, max_length=500, pattern=r"^[^\r\n]*$")


class AccountingRequestIn(Strict):
    years: StrictInt = Field(ge=1, le=6)  # how far back (six, or fewer if the client asks)
    received_on: date | None = None  # staff recording a written request: the day it arrived


class AccountingRequestOut(Schema):
    id: str
    client_id: str
    status: str
    status_words: str
    filed_by: str | None
    years: int
    received_on: str
    due_on: str
    extended_to: str | None
    extension_reason: str | None
    extension_notice_on: str | None
    prepared_at: str | None
    sent_at: str | None
    entry_count: int | None
    document_sha256: str | None
    open: bool
    days_left: int | None
    overdue: bool


class AccountingRequestRowOut(Schema):
    """A row of the privacy officer's list: the client by reference, never by name."""

    id: str
    client_id: str
    client_ref: str
    status: str
    status_words: str
    received_on: str
    due_on: str
    extended: bool
    open: bool
    days_left: int | None
    overdue: bool
    sent_at: str | None


class AccountingRequestStepIn(Strict):
    client_id: str = Id
    request_id: str = Id


class AccountingRequestExtendIn(AccountingRequestStepIn):
    reason: str = OneLine
    days: StrictInt = Field(default=30, ge=1, le=30)


class PreparedAccountingOut(Schema):
    request: AccountingRequestOut
    accounting: AccountingOut | None = None


class AccountingRequestCreateApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/accounting-requests"
    summary = "File the client's request for an accounting of disclosures (the client, or staff recording it)"
    status = 201
    output = AccountingRequestOut

    @staticmethod
    def handle(request, client_id: str, payload: AccountingRequestIn):
        return Status(201, accounting_requests.accounting_request_create(
            user=request.auth, client_id=client_id, years=payload.years, received_on=payload.received_on))


class AccountingRequestListApi(Operation):
    path = "/clients/{client_id}/accounting-requests"
    summary = "The client's accounting requests and their clocks"
    output = list[AccountingRequestOut]

    @staticmethod
    def handle(request, client_id: str):
        return accounting_requests.accounting_request_list(user=request.auth, client_id=client_id)


class AccountingRequestDocumentApi(Operation):
    path = "/clients/{client_id}/accounting-requests/{request_id}/document.pdf"
    summary = "The written accounting (PDF): the client once sent, the privacy officer while reviewing"

    @staticmethod
    def handle(request, client_id: str, request_id: str):
        response = HttpResponse(accounting_requests.accounting_document(
            user=request.auth, client_id=client_id, request_id=request_id), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="accounting.pdf"'
        return response


class AccountingRequestsOpenApi(Operation):
    path = "/privacy-officer/accounting-requests"
    summary = "The privacy officer's list: accounting requests on their 60-day clocks, overdue first"
    output = list[AccountingRequestRowOut]

    @staticmethod
    def handle(request):
        return accounting_requests.accounting_requests_open(user=request.auth)


class AccountingRequestExtendApi(Operation):
    method = "POST"
    path = "/accounting-requests/extend"
    summary = "Extend a request's clock once, by up to 30 days, with the reason the client is told"
    output = AccountingRequestOut

    @staticmethod
    def handle(request, payload: AccountingRequestExtendIn):
        return accounting_requests.accounting_request_extend(
            user=request.auth, client_id=payload.client_id, request_id=payload.request_id, reason=payload.reason,
            days=payload.days)


class AccountingRequestPrepareApi(Operation):
    method = "POST"
    path = "/accounting-requests/prepare"
    summary = "Prepare the complete accounting for a request (the privacy officer), for review"
    output = PreparedAccountingOut

    @staticmethod
    def handle(request, payload: AccountingRequestStepIn):
        return accounting_requests.accounting_request_prepare(user=request.auth, client_id=payload.client_id,
                                                              request_id=payload.request_id)


class AccountingRequestReviewApi(Operation):
    path = "/clients/{client_id}/accounting-requests/{request_id}/review"
    summary = "The prepared accounting, for the privacy officer to review before sending"
    output = PreparedAccountingOut

    @staticmethod
    def handle(request, client_id: str, request_id: str):
        return accounting_requests.accounting_request_review(user=request.auth, client_id=client_id,
                                                             request_id=request_id)


class AccountingRequestSendApi(Operation):
    method = "POST"
    path = "/accounting-requests/send"
    summary = "Send the reviewed accounting to the client's portal"
    output = AccountingRequestOut

    @staticmethod
    def handle(request, payload: AccountingRequestStepIn):
        return accounting_requests.accounting_request_send(user=request.auth, client_id=payload.client_id,
                                                           request_id=payload.request_id)


# --- agency suspensions ---------------------------------------------------------------

class SuspensionIn(Strict):
    agency: str = Field(min_length=1, max_length=200, pattern=r"^[^\r\n]*$")
    agency_kind: Literal["health_oversight", "law_enforcement"]
    statement: Literal["written", "oral"]
    ends_on: date
    starts_on: date | None = None
    statement_on: date | None = None
    reference: str = Field(default="", max_length=200, pattern=r"^[^\r\n]*$")


class SuspensionWrittenIn(Strict):
    ends_on: date
    written_on: date | None = None
    reference: str = Field(default="", max_length=200, pattern=r"^[^\r\n]*$")


class SuspensionEndIn(Strict):
    on: date  # the last day the suspension holds


class SuspensionOut(Schema):
    id: str
    agency: str
    agency_kind: str
    agency_kind_words: str
    statement: str
    statement_on: str
    starts_on: str
    ends_on: str
    written_on: str | None
    reference: str
    recorded_by: str
    in_force: bool


class SuspensionRecordApi(Operation):
    method = "POST"
    path = "/privacy-officer/accounting-suspensions"
    summary = "Record an agency's statement suspending the accounting of disclosures to it (164.528(a)(2))"
    status = 201
    output = SuspensionOut

    @staticmethod
    def handle(request, payload: SuspensionIn):
        return Status(201, accounting_suspensions.suspension_record(user=request.auth, **payload.model_dump()))


class SuspensionListApi(Operation):
    path = "/privacy-officer/accounting-suspensions"
    summary = "Every agency suspension of the practice, newest first"
    output = list[SuspensionOut]

    @staticmethod
    def handle(request):
        return accounting_suspensions.suspensions_list(user=request.auth)


class SuspensionWrittenApi(Operation):
    method = "POST"
    path = "/privacy-officer/accounting-suspensions/{suspension_id}/written"
    summary = "The written statement following an oral one: the suspension lasts until the date it states"
    output = SuspensionOut

    @staticmethod
    def handle(request, suspension_id: str, payload: SuspensionWrittenIn):
        return accounting_suspensions.suspension_put_in_writing(user=request.auth, suspension_id=suspension_id,
                                                                **payload.model_dump())


class SuspensionEndApi(Operation):
    method = "POST"
    path = "/privacy-officer/accounting-suspensions/{suspension_id}/end"
    summary = "The agency withdrew its statement: the suspension ends early"
    output = SuspensionOut

    @staticmethod
    def handle(request, suspension_id: str, payload: SuspensionEndIn):
        return accounting_suspensions.suspension_end(user=request.auth, suspension_id=suspension_id, on=payload.on)


OPERATIONS = (AccountingRequestCreateApi, AccountingRequestListApi, AccountingRequestDocumentApi,
              AccountingRequestsOpenApi, AccountingRequestExtendApi, AccountingRequestPrepareApi,
              AccountingRequestReviewApi, AccountingRequestSendApi, SuspensionRecordApi, SuspensionListApi,
              SuspensionWrittenApi, SuspensionEndApi)
