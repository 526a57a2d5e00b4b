"""Courts and lawyers: record an order or a subpoena, see where it stands in words
(held, ready, released), document the requester's assurance for a subpoena, and
release what the basis allows after previewing it."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from confide.core.errors import ConfideError, NotFound
from confide.core.policy import CATEGORIES
from confide.services import words
from confide.services.disclosures import legal, releases
from confide.services.disclosures.overview import client_heading
from confide.web.disclosures import flow
from confide.web.disclosures.views import CLINICAL
from confide.web.shell import staff_page

LEGAL_CATEGORIES = tuple(c for c in sorted(CATEGORIES) if c != "psychotherapy_notes")


def _categories():
    return [(c, words.category_word(c)) for c in LEGAL_CATEGORIES]


@staff_page(roles=CLINICAL)
@require_http_methods(["GET", "POST"])
def legal_view(request, client_id):
    client = client_heading(user=request.user, client_id=client_id, view="legal")
    error = ""
    if request.method == "POST":
        post = request.POST
        data = {"requester": {"name": post.get("requester_name", "")[:201], "kind": post.get("requester_kind", ""),
                              "address": post.get("requester_address", "")[:401]},
                "court": post.get("court", "")[:201], "case_number": post.get("case_number", "")[:101],
                "judge": post.get("judge", "")[:201], "signed_by_judge": post.get("signed_by_judge") == "yes",
                "categories": [c[:40] for c in post.getlist("categories")[:len(CATEGORIES) + 1]],
                "date_from": post.get("date_from", "")[:10] or None, "date_to": post.get("date_to", "")[:10] or None,
                "received_on": post.get("received_on", "")[:10] or None,
                "with_subpoena": post.get("with_subpoena") == "yes"}
        try:
            made = legal.legal_request_record(user=request.user, client_id=client["id"],
                                              kind=post.get("kind", "")[:30], data=data)
            return redirect(f"/clients/{client['id']}/legal/{made['id']}/")
        except NotFound:
            raise
        except ConfideError as exc:
            error = str(exc)
    return render(request, "web/disclosures/legal.html",
                  {"client": client, "requests": legal.legal_requests_list(user=request.user, client_id=client["id"]),
                   "categories": _categories(), "error": error, "form": request.POST,
                   "chosen": request.POST.getlist("categories")}, status=400 if error else 200)


def _assurance_details(post, kind: str) -> dict:
    details = {"written_statement": post.get("written_statement") == "yes",
               "document_ref": post.get("document_ref", "")[:201]}
    if kind == "notice":
        details.update({"notice_sent_on": post.get("notice_sent_on", "")[:10] or None,
                        "objection_deadline": post.get("objection_deadline", "")[:10] or None,
                        "notice_describes_litigation": post.get("notice_describes_litigation") == "yes",
                        "objections": post.get("objections", "")[:30]})
    else:
        details.update({"route": post.get("route", "")[:30],
                        "qpo_limits_use_to_litigation": post.get("qpo_limits_use_to_litigation") == "yes",
                        "qpo_requires_return_or_destruction":
                            post.get("qpo_requires_return_or_destruction") == "yes"})
    return details


@staff_page(roles=CLINICAL)
@require_http_methods(["GET", "POST"])
def legal_request_view(request, client_id, request_id):
    client = client_heading(user=request.user, client_id=client_id, view="legal_request")
    context = {"client": client, "error": ""}
    status = 200
    if request.method == "POST" and request.POST.get("do") == "assurance":
        kind = request.POST.get("assurance_kind", "")[:10]
        try:
            legal.legal_request_assurance(user=request.user, client_id=client["id"], legal_request_id=request_id[:64],
                                          kind=kind, details=_assurance_details(request.POST, kind))
            return redirect(f"/clients/{client['id']}/legal/{request_id}/")
        except NotFound:
            raise
        except ConfideError as exc:
            context["error"], status = str(exc), 400
    elif request.method == "POST":
        result = flow.step(request, legal.legal_request_release,
                           {"user": request.user, "client_id": client["id"], "legal_request_id": request_id[:64],
                            "release_id": request.POST.get("release_id", "")[:64] or None},
                           done_message=flow.summary_words)
        if "done" in result:
            return redirect(f"/clients/{client['id']}/legal/{request_id}/")
        status = result.pop("status")
        context.update(result)
    found = next((r for r in legal.legal_requests_list(user=request.user, client_id=client["id"])
                  if r["id"] == request_id), None)
    if found is None:
        raise NotFound()
    context["req"] = found
    context["releases"] = [r for r in releases.release_list(user=request.user, client_id=client["id"])
                           if r["status"] == "active"]
    return render(request, "web/disclosures/legal_request.html", context, status=status)
