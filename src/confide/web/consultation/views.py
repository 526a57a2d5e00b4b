"""Consultation packets: choose notes, review the disguised draft, release."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from confide.core.errors import ConfideError, NotFound
from confide.services.disclosures import consultation
from confide.web.shell import staff_page


@staff_page
@require_http_methods(["GET", "POST"])
def consultation_view(request, client_id):
    """Choose progress notes of a case and how to disguise them; POST makes a draft
    for review (nothing leaves here)."""
    error = ""
    form = {"note_ids": [], "mode": "surrogates", "keep_first_name": True, "purpose": "HOPERAT"}
    if request.method == "POST":
        form = {"note_ids": [n[:64] for n in request.POST.getlist("note_ids")[:consultation.MAX_NOTES + 1]],
                "mode": request.POST.get("mode", "")[:20],
                "keep_first_name": request.POST.get("keep_first_name") == "on",
                "purpose": request.POST.get("purpose", "")[:20]}
        try:
            draft = consultation.consultation_draft(user=request.user, client_id=client_id, **form)
            return redirect(f"/clients/{client_id}/consultation/{draft['id']}/")
        except NotFound:
            raise
        except ConfideError as exc:
            error = str(exc)
    overview = consultation.consultation_overview(user=request.user, client_id=client_id)
    return render(request, "web/consultation/choose.html", {"client_id": client_id, **overview, "form": form,
                                                     "error": error}, status=400 if error else 200)


def _highlighted(note: dict) -> list[dict]:
    """The disguised text as pieces, each replacement marked with its type."""
    text, pieces, at = note["text"], [], 0
    for span in note["spans"]:
        if span["start"] > at:
            pieces.append({"text": text[at:span["start"]], "type": None})
        pieces.append({"text": text[span["start"]:span["end"]], "type": span["type"],
                       "source": span["source"]})
        at = span["end"]
    if at < len(text):
        pieces.append({"text": text[at:], "type": None})
    return pieces


@staff_page
@require_http_methods(["GET", "POST"])
def consultation_review_view(request, client_id, draft_id):
    """The draft for review: the disguised notes with every replacement highlighted by
    type, and the Release button. Only the button's POST sends anything."""
    error, status = "", 200
    if request.method == "POST":
        try:
            consultation.consultation_release(
                user=request.user, client_id=client_id, draft_id=draft_id,
                recipient={"name": request.POST.get("recipient_name", "")[:201], "kind": "consultant",
                           "address": request.POST.get("recipient_address", "")[:401]},
                reviewed=request.POST.get("reviewed") == "on")
            return redirect(f"/clients/{client_id}/consultation/{draft_id}/")
        except NotFound:
            raise
        except ConfideError as exc:
            error, status = str(exc), exc.status
    download = request.GET.get("download")
    if request.method == "GET" and download in ("pdf", "text"):
        document = consultation.consultation_packet(user=request.user, client_id=client_id, draft_id=draft_id,
                                                    fmt=download)
        if download == "pdf":
            response = HttpResponse(document, content_type="application/pdf")
            response["Content-Disposition"] = 'attachment; filename="consultation.pdf"'
        else:
            response = HttpResponse(document, content_type="text/plain; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="consultation.txt"'
        return response
    draft = consultation.consultation_get(user=request.user, client_id=client_id, draft_id=draft_id)
    notes = [{**note, "pieces": _highlighted(note)} for note in draft["notes"]]
    return render(request, "web/consultation/review.html",
                  {"client_id": client_id, "draft": draft, "notes": notes, "error": error,
                   "types": sorted(draft["replacements"])}, status=status)
