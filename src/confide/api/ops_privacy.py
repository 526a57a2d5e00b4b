"""The privacy officer's work (the practice administrator): break-glass grants waiting
for review, one grant's reason and the records touched, the finding; the practice-wide
audit report (filtered, paged) and its CSV export. The same services as the web pages
(services.break_glass, services.audit_report); every other role is refused."""

from __future__ import annotations

from typing import Literal

from django.http import StreamingHttpResponse
from ninja import Query, Schema
from pydantic import ConfigDict, Field

from confide.api.operations import Operation
from confide.api.schemas import Strict
from confide.services import audit_report, break_glass


class BreakGlassPendingOut(Schema):
    grant_id: str
    clinician: str
    granted_at: str
    expires_at: str
    client_ref: str


class BreakGlassTouchedOut(Schema):
    at: str
    action: str
    purpose: str | None
    decision: str | None
    categories: list[str]
    what: str


class BreakGlassGrantOut(Schema):
    grant_id: str
    clinician: str
    granted_at: str
    expires_at: str
    client_ref: str
    reviewed_at: str | None
    reason: str | None  # the clinician's stated reason, while the grant waits for review
    finding: str | None  # once reviewed: appropriate or inappropriate, as recorded
    finding_words: str | None
    note: str | None  # once reviewed: the privacy officer's note
    touched: list[BreakGlassTouchedOut]


class BreakGlassFindingIn(Strict):
    grant_id: str = Field(min_length=1, max_length=64)
    finding: Literal["appropriate", "inappropriate"]
    note: str = Field(default="", max_length=1000)  # required when inappropriate


class BreakGlassFindingOut(Schema):
    grant_id: str
    finding: str
    reviewed_at: str


class AuditFilters(Schema):
    """The report's filters, named as on the web page (`from`, `to`: days in the
    practice's zone)."""

    model_config = ConfigDict(populate_by_name=True)

    user: str = Field(default="", max_length=64)  # a person of the practice, by id
    client_ref: str = Field(default="", max_length=80)  # the client's reference as the log shows it
    action: str = Field(default="", max_length=80)
    since: str = Field(default="", max_length=20, alias="from")
    until: str = Field(default="", max_length=20, alias="to")

    def service_kwargs(self) -> dict:
        return {"actor": self.user, "client_ref": self.client_ref, "action": self.action, "since": self.since,
                "until": self.until}


class AuditRowOut(Schema):
    seq: int
    at: str
    when: str
    user: str
    user_id: str
    role: str
    action: str
    purpose: str | None
    client_ref: str
    decision: str | None
    rules: str
    categories: str
    what: str


class AuditReportOut(Schema):
    rows: list[AuditRowOut]
    before: int | None
    next_before: int | None  # pass back as `before` for the next (older) page; null on the last
    filters: dict[str, str]


class BreakGlassPendingApi(Operation):
    path = "/break-glass/reviews"
    summary = "Break-glass grants waiting for the privacy officer's review, oldest first"
    output = list[BreakGlassPendingOut]

    @staticmethod
    def handle(request):
        return break_glass.break_glass_reviews_pending(user=request.auth)


class BreakGlassGrantApi(Operation):
    path = "/break-glass/reviews/{grant_id}"
    summary = "One break-glass grant for review: the stated reason and the records touched"
    output = BreakGlassGrantOut

    @staticmethod
    def handle(request, grant_id: str):
        return break_glass.break_glass_grant_detail(user=request.auth, grant_id=grant_id[:64])


class BreakGlassFindingApi(Operation):
    method = "POST"
    path = "/break-glass/reviews"
    summary = "Record the privacy officer's finding on a break-glass grant (a note when inappropriate)"
    output = BreakGlassFindingOut

    @staticmethod
    def handle(request, payload: BreakGlassFindingIn):
        return break_glass.break_glass_review(user=request.auth, grant_id=payload.grant_id,
                                              finding=payload.finding, note=payload.note)


class AuditReportApi(Operation):
    path = "/audit-report"
    summary = "The practice-wide audit report, newest first, a page at a time: pass `next_before` back as `before`"
    output = AuditReportOut

    @staticmethod
    def handle(request, filters: Query[AuditFilters], before: int | None = None):
        return audit_report.audit_report(user=request.auth, before=before, **filters.service_kwargs())


class AuditExportApi(Operation):
    path = "/audit-report.csv"
    summary = "The practice-wide audit report as CSV (every matching event, newest first)"

    @staticmethod
    def handle(request, filters: Query[AuditFilters]):
        lines = audit_report.audit_export_csv(user=request.auth, **filters.service_kwargs())
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="audit-report.csv"'
        return response


OPERATIONS = (BreakGlassPendingApi, BreakGlassGrantApi, BreakGlassFindingApi, AuditReportApi, AuditExportApi)
