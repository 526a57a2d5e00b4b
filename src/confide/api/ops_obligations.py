"""Obligations to tell the client (or the minor) after an exception."""

from __future__ import annotations

from confide.api import schemas_workflows as x
from confide.api.operations import Operation
from confide.services.disclosures import obligations


class ObligationListApi(Operation):
    path = "/clients/{client_id}/obligations"
    summary = "What is owed to this client: open obligations (and closed ones on request)"
    output = list[x.ObligationOut]

    @staticmethod
    def handle(request, client_id: str, include_closed: bool = False):
        return obligations.obligation_list(user=request.auth, client_id=client_id, include_closed=include_closed)


class ObligationDashboardApi(Operation):
    path = "/obligations"
    summary = ("Open obligations of the clients the caller may list, overdue first (the privacy officer: the "
               "notices owed of the amendments they accepted)")
    output = list[x.ObligationOut]

    @staticmethod
    def handle(request):
        return obligations.obligations_open(user=request.auth)


class ObligationCloseApi(Operation):
    method = "POST"
    path = "/obligations/close"
    summary = ("Close an obligation: met (how the client was told) or waived (why telling would be unsafe or "
               "unlawful); the privacy officer closes the notices owed of the amendments they accepted")
    output = x.ObligationOut

    @staticmethod
    def handle(request, payload: x.ObligationCloseIn):
        return obligations.obligation_close(user=request.auth, client_id=payload.client_id,
                                            obligation_id=payload.obligation_id, status=payload.status,
                                            detail=payload.detail)


OPERATIONS = (ObligationListApi, ObligationDashboardApi, ObligationCloseApi)
