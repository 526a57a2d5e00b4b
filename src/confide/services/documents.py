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

Kinds: "accounting" (the accounting of disclosures, 45 CFR 164.528, for the client's
own portal).
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
from confide.services.keys import client_data_key
from confide.services.sealing import seal, unseal

log = logging.getLogger("confide.documents")

KINDS = {"accounting": "Accounting of disclosures"}


def _renderer(kind: str):
    from confide.services.disclosures import accounting

    return {"accounting": lambda user, client_id: accounting.accounting_pdf(user=user, client_id=client_id)}[kind]


def document_request(*, user: User, client_id, kind: str) -> dict:
    """Ask for a document of `kind` about the client; returns at once with its id and
    status "preparing" (the worker renders it). Audited (a read of disclosures)."""
    if kind not in KINDS:
        raise InvalidInput(f"kind: one of {', '.join(KINDS)}")
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"disclosures"}, detail={"record": "document_request", "kind": kind}) as ok:
        row = PreparedDocument.objects.create(practice_id=ok.client.practice_id, client_id=ok.client.id,
                                              requested_by=user, kind=kind)
    from confide.services.background import document_render

    transaction.on_commit(lambda: document_render.enqueue(str(row.id)))
    return _out(row)


def document_build(document_id: str) -> str:
    """Render one asked-for document (the worker's task); its final status."""
    row = PreparedDocument.objects.select_related("requested_by").filter(id=document_id).first()
    if row is None or row.status != "preparing":
        return row.status if row is not None else "missing"
    try:
        pdf = _renderer(row.kind)(row.requested_by, row.client_id)
    except ConfideError as exc:  # refused by the door meanwhile (e.g. access ended): said, not rendered
        log.warning("document not prepared ref=%s class=%s", row.id, type(exc).__name__)
        PreparedDocument.objects.filter(pk=row.pk).update(status="failed", finished_at=datetime.now(timezone.utc))
        return "failed"
    sealed = seal(client_data_key(row.client_id), PreparedDocument, "pdf_enc", row.id,
                  {"pdf": base64.b64encode(pdf).decode()})
    PreparedDocument.objects.filter(pk=row.pk).update(status="ready", pdf_enc=sealed,
                                                      finished_at=datetime.now(timezone.utc))
    return "ready"


def _mine(user: User, document_id) -> PreparedDocument:
    try:
        did = uuid.UUID(str(document_id))
    except (ValueError, TypeError):
        raise NotFound() from None
    row = PreparedDocument.objects.filter(id=did, requested_by=user).first()
    if row is None:
        raise NotFound()
    return row


def _out(row: PreparedDocument) -> dict:
    return {"id": str(row.id), "kind": row.kind, "title": KINDS[row.kind], "status": row.status,
            "requested_at": row.created_at, "finished_at": row.finished_at}


def document_status(*, user: User, document_id) -> dict:
    """Where one's own asked-for document is: preparing, ready or failed."""
    return _out(_mine(user, document_id))


def document_pdf(*, user: User, document_id) -> tuple[dict, bytes]:
    """One's own ready document; through the door again (access may have ended since).
    NotFound while it is not ready."""
    row = _mine(user, document_id)
    if row.status != "ready":
        raise NotFound()
    with access.governed(user=user, client_id=row.client_id, action="read", purpose=access.default_purpose(user),
                         categories={"disclosures"}, detail={"view": "document", "kind": row.kind}) as ok:
        body = unseal(client_data_key(ok.client.id), PreparedDocument, "pdf_enc", row.id, row.pdf_enc) or {}
    return _out(row), base64.b64decode(body.get("pdf", ""))


__all__ = ["KINDS", "document_request", "document_build", "document_status", "document_pdf"]
