"""Large PDFs rendered in the background (services.background.document_render).

Rendering an accounting of disclosures over six years takes seconds of WeasyPrint: done
inside a request it holds a server thread (and, were it inside an audited write, the
chain's lock). Here the request only records what was asked (`document_request`,
through the door) and enqueues the task; the page says the document is being prepared
and shows it when the worker has rendered it (`document_build`, as the person who
asked, so through the door and audited as them). The PDF is kept sealed under the
client's key, and only the person who asked can see or download it
(`document_status`, `document_pdf`); anyone else, like a document id that does not
exist, gets NotFound. A prepared document is deleted after a week
(services.background.DOCUMENT_DAYS); its asker can ask again.

Kinds:
- "accounting": the accounting of disclosures (45 CFR 164.528), for the client's own
  portal; the PDF is kept here.
- "record_copy": the client's copy of their record (45 CFR 164.524), once the clinician
  confirmed its preview: the worker makes the disclosure as the clinician
  (services.disclosures.record_requests.record_request_fulfil under the confirmed
  token, so what leaves is what they saw, or nothing) and the link opens the stored
  packet's PDF through the door.
- "formal_accounting": a formal accounting request's written accounting, prepared by
  the privacy officer (services.disclosures.accounting_requests.accounting_request_prepare
  as the officer); the link opens it through the officer's door.
The last two answer a request (`ref`); what the worker needs beyond its id (the token,
the delivery) is sealed under the client's key, never a task argument.
"""

from __future__ import annotations

import base64
import logging
import uuid
from datetime import datetime, timezone

from django.db import transaction

from confide.apps.practice.models import User
from confide.apps.records.models import PreparedDocument
from confide.core.errors import ConfideError, InvalidInput, NotFound
from confide.services import access
from confide.services.audit import audit_append, audited_transaction
from confide.services.keys import data_key_of
from confide.services.sealing import seal, unseal

log = logging.getLogger("confide.documents")

KINDS = {"accounting": "Accounting of disclosures", "record_copy": "Copy of the record",
         "formal_accounting": "Formal accounting of disclosures"}
# Kinds that answer a request and whose result is kept where the request's own service
# keeps it (opened through that service's door), not as a PDF here.
ANSWERS = frozenset({"record_copy", "formal_accounting"})


def _params(row: PreparedDocument) -> dict:
    return unseal(data_key_of(row), PreparedDocument, "params_enc", row.id, row.params_enc) or {}


def _check(user: User, client_id, kind: str, ref: str, params: dict | None) -> None:
    """Before anything is queued: the asker may take this step on this request (the
    request's own service, through its door, audited)."""
    from confide.services.disclosures import accounting_requests, record_requests

    if kind == "record_copy":
        from confide.services.disclosures import preview

        token = (params or {}).get("token")
        if not isinstance(token, str) or len(token) != preview.TOKEN_LENGTH or any(
                c not in "0123456789abcdef" for c in token):
            raise InvalidInput("preview token: preview the disclosure first, then confirm it")
        if (params or {}).get("delivery") not in record_requests.DELIVERIES:
            raise InvalidInput(f"delivery: one of {', '.join(record_requests.DELIVERIES)}")
        found = [r for r in record_requests.record_request_list(user=user, client_id=client_id) if r["id"] == ref]
        if not found:
            raise NotFound()
        if user.role not in record_requests.STAFF_ROLES:
            raise NotFound()
        if found[0].get("fulfilled_at"):
            raise InvalidInput("request: already fulfilled")
    elif kind == "formal_accounting":
        found = accounting_requests.accounting_request_review(user=user, client_id=client_id, request_id=ref,
                                                              step="preparation_asked")
        if found["request"]["status"] not in accounting_requests.OPEN:
            raise InvalidInput("request: already sent")


def document_request(*, user: User, client_id, kind: str, ref: str = "", params: dict | None = None) -> dict:
    """Ask for a document of `kind` about the client; returns at once with its id and
    status "preparing" (the worker renders it). Audited (a read of disclosures, or the
    request's own step)."""
    if kind not in KINDS:
        raise InvalidInput(f"kind: one of {', '.join(KINDS)}")
    if kind in ANSWERS:
        ref = str(ref or "")[:64]
        _check(user, client_id, kind, ref, params)
        ref = uuid.UUID(ref)  # the request the check found
        cid = access.parse_client_id(client_id)
        from confide.apps.records.models import Client

        client = Client.objects.only("id", "practice_id").get(id=cid, practice_id=user.practice_id)
        rid = uuid.uuid4()
        # The check went through the request's own door (audited there); the row the
        # worker takes up is recorded in the same transaction that writes it.
        with audited_transaction():
            row = PreparedDocument.objects.create(
                id=rid, practice_id=client.practice_id, client_id=client.id, requested_by=user, kind=kind, ref=ref,
                params_enc=seal(data_key_of(client), PreparedDocument, "params_enc", rid, params or {}))
            audit_append(practice_id=client.practice_id, actor_id=str(user.pk), actor_role=user.role,
                         action="document.request", purpose=access.default_purpose(user),
                         client_ref=access.client_ref_for(user, client.id),
                         detail={"record": "document_request", "kind": kind, "document": str(rid)})
    else:
        with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                             categories={"disclosures"}, detail={"record": "document_request", "kind": kind}) as ok:
            row = PreparedDocument.objects.create(practice_id=ok.client.practice_id, client_id=ok.client.id,
                                                  requested_by=user, kind=kind)
    from confide.services.background import document_render

    transaction.on_commit(lambda: document_render.enqueue(str(row.id)))
    return _out(row)


