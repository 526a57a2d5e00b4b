"""The accounting of disclosures and the stored disclosure packets: one class per
operation, each calling one service.

Every route that names a client answers a caller with no relationship exactly as it
answers for a client id that does not exist (the services raise the same NotFound).
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpResponse, JsonResponse
from ninja import Query, Schema

from confide.api.operations import Operation
from confide.services import reports
from confide.services.disclosures import accounting
from confide.services.disclosures import packet as disclosures


def _years():
    """The `years` query parameter (a fresh one per operation)."""
    return Query(accounting.YEARS_MAX, ge=1, le=accounting.YEARS_MAX,
                 description="how many years back (164.528(a): six, or fewer if the client asks)")


class AccountingRecipientOut(Schema):
    name: str
    address: str | None = None
    kind: str


class AccountingBasisOut(Schema):
    kind: str
    citation: str
    description: str


class AccountingEntryOut(Schema):
    """One disclosure with the elements of 45 CFR 164.528(b)(2)."""

    id: str
    date: str
    day: str  # the practice's date of the disclosure (YYYY-MM-DD)
    recipient: AccountingRecipientOut
    description: str
    categories: list[str]
    purpose: str
    basis: AccountingBasisOut
    required: bool
    not_required_reason: str | None = None
    made_by: str
    # staff only: the last day of an agency's suspension (45 CFR 164.528(a)(2)) leaving it
    # out of the client's accounting
    suspended_until: str | None = None


class AccountingPeriodOut(Schema):
    start: str
    end: str


class AccountingOut(Schema):
    practice: str
    period: AccountingPeriodOut
    generated_at: str
    generated_on: str  # the practice's date
    years: int
    required_count: int
    entries: list[AccountingEntryOut]


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class AccountingApi(Operation):
    path = "/clients/{client_id}/accounting"
    summary = "The client's accounting of disclosures (45 CFR 164.528), six years back"
    output = AccountingOut

    @staticmethod
    def handle(request, client_id: str, years: int = _years()):
        return accounting.accounting_of_disclosures(user=request.auth, client_id=client_id, years=years)


class AccountingPdfApi(Operation):
    path = "/clients/{client_id}/accounting.pdf"
    summary = "The client's accounting of disclosures as a PDF"

    @staticmethod
    def handle(request, client_id: str, years: int = _years()):
        return _pdf(accounting.accounting_pdf(user=request.auth, client_id=client_id, years=years), "accounting.pdf")


class MyAccountingApi(Operation):
    path = "/me/accounting"
    summary = "The signed-in client's own accounting of disclosures"
    output = AccountingOut

    @staticmethod
    def handle(request, years: int = _years()):
        return accounting.accounting_of_disclosures(user=request.auth, client_id=reports.my_client_id(request.auth),
                                                    years=years)


class MyAccountingPdfApi(Operation):
    path = "/me/accounting.pdf"
    summary = "The signed-in client's own accounting of disclosures as a PDF"

    @staticmethod
    def handle(request, years: int = _years()):
        return _pdf(accounting.accounting_pdf(user=request.auth, client_id=reports.my_client_id(request.auth),
                                              years=years), "accounting.pdf")


class DisclosureDocumentApi(Operation):
    path = "/clients/{client_id}/disclosures/{disclosure_id}"
    summary = "A stored disclosure packet as JSON, PDF or FHIR R4B bundle"
    output = dict

    @staticmethod
    def handle(request, client_id: str, disclosure_id: str, format: Literal["json", "pdf", "fhir"] = "json"):
        document = disclosures.disclosure_document(user=request.auth, client_id=client_id,
                                                   disclosure_id=disclosure_id, fmt=format)
        if format == "pdf":
            return _pdf(document, "disclosure.pdf")
        if format == "fhir":
            return JsonResponse(document, content_type="application/fhir+json")
        return document


OPERATIONS = (AccountingApi, AccountingPdfApi, MyAccountingApi, MyAccountingPdfApi, DisclosureDocumentApi)
