"""The client's own request for their record, and its 30-day clock. Extending and
fulfilling name the client and the request in the body (one id pair, one door)."""

from __future__ import annotations

from ninja import Status

from confide.api import schemas_workflows as x
from confide.api.operations import Operation
from confide.services.disclosures import record_requests


class RecordRequestCreateApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/record-requests"
    summary = "File the client's request for a copy of their record (the client, or staff recording it)"
    status = 201
    output = x.RecordRequestOut

    @staticmethod
    def handle(request, client_id: str, payload: x.RecordRequestIn):
        return Status(201, record_requests.record_request_create(user=request.auth, client_id=client_id,
                                                                 format=payload.format,
                                                                 received_on=payload.received_on))


class RecordRequestListApi(Operation):
    path = "/clients/{client_id}/record-requests"
    summary = "The client's record requests and their clocks"
    output = list[x.RecordRequestOut]

    @staticmethod
    def handle(request, client_id: str):
        return record_requests.record_request_list(user=request.auth, client_id=client_id)


class RecordRequestExtendApi(Operation):
    method = "POST"
    path = "/record-requests/extend"
    summary = "Extend a request's clock once, by up to 30 days, with the reason (within the first 30)"
    output = x.RecordRequestOut

    @staticmethod
    def handle(request, payload: x.RecordRequestExtendIn):
        return record_requests.record_request_extend(user=request.auth, client_id=payload.client_id,
                                                     request_id=payload.request_id, reason=payload.reason,
                                                     days=payload.days)


class RecordRequestFulfilApi(Operation):
    method = "POST"
    path = "/record-requests/fulfil"
    summary = "Fulfil a request: the client's record, psychotherapy notes excepted"
    output = x.RecordRequestFulfilOut

    @staticmethod
    def handle(request, payload: x.RecordRequestFulfilIn):
        return record_requests.record_request_fulfil(user=request.auth, client_id=payload.client_id,
                                                     request_id=payload.request_id, delivery=payload.delivery)


class RecordRequestsOpenApi(Operation):
    path = "/record-requests"
    summary = "Open record requests of the clients the caller may list, overdue first"
    output = list[x.RecordRequestOut]

    @staticmethod
    def handle(request, overdue: bool = False):
        if overdue:
            return record_requests.record_requests_overdue(user=request.auth)
        return record_requests.record_requests_open(user=request.auth)


OPERATIONS = (RecordRequestCreateApi, RecordRequestListApi, RecordRequestExtendApi, RecordRequestFulfilApi,
              RecordRequestsOpenApi)
