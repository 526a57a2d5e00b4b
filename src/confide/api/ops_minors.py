"""Minors: the ground rules, and the guardian's view. A parent opening
/clients/{client_id} gets the guardian view too (clients.chart_open routes it)."""

from __future__ import annotations

from ninja import Status

from confide.api import schemas as s
from confide.api import schemas_workflows as x
from confide.api.operations import Operation
from confide.services.disclosures import minors


class GroundRulesRecordApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/ground-rules"
    summary = "Record the ground rules agreed with a minor and their parent (treating clinician)"
    status = 201
    output = s.CreatedOut

    @staticmethod
    def handle(request, client_id: str, payload: x.GroundRulesIn):
        data = payload.model_dump()
        rid = minors.ground_rules_record(user=request.auth, client_id=client_id, **data)
        return Status(201, {"id": str(rid)})


class MyGuardianViewApi(Operation):
    path = "/me/guardian-view"
    summary = "For a parent or guardian: what they may see of each minor they represent"
    output = list[x.GuardianViewOut]
    exclude_unset = True

    @staticmethod
    def handle(request):
        return minors.guardian_views_mine(user=request.auth)


OPERATIONS = (GroundRulesRecordApi, MyGuardianViewApi)
