"""Insurer operations: payer agreements, charges, the self-pay restriction, claims and
managed-care reports. Each calls one service."""

from __future__ import annotations

from ninja import Status

from confide.api import schemas as s
from confide.api import schemas_workflows as x
from confide.api.operations import Operation
from confide.services.disclosures import insurers


class PayerAgreementListApi(Operation):
    path = "/payer-agreements"
    summary = "The practice's payer agreements"
    output = list[x.PayerAgreementOut]

    @staticmethod
    def handle(request):
        return insurers.payer_agreement_list(user=request.auth)


class PayerAgreementSetApi(Operation):
    method = "POST"
    path = "/payer-agreements"
    summary = "Record what the practice agreed with a payer (practice admin or biller)"
    output = x.PayerAgreementOut

    @staticmethod
    def handle(request, payload: x.PayerAgreementIn):
        return insurers.payer_agreement_set(user=request.auth, **payload.model_dump())


class ChargeAddApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/charges"
    summary = "Record a billed service (paid in full with a restriction: never reaches a payer)"
    status = 201
    output = s.CreatedOut

    @staticmethod
    def handle(request, client_id: str, payload: x.ChargeIn):
        rid = insurers.charge_add(user=request.auth, client_id=client_id, **payload.model_dump())
        return Status(201, {"id": str(rid)})


class SelfPayRestrictionRequestApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/self-pay-restriction"
    summary = "The client pays out of pocket and asks that no health plan hear of it (the practice must agree)"
    output = x.SelfPayOut

    @staticmethod
    def handle(request, client_id: str, payload: x.SelfPayRestrictionIn):
        return insurers.self_pay_restriction_request(user=request.auth, client_id=client_id, how=payload.how)


class SelfPayRestrictionEndApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/self-pay-restriction/end"
    summary = "End the self-pay restriction, at the client's own request only"
    output = x.SelfPayOut

    @staticmethod
    def handle(request, client_id: str, payload: x.SelfPayRestrictionEndIn):
        return insurers.self_pay_restriction_end(user=request.auth, client_id=client_id, how=payload.how)


class ClaimBuildApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/claims"
    summary = "Build a claim packet for a payer: only what the rules allow, never notes"
    status = 201
    output = x.DisclosureOut

    @staticmethod
    def handle(request, client_id: str, payload: x.ClaimIn):
        return Status(201, insurers.claim_build(user=request.auth, client_id=client_id, payer=payload.payer,
                                                release_id=payload.release_id))


class ManagedCareReportBuildApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/managed-care-reports"
    summary = "Build a managed-care treatment report, only under a payer agreement that provides for it"
    status = 201
    output = x.DisclosureOut

    @staticmethod
    def handle(request, client_id: str, payload: x.ManagedCareReportIn):
        return Status(201, insurers.managed_care_report_build(user=request.auth, client_id=client_id,
                                                              payer=payload.payer))


OPERATIONS = (PayerAgreementListApi, PayerAgreementSetApi, ChargeAddApi, SelfPayRestrictionRequestApi,
              SelfPayRestrictionEndApi, ClaimBuildApi, ManagedCareReportBuildApi)
