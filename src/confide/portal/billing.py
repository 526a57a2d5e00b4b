"""The client's bills in the portal: their services with fees and what was paid, and
the superbill (PDF) to send to their plan themselves. Read through the door as the
client's own record (US-HIPAA-ACCESS-SELF); a parent's login sees none of it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from confide.core.errors import ConfideError, NotFound
from confide.services import reports
from confide.services.billing import superbill


def _client(request, next_url: str):
    user = request.user
    if not user.is_authenticated:
        return None, redirect(f"{settings.LOGIN_URL}?next={next_url}")
    if user.role not in ("client", "representative"):
        return None, redirect("/")
    if user.role != "client":
        # a parent's or guardian's login has no bills here: the page does not exist for them
        return None, render(request, "web/message.html", {"title": "Not found", "message": "not found"}, status=404)
    return user, None


@require_http_methods(["GET"])
def portal_billing(request):
    user, away = _client(request, "/portal/billing/")
    if away:
        return away
    try:
        bill = superbill.superbill(user=user, client_id=reports.my_client_id(user))
    except NotFound:
        bill = None
    return render(request, "portal/billing.html", {"bill": bill, "error": request.GET.get("error", "")[:200]})


@require_http_methods(["GET"])
def portal_superbill(request):
    user, away = _client(request, "/portal/billing/")
    if away:
        return away
    try:
        pdf = superbill.superbill_pdf(user=user, client_id=reports.my_client_id(user),
                                      first=request.GET.get("from") or None, last=request.GET.get("to") or None)
    except NotFound:
        return render(request, "portal/billing.html", {"bill": None}, status=404)
    except ConfideError:
        return redirect("/portal/billing/?error=period")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="superbill.pdf"'
    return response
