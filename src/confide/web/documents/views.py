"""Staff documents prepared in the background (services.documents): a client's copy
of their record once its preview was confirmed, a formal accounting the privacy
officer prepares. The page says "being prepared" (and asks again every few seconds),
then links the PDF; only the person who asked sees either, anyone else gets not found."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from confide.core.errors import NotFound
from confide.services import documents
from confide.web.shell import staff_page

ASKERS = frozenset({"clinician", "supervisor", "practice_admin"})


def _back(document: dict) -> tuple[str, str]:
    if document["kind"] == "formal_accounting":
        return (f"/privacy/accounting/{document['client_id']}/{document['ref']}/", "the accounting request")
    return (f"/clients/{document['client_id']}/disclosures/", "the client's disclosures")


@staff_page(roles=ASKERS)
def document_view(request, document_id):
    document = documents.document_status(user=request.user, document_id=document_id[:64])
    back_url, back_label = _back(document)
    return render(request, "web/documents/document.html", {"document": document, "back_url": back_url,
                                                           "back_label": back_label})


@staff_page(roles=ASKERS)
def document_pdf_view(request, document_id):
    try:
        document, pdf = documents.document_pdf(user=request.user, document_id=document_id[:64])
    except NotFound:
        raise
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document["kind"].replace("_", "-")}.pdf"'
    return response
