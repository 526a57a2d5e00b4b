"""API: consultation packets (DESIGN.md promise 12). A draft is made and reviewed
first; only the release operation sends anything. The draft id of a release travels
in the body, so the release route names the client only; every service reaches the
door first after checking its input, so an unrelated caller gets exactly the answer a
nonexistent client gets."""

from __future__ import annotations

from typing import Literal

from django.http import HttpResponse
from ninja import Schema, Status
from pydantic import Field

from confide.api.operations import Operation
from confide.api.ops_safety import Refusable
from confide.api.schemas import Strict
from confide.services.disclosures import consultation


class ConsultationDraftIn(Strict):
    note_ids: list[str] = Field(min_length=1, max_length=consultation.MAX_NOTES)
    mode: Literal["surrogates", "redact"] = "surrogates"
    # the seeds: "only first names are used"
    keep_first_name: bool = True
    # TREAT: consultation between providers; HOPERAT: supervision
    purpose: Literal["TREAT", "HOPERAT"] = "HOPERAT"


class ReplacementOut(Schema):
    """Where a replacement sits in the disguised text, and what it replaced (its type,
    never the value). `source`: "engine" (found by confide.core.deid) or "chart" (a
    chart value caught by the final check)."""

    start: int
    end: int
    type: str
    source: str


class ConsultationNoteOut(Schema):
    label: str
    format: str | None = None
    text: str
    spans: list[ReplacementOut]


class ConsultationDraftOut(Schema):
    id: str
    status: str
    created_at: str
    released_at: str | None = None
    disclosure_id: str | None = None
    mode: str
    keep_first_name: bool
    purpose: str
    safe_harbor: bool
    basis: str
    notes: list[ConsultationNoteOut]
    replacements: dict[str, int]


class ConsultationRowOut(Schema):
    id: str
    status: str
    created_at: str
    released_at: str | None = None
    disclosure_id: str | None = None
    mode: str
    keep_first_name: bool
    purpose: str
    safe_harbor: bool
    basis: str
    notes: int
    replacements: dict[str, int]


class ConsultantIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["consultant"] = "consultant"
    address: str | None = Field(default=None, max_length=400)


class ConsultationReleaseIn(Strict):
    draft_id: str = Field(min_length=1, max_length=100)
    recipient: ConsultantIn
    # the clinician read the disguised text and it identifies no one
    reviewed: bool


class ConsultationReleaseOut(Schema):
    draft_id: str
    basis: str
    disclosure: dict
    text: str


class ConsultationDraftCreateApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/consultations"
    summary = "Disguise chosen progress notes as a consultation draft for review (nothing leaves)"
    status = 201
    output = ConsultationDraftOut

    @staticmethod
    def handle(request, client_id: str, payload: ConsultationDraftIn):
        return Status(201, consultation.consultation_draft(
            user=request.auth, client_id=client_id, note_ids=payload.note_ids, mode=payload.mode,
            keep_first_name=payload.keep_first_name, purpose=payload.purpose))


class ConsultationListApi(Operation):
    path = "/clients/{client_id}/consultations"
    summary = "The caller's consultation drafts and released packets for the client"
    output = list[ConsultationRowOut]

    @staticmethod
    def handle(request, client_id: str):
        return consultation.consultation_list(user=request.auth, client_id=client_id)


class ConsultationDraftGetApi(Operation):
    path = "/clients/{client_id}/consultations/{draft_id}"
    summary = "A consultation draft for review: the disguised text and each replacement's type"
    output = ConsultationDraftOut

    @staticmethod
    def handle(request, client_id: str, draft_id: str):
        return consultation.consultation_get(user=request.auth, client_id=client_id, draft_id=draft_id)


class ConsultationReleaseApi(Refusable):
    method = "POST"
    path = "/clients/{client_id}/consultations/release"
    summary = "Release a reviewed consultation draft to a consultant (audited; in the accounting)"
    output = ConsultationReleaseOut

    @staticmethod
    def handle(request, client_id: str, payload: ConsultationReleaseIn):
        return consultation.consultation_release(
            user=request.auth, client_id=client_id, draft_id=payload.draft_id,
            recipient=payload.recipient.model_dump(exclude_none=True), reviewed=payload.reviewed)


class ConsultationPacketApi(Operation):
    path = "/clients/{client_id}/consultations/{draft_id}/packet"
    summary = "A released consultation packet as text or PDF"

    @staticmethod
    def handle(request, client_id: str, draft_id: str, format: Literal["text", "pdf"] = "text"):
        document = consultation.consultation_packet(user=request.auth, client_id=client_id, draft_id=draft_id,
                                                    fmt=format)
        if format == "pdf":
            response = HttpResponse(document, content_type="application/pdf")
            response["Content-Disposition"] = 'inline; filename="consultation.pdf"'
            return response
        return HttpResponse(document, content_type="text/plain; charset=utf-8")


OPERATIONS = (ConsultationDraftCreateApi, ConsultationListApi, ConsultationReleaseApi, ConsultationDraftGetApi,
              ConsultationPacketApi)
