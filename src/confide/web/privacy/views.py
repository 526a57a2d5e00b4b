"""The privacy officer's pages (the practice administrator): requests on their clocks
(formal accountings, copies of the record, judges' orders held for a promise, with the
decision form), a formal accounting's preparation, review and sending, agencies'
suspensions of the accounting, and the practice-wide audit report with its CSV export.
Every page is the privacy officer's alone; each reads through the services (the door,
audited)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from confide.core.errors import ConfideError, Forbidden, NotFound
from confide.services import audit_report, documents
from confide.services.disclosures import (
    accounting_requests,
    accounting_suspensions,
    amendments,
    legal,
    record_requests,
)
from confide.web.shell import staff_page

OFFICER = frozenset({"practice_admin"})


@staff_page(roles=OFFICER)
def dashboard_view(request):
    user = request.user
    return render(request, "web/privacy/dashboard.html", {
        "accountings": accounting_requests.accounting_requests_open(user=user),
        "amendments": amendments.amendment_requests_open(user=user),
        "copies": record_requests.record_requests_clock(user=user),
        "orders": legal.held_legal_requests(user=user),
        "steps": legal.STEPS,
        "suspensions": [s for s in accounting_suspensions.suspensions_list(user=user) if s["in_force"]],
    })


@staff_page(roles=OFFICER)
@require_http_methods(["GET", "POST"])
def accounting_view(request, client_id, request_id):
    """One formal accounting request: its clock, prepare (again), review the entries,
    extend once with a reason, send to the client's portal."""
    user, error = request.user, ""
    client_id, request_id = client_id[:64], request_id[:64]
    if request.method == "POST":
        step = request.POST.get("step", "")
        try:
            if step == "prepare":
                # Six years of disclosures rendered as a PDF: the worker prepares it as
                # the officer (services.documents); the page says it is being prepared.
                document = documents.document_request(user=user, client_id=client_id, kind="formal_accounting",
                                                      ref=request_id)
                return redirect("document", document_id=document["id"])
            elif step == "extend":
                accounting_requests.accounting_request_extend(user=user, client_id=client_id, request_id=request_id,
                                                              reason=request.POST.get("reason", "")[:600])
                messages.success(request, "Extended. The client sees the reason and the new date.")
            elif step == "send":
                accounting_requests.accounting_request_send(user=user, client_id=client_id, request_id=request_id)
                messages.success(request, "Sent to the client's portal.")
                return redirect("privacy")
            else:
                raise NotFound()
            return redirect("privacy_accounting", client_id=client_id, request_id=request_id)
        except NotFound:
            raise
        except ConfideError as exc:
            error = str(exc)
    found = accounting_requests.accounting_request_review(user=user, client_id=client_id, request_id=request_id)
    return render(request, "web/privacy/accounting.html", {**found, "client_id": client_id, "error": error},
                  status=400 if error else 200)


@staff_page(roles=OFFICER)
def accounting_document_view(request, client_id, request_id):
    try:
        pdf = accounting_requests.accounting_document(user=request.user, client_id=client_id[:64],
                                                      request_id=request_id[:64])
    except ConfideError:
        raise NotFound() from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="accounting-of-disclosures.pdf"'
    return response


@staff_page(roles=OFFICER)
@require_http_methods(["POST"])
def legal_decide_view(request, client_id, legal_request_id):
    """The privacy officer's decision on a judge's order held for a practice promise."""
    post = request.POST
    try:
        legal.legal_request_decide(user=request.user, client_id=client_id[:64],
                                   legal_request_id=legal_request_id[:64], outcome=post.get("outcome", ""),
                                   step=post.get("step") or None, revisit_on=post.get("revisit_on") or None,
                                   note=post.get("note", "")[:1200] or None)
        messages.success(request, "Decision recorded.")
    except NotFound:
        raise
    except ConfideError as exc:
        messages.error(request, str(exc))
    return redirect("privacy")


@staff_page(roles=OFFICER)
@require_http_methods(["GET", "POST"])
def suspensions_view(request):
    user, error, post = request.user, "", request.POST
    if request.method == "POST":
        try:
            step = post.get("step", "")
            if step == "record":
                accounting_suspensions.suspension_record(
                    user=user, agency=post.get("agency", "")[:300], agency_kind=post.get("agency_kind", ""),
                    statement=post.get("statement", ""), ends_on=post.get("ends_on", "")[:20],
                    starts_on=post.get("starts_on", "")[:20] or None,
                    statement_on=post.get("statement_on", "")[:20] or None,
                    reference=post.get("reference", "")[:300])
            elif step == "written":
                accounting_suspensions.suspension_put_in_writing(
                    user=user, suspension_id=post.get("suspension_id", "")[:64], ends_on=post.get("ends_on", "")[:20])
            elif step == "end":
                accounting_suspensions.suspension_end(user=user, suspension_id=post.get("suspension_id", "")[:64],
                                                      on=post.get("on", "")[:20] or None)
            else:
                raise NotFound()
            messages.success(request, "Recorded.")
            return redirect("privacy_suspensions")
        except NotFound:
            raise
        except ConfideError as exc:
            error = str(exc)
    return render(request, "web/privacy/suspensions.html", {
        "suspensions": accounting_suspensions.suspensions_list(user=user), "kinds": accounting_suspensions.KINDS,
        "oral_days": accounting_suspensions.oral_days(), "error": error, "form": post},
        status=400 if error else 200)