def _build(row: PreparedDocument) -> dict:
    """Do the asked-for work as the asker; what to seal in pdf_enc."""
    user, client_id = row.requested_by, row.client_id
    if row.kind == "accounting":
        from confide.services.disclosures import accounting

        return {"pdf": base64.b64encode(accounting.accounting_pdf(user=user, client_id=client_id)).decode()}
    if row.kind == "record_copy":
        from confide.services.disclosures import preview, record_requests

        params = _params(row)
        done = preview.confirmed(record_requests.record_request_fulfil, params.get("token", ""), user=user,
                                 client_id=client_id, request_id=str(row.ref),
                                 delivery=params.get("delivery", "portal"))
        return {"disclosure_id": done["disclosure"]["id"], "categories": done["disclosure"]["categories"]}
    from confide.services.disclosures import accounting_requests

    done = accounting_requests.accounting_request_prepare(user=user, client_id=client_id, request_id=str(row.ref))
    return {"entry_count": len(done["accounting"].get("entries", []))}


def document_build(document_id: str) -> str:
    """Render one asked-for document (the worker's task); its final status."""
    row = PreparedDocument.objects.select_related("requested_by").filter(id=document_id).first()
    if row is None or row.status != "preparing":
        return row.status if row is not None else "missing"
    try:
        result = _build(row)
    except ConfideError as exc:  # refused by the door meanwhile (e.g. access ended): said, not rendered
        log.warning("document not prepared ref=%s class=%s", row.id, type(exc).__name__)
        PreparedDocument.objects.filter(practice_id=row.practice_id, pk=row.pk).update(
            status="failed", finished_at=datetime.now(timezone.utc))
        return "failed"
    sealed = seal(data_key_of(row), PreparedDocument, "pdf_enc", row.id, result)
    PreparedDocument.objects.filter(practice_id=row.practice_id, pk=row.pk).update(
        status="ready", pdf_enc=sealed, finished_at=datetime.now(timezone.utc))
    return "ready"


def _mine(user: User, document_id) -> PreparedDocument:
    try:
        did = uuid.UUID(str(document_id))
    except (ValueError, TypeError):
        raise NotFound() from None
    row = PreparedDocument.objects.filter(id=did, practice_id=user.practice_id, requested_by=user).first()
    if row is None:
        raise NotFound()
    return row


def _out(row: PreparedDocument) -> dict:
    return {"id": str(row.id), "kind": row.kind, "title": KINDS[row.kind], "status": row.status,
            "requested_at": row.created_at, "finished_at": row.finished_at, "client_id": str(row.client_id),
            "ref": str(row.ref) if row.ref else ""}


def document_status(*, user: User, document_id) -> dict:
    """Where one's own asked-for document is: preparing, ready or failed."""
    return _out(_mine(user, document_id))


def document_pdf(*, user: User, document_id) -> tuple[dict, bytes]:
    """One's own ready document; through the door again (access may have ended since).
    NotFound while it is not ready."""
    row = _mine(user, document_id)
    if row.status != "ready":
        raise NotFound()
    if row.kind in ANSWERS:
        return _out(row), _answer_pdf(user, row)
    with access.governed(user=user, client_id=row.client_id, action="read", purpose=access.default_purpose(user),
                         categories={"disclosures"}, detail={"view": "document", "kind": row.kind}) as ok:
        body = unseal(data_key_of(ok.client), PreparedDocument, "pdf_enc", row.id, row.pdf_enc) or {}
    return _out(row), base64.b64decode(body.get("pdf", ""))


def _answer_pdf(user: User, row: PreparedDocument) -> bytes:
    """The PDF a request's document stands for, read back through that service's door."""
    from confide.services.disclosures import accounting_requests
    from confide.services.disclosures.packet import disclosure_document

    if row.kind == "record_copy":
        result = unseal(data_key_of(row), PreparedDocument, "pdf_enc", row.id, row.pdf_enc) or {}
        return disclosure_document(user=user, client_id=row.client_id, disclosure_id=result.get("disclosure_id"),
                                   fmt="pdf")
    return accounting_requests.accounting_document(user=user, client_id=row.client_id, request_id=str(row.ref))


__all__ = ["KINDS", "document_request", "document_build", "document_status", "document_pdf"]
