"""Releases of information (authorizations and Part 2 consents): one class per
operation, each calling one service in `confide.services.disclosures.releases`.

Staff work under /clients/{client_id}/releases; the signed-in client (or their personal
representative) reads, signs and revokes under /me/releases. PDFs travel inside JSON
(base64) like everything else this API answers.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import date
from typing import Literal

from ninja import Schema, Status
from pydantic import ConfigDict, Field

from confide.api.operations import Operation
from confide.api.schemas import CreatedOut, Strict
from confide.services import reports
from confide.services.disclosures import releases

# --- schemas --------------------------------------------------------------------------

class ReleaseRecipientIn(Strict):
    name: str | None = Field(default=None, max_length=200)
    kind: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=400)


class ReleaseCreateIn(Strict):
    """Every element is optional here so that the answer can list all that are missing."""

    kind: Literal["hipaa", "psychotherapy_notes", "part2"]
    description: str | None = Field(default=None, max_length=2000)
    categories: list[str] | None = Field(default=None, max_length=40)
    discloser: str | None = Field(default=None, max_length=200)
    recipient: ReleaseRecipientIn | None = None
    purposes: list[str] | None = Field(default=None, max_length=10)
    expires_on: date | None = None
    expiry_event: str | None = Field(default=None, max_length=300)
    topics: list[str] | None = Field(default=None, max_length=20)
    purpose_of_use: str | None = Field(default=None, max_length=10)
    sud_description: str | None = Field(default=None, max_length=2000)


class ReleaseSignIn(Strict):
    typed_name: str = Field(min_length=1, max_length=200)
    representative_authority: str | None = Field(default=None, max_length=500)


class ReleaseUploadIn(Strict):
    pdf_base64: str = Field(min_length=8, max_length=(releases.MAX_SIGNED_PDF_BYTES * 4) // 3 + 8)
    signer_name: str = Field(min_length=1, max_length=200)
    signer_role: Literal["client", "representative"]
    representative_authority: str | None = Field(default=None, max_length=500)
    signed_on: date | None = None


class ReleaseRevokeIn(Strict):
    how: str = Field(min_length=1, max_length=500)


class ReleaseExpiryEventIn(Strict):
    occurred_on: date
    note: str | None = Field(default=None, max_length=500)


class ReleaseDiscloseIn(Strict):
    categories: list[str] = Field(min_length=1, max_length=40)


class ReleaseRowOut(Schema):
    id: str
    kind: str | None = None
    status: str
    recipient: dict | None = None
    categories: list[str]
    expires_on: str | None = None
    expiry_event: str | None = None
    created_at: str
    signed_at: str | None = None
    revoked_at: str | None = None
    expired_at: str | None = None


class ReleaseOut(ReleaseRowOut):
    model_config = ConfigDict(extra="allow")
    description: str | None = None
    discloser: str | None = None
    purposes: list[str] | None = None
    purpose_of_use: str | None = None
    topics: list[str] | None = None
    sud_description: str | None = None
    statements_version: str | None = None
    statements: dict | None = None
    patient_name: str | None = None
    problem: str | None = None
    signature: dict | None = None
    revocation: dict | None = None
    expiry_event_recorded: dict | None = None


class ReleasePdfOut(Schema):
    release_id: str
    content_type: str
    sha256: str
    pdf_base64: str


class ReleaseSignedOut(Schema):
    id: str
    signed_at: str
    document_sha256: str


class ReleaseRevokedOut(Schema):
    id: str
    revoked_at: str


class ReleaseExpiredOut(Schema):
    id: str
    expired_at: str


class ReleaseDisclosedOut(Schema):
    id: str
    release_id: str
    recipient: dict
    purpose: str
    categories: list[str]
    accountable: bool
    obligations: list[dict]
    rule_ids: list[str]
    notices: list[str]


def _pdf_out(release_id, pdf: bytes) -> dict:
    return {"release_id": str(release_id), "content_type": "application/pdf",
            "sha256": hashlib.sha256(pdf).hexdigest(), "pdf_base64": base64.b64encode(pdf).decode("ascii")}


# --- staff ------------------------------------------------------------------------------

class ReleaseCreateApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/releases"
    summary = "Prepare a release (authorization or Part 2 consent); refused with every missing element listed"
    status = 201
    output = CreatedOut

    @staticmethod
    def handle(request, client_id: str, payload: ReleaseCreateIn):
        data = payload.model_dump(exclude={"kind"}, exclude_none=True, mode="json")
        rid = releases.release_create(user=request.auth, client_id=client_id, kind=payload.kind, data=data)
        return Status(201, {"id": str(rid)})


class ReleaseListApi(Operation):
    path = "/clients/{client_id}/releases"
    summary = "The client's releases and their status"
    output = list[ReleaseRowOut]

    @staticmethod
    def handle(request, client_id: str):
        return releases.release_list(user=request.auth, client_id=client_id)


class ReleaseGetApi(Operation):
    path = "/clients/{client_id}/releases/{release_id}"
    summary = "One release: its elements, statements, signature and status"
    output = ReleaseOut

    @staticmethod
    def handle(request, client_id: str, release_id: str):
        return releases.release_get(user=request.auth, client_id=client_id, release_id=release_id)


class ReleasePdfApi(Operation):
    path = "/clients/{client_id}/releases/{release_id}/pdf"
    summary = "The release document (PDF, base64): exactly as signed, or a draft"
    output = ReleasePdfOut

    @staticmethod
    def handle(request, client_id: str, release_id: str):
        pdf = releases.release_pdf(user=request.auth, client_id=client_id, release_id=release_id)
        return _pdf_out(release_id, pdf)


class ReleaseFhirApi(Operation):
    path = "/clients/{client_id}/releases/{release_id}/fhir"
    summary = "The release as a FHIR R4B Consent"
    output = dict

    @staticmethod
    def handle(request, client_id: str, release_id: str):
        return releases.release_fhir(user=request.auth, client_id=client_id, release_id=release_id)


class ReleaseUploadSignedApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/releases/{release_id}/signed-copy"
    summary = "Upload the wet-signed paper release (PDF, base64)"
    output = ReleaseSignedOut

    @staticmethod
    def handle(request, client_id: str, release_id: str, payload: ReleaseUploadIn):
        return releases.release_upload_signed(
            user=request.auth, client_id=client_id, release_id=release_id, pdf_base64=payload.pdf_base64,
            signer_name=payload.signer_name, signer_role=payload.signer_role,
            representative_authority=payload.representative_authority, signed_on=payload.signed_on)


class ReleaseRevokeApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/releases/{release_id}/revoke"
    summary = "Record the client's written revocation: the release permits nothing from now on"
    output = ReleaseRevokedOut

    @staticmethod
    def handle(request, client_id: str, release_id: str, payload: ReleaseRevokeIn):
        return releases.release_revoke(user=request.auth, client_id=client_id, release_id=release_id, how=payload.how)


class ReleaseExpiryEventApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/releases/{release_id}/expiry-event"
    summary = "Record that the release's expiry event occurred"
    output = ReleaseExpiredOut

    @staticmethod
    def handle(request, client_id: str, release_id: str, payload: ReleaseExpiryEventIn):
        return releases.release_expire_event(user=request.auth, client_id=client_id, release_id=release_id,
                                             occurred_on=payload.occurred_on, note=payload.note or "")


class ReleaseDiscloseApi(Operation):
    method = "POST"
    path = "/clients/{client_id}/releases/{release_id}/disclose"
    summary = "Disclose what a valid release allows, to the recipient it names"
    status = 201
    output = ReleaseDisclosedOut

    @staticmethod
    def handle(request, client_id: str, release_id: str, payload: ReleaseDiscloseIn):
        return Status(201, releases.release_disclose(user=request.auth, client_id=client_id, release_id=release_id,
                                                     categories=payload.categories))


# --- the signed-in client or representative ------------------------------------------------

class MyReleaseListApi(Operation):
    path = "/me/releases"
    summary = "The signed-in client's releases"
    output = list[ReleaseRowOut]

    @staticmethod
    def handle(request):
        return releases.release_list(user=request.auth, client_id=reports.my_client_id(request.auth))


class MyReleaseGetApi(Operation):
    path = "/me/releases/{release_id}"
    summary = "One of the signed-in client's releases"
    output = ReleaseOut

    @staticmethod
    def handle(request, release_id: str):
        return releases.release_get(user=request.auth, client_id=reports.my_client_id(request.auth),
                                    release_id=release_id)


class MyReleasePdfApi(Operation):
    path = "/me/releases/{release_id}/pdf"
    summary = "The signed-in client's copy of a release (PDF, base64)"
    output = ReleasePdfOut

    @staticmethod
    def handle(request, release_id: str):
        pdf = releases.release_pdf(user=request.auth, client_id=reports.my_client_id(request.auth),
                                   release_id=release_id)
        return _pdf_out(release_id, pdf)


class MyReleaseSignApi(Operation):
    method = "POST"
    path = "/me/releases/{release_id}/sign"
    summary = "Sign a release with a typed name (a representative also describes their authority)"
    output = ReleaseSignedOut

    @staticmethod
    def handle(request, release_id: str, payload: ReleaseSignIn):
        return releases.release_sign(user=request.auth, client_id=reports.my_client_id(request.auth),
                                     release_id=release_id, typed_name=payload.typed_name,
                                     representative_authority=payload.representative_authority)


class MyReleaseRevokeApi(Operation):
    method = "POST"
    path = "/me/releases/{release_id}/revoke"
    summary = "Revoke one of the signed-in client's releases, at once"
    output = ReleaseRevokedOut

    @staticmethod
    def handle(request, release_id: str, payload: ReleaseRevokeIn):
        return releases.release_revoke(user=request.auth, client_id=reports.my_client_id(request.auth),
                                       release_id=release_id, how=payload.how)


OPERATIONS = (ReleaseCreateApi, ReleaseListApi, ReleaseGetApi, ReleasePdfApi, ReleaseFhirApi, ReleaseUploadSignedApi,
              ReleaseRevokeApi, ReleaseExpiryEventApi, ReleaseDiscloseApi, MyReleaseListApi, MyReleaseGetApi,
              MyReleasePdfApi, MyReleaseSignApi, MyReleaseRevokeApi)