def _filters(request) -> dict:
    get = request.GET
    return {"actor": get.get("user", "")[:20], "client_ref": get.get("client_ref", "")[:100],
            "action": get.get("action", "")[:100], "since": get.get("from", "")[:20],
            "until": get.get("to", "")[:20]}


@staff_page(roles=OFFICER)
def audit_report_view(request):
    user, error, report = request.user, "", None
    raw = request.GET.get("before", "")[:18]
    try:
        before = int(raw) if raw else None
    except ValueError:
        before = 0
    try:
        report = audit_report.audit_report(user=user, before=before, **_filters(request))
    except ConfideError as exc:
        error = str(exc)
    query = request.GET.copy()
    query.pop("before", None)
    return render(request, "web/privacy/audit.html", {
        "report": report, "error": error, "people": sorted(audit_report.people(user).items(), key=lambda p: p[1]),
        "actions": audit_report.actions(user), "form": request.GET, "query": query.urlencode()},
        status=400 if error else 200)


@staff_page(roles=OFFICER)
def audit_export_view(request):
    try:
        lines = audit_report.audit_export_csv(user=request.user, **_filters(request))
    except ConfideError as exc:
        return render(request, "web/message.html", {"title": "Audit export", "message": str(exc)}, status=400)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-report.csv"'
    return response


DECIDERS = frozenset({"practice_admin", "clinician", "supervisor"})


@staff_page(roles=DECIDERS)
def amendments_view(request):
    """Amendment requests on their clocks: the privacy officer sees the practice's, a
    clinician those of the clients they treat."""
    return render(request, "web/privacy/amendments.html",
                  {"amendments": amendments.amendment_requests_open(user=request.user)})


@staff_page(roles=DECIDERS)
@require_http_methods(["GET", "POST"])
def amendment_view(request, client_id, request_id):
    """One amendment request: accept (the amendment entry, an addendum on a named note,
    the people owed a notice), deny on an allowed ground in writing, or extend once;
    after the client's statement of disagreement, the rebuttal."""
    user, error = request.user, ""
    client_id, request_id = client_id[:64], request_id[:64]
    if request.method == "POST":
        step = request.POST.get("step", "")
        common = {"user": user, "client_id": client_id, "request_id": request_id}
        try:
            if step == "accept":
                amendments.amendment_request_accept(**common, amendment=request.POST.get("amendment", "")[:5000],
                                                    note_id=request.POST.get("note_id", "")[:64] or None,
                                                    notify_more=request.POST.get("notify_more", "")[:3000])
                messages.success(request, "Accepted: the record is amended and the notices owed are recorded.")
            elif step == "deny":
                amendments.amendment_request_deny(**common, ground=request.POST.get("ground", "")[:40],
                                                  explanation=request.POST.get("explanation", "")[:2500],
                                                  note_id=request.POST.get("note_id", "")[:64] or None)
                messages.success(request, "Denied in writing. The client may file a statement of disagreement.")
            elif step == "rebut":
                amendments.amendment_rebuttal_file(**common, text=request.POST.get("rebuttal", "")[:2500])
                messages.success(request, "Rebuttal recorded. The client sees it with their request, and it goes "
                                          "with later disclosures of the disputed information.")
            elif step == "decline_rebuttal":
                amendments.amendment_rebuttal_decline(**common)
                messages.success(request, "No rebuttal: the client's statement goes with the denial on its own.")
            elif step == "extend":
                amendments.amendment_request_extend(**common, reason=request.POST.get("reason", "")[:600])
                messages.success(request, "Extended. The client sees the reason and the new date.")
            else:
                raise NotFound()
            return redirect("privacy_amendments")
        except (NotFound, Forbidden):  # not theirs to decide: as for a request that does not exist
            raise NotFound() from None
        except ConfideError as exc:
            error = str(exc)
    try:
        found = amendments.amendment_request_get(user=user, client_id=client_id, request_id=request_id)
    except Forbidden:
        raise NotFound() from None
    return render(request, "web/privacy/amendment.html", {
        "request": found, "client_id": client_id, "error": error, "grounds": amendments.DENIAL_GROUNDS,
        "officer": user.role == "practice_admin"}, status=400 if error else 200)
