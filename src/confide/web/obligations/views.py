"""What is owed: obligations to tell clients, and record requests on their clock."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from confide.core.errors import ConfideError, NotFound
from confide.services.disclosures import obligations, record_requests
from confide.web.shell import staff_page

# Obligations to tell clients and record requests name clients and what left about
# them: the people who act on them, the clinicians and supervisors. The privacy officer
# (the practice admin) sees only the notices owed of the amendments they accepted, by
# the client's reference. The biller and the front desk see the not-found page.
OBLIGATION_ROLES = frozenset({"clinician", "supervisor", "practice_admin"})


@staff_page(roles=OBLIGATION_ROLES)
@require_http_methods(["GET", "POST"])
def obligations_view(request):
    """What is open and overdue: obligations to tell clients, and record requests on
    the 30-day clock, for the clients this user may list. POST closes an obligation."""
    error = ""
    if request.method == "POST":
        try:
            obligations.obligation_close(user=request.user, client_id=request.POST.get("client_id", "")[:64],
                                         obligation_id=request.POST.get("obligation_id", "")[:64],
                                         status=request.POST.get("status", ""),
                                         detail=request.POST.get("detail", "")[:600])
            return redirect("/obligations/")
        except NotFound:
            raise
        except ConfideError as exc:
            error = str(exc)
    officer = request.user.role == "practice_admin"
    return render(request, "web/obligations/obligations.html", {
        "obligations": obligations.obligations_open(user=request.user), "officer": officer,
        "requests": [] if officer else record_requests.record_requests_open(user=request.user), "error": error},
        status=400 if error else 200)
