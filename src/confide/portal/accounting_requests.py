"""The client asks for a formal accounting of disclosures (45 CFR 164.528): the request
and its 60-day clock (and any extension, with the reason), and the written accounting
the privacy officer sends, to read or download."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from confide.core.errors import ConfideError, NotFound
from confide.portal.views import _portal_user
from confide.services import reports
from confide.services.disclosures import accounting_requests

YEARS = (6, 5, 4, 3, 2, 1)


def _not_found(request):
    return render(request, "web/message.html", {"title": "Not found", "message": "not found"}, status=404)


@require_http_methods(["GET", "POST"])
def portal_accounting_requests(request):
    user, away = _portal_user(request, "/portal/accounting/requests/")
    if away:
        return away
    if user.role != "client":  # a parent's portal is the guardian view and nothing else
        return _not_found(request)
    error, status = "", 200
    try:
        client_id = reports.my_client_id(user)
        if request.method == "POST":
            raw = request.POST.get("years", "6")[:2]
            try:
                years = int(raw)
            except ValueError:
                years = 0
            try:
                accounting_requests.accounting_request_create(user=user, client_id=client_id, years=years)
                return redirect("/portal/accounting/requests/?asked=1")
            except NotFound:
                raise
            except ConfideError as exc:
                error, status = str(exc), 400
        mine = accounting_requests.accounting_request_list(user=user, client_id=client_id)
    except NotFound:
        mine = None
    return render(request, "portal/accounting_requests.html", {
        "requests": mine, "years": YEARS, "error": error, "asked": request.GET.get("asked") == "1",
        "has_open": any(r["open"] for r in mine or [])}, status=status)


def portal_accounting_document(request, request_id):
    user, away = _portal_user(request, "/portal/accounting/requests/")
    if away:
        return away
    try:
        pdf = accounting_requests.accounting_document(user=user, client_id=reports.my_client_id(user),
                                                      request_id=request_id[:64])
    except (NotFound, ConfideError):
        return _not_found(request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="accounting-of-disclosures.pdf"'
    return response
