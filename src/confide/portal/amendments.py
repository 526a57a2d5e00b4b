"""The client asks to amend their record (45 CFR 164.526): what to change, why, which
record, whom to tell; sees each request's status, due date (and any extension, with
the reason) and the decision in writing; and after a denial files a statement of
disagreement, which is kept with the record."""

from __future__ import annotations

from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from confide.core.errors import ConfideError, NotFound
from confide.portal.views import _portal_user
from confide.services import reports
from confide.services.disclosures import amendments

PAGE = "/portal/amendments/"


def _not_found(request):
    return render(request, "web/message.html", {"title": "Not found", "message": "not found"}, status=404)


def _page(request, *, user, client_id, error="", status=200, form=None):
    mine = None
    if client_id is not None:
        try:
            mine = amendments.amendment_request_list(user=user, client_id=client_id)
        except NotFound:
            mine = None
    return render(request, "portal/amendments.html", {
        "requests": mine, "error": error, "form": form or {}, "grounds": amendments.DENIAL_GROUNDS,
        "asked": request.GET.get("asked") == "1", "filed": request.GET.get("filed") == "1",
        "included": request.GET.get("included") == "1"}, status=status)


@require_http_methods(["GET", "POST"])
def portal_amendments(request):
    user, away = _portal_user(request, PAGE)
    if away:
        return away
    if user.role != "client":  # a parent's portal is the guardian view and nothing else
        return _not_found(request)
    try:
        client_id = reports.my_client_id(user)
    except NotFound:
        return _page(request, user=user, client_id=None)
    if request.method == "POST":
        form = {k: request.POST.get(k, "")[:5000] for k in ("change", "reason", "record", "notify")}
        try:
            amendments.amendment_request_create(user=user, client_id=client_id, change=form["change"],
                                                reason=form["reason"], record=form["record"],
                                                notify=form["notify"])
            return redirect(PAGE + "?asked=1")
        except NotFound:
            return _not_found(request)
        except ConfideError as exc:
            return _page(request, user=user, client_id=client_id, error=str(exc), status=400, form=form)
    return _page(request, user=user, client_id=client_id)


@require_http_methods(["GET", "POST"])
def portal_amendment_disagree(request, request_id):
    user, away = _portal_user(request, PAGE)
    if away:
        return away
    if user.role != "client":
        return _not_found(request)
    if request.method == "GET":  # the form is on the page of requests
        return HttpResponseNotAllowed(["POST"])
    try:
        client_id = reports.my_client_id(user)
        amendments.amendment_disagreement_file(user=user, client_id=client_id, request_id=request_id[:64],
                                               statement=request.POST.get("statement", "")[:5000])
        return redirect(PAGE + "?filed=1")
    except NotFound:
        return _not_found(request)
    except ConfideError as exc:
        return _page(request, user=user, client_id=client_id, error=str(exc), status=400)


@require_http_methods(["GET", "POST"])
def portal_amendment_include(request, request_id):
    """Without a statement of disagreement, the client asks that their request and the
    denial go with later disclosures (45 CFR 164.526(d)(5)(ii))."""
    user, away = _portal_user(request, PAGE)
    if away:
        return away
    if user.role != "client":
        return _not_found(request)
    if request.method == "GET":  # the button is on the page of requests
        return HttpResponseNotAllowed(["POST"])
    try:
        client_id = reports.my_client_id(user)
        amendments.amendment_include_with_disclosures(user=user, client_id=client_id, request_id=request_id[:64])
        return redirect(PAGE + "?included=1")
    except NotFound:
        return _not_found(request)
    except ConfideError as exc:
        return _page(request, user=user, client_id=client_id, error=str(exc), status=400)
