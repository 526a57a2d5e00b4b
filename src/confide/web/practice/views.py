"""The practice administrator's (privacy officer's) pages: the break-glass review queue,
and each grant's review (the stated reason, the records touched, the finding)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from confide.core.errors import ConfideError, NotFound
from confide.services import break_glass
from confide.web.shell import staff_page

ADMIN = frozenset({"practice_admin"})


@staff_page(roles=ADMIN)
def review_queue_view(request):
    return render(request, "web/practice/review.html",
                  {"queue": break_glass.break_glass_review_queue(user=request.user)})


@staff_page(roles=ADMIN)
@require_http_methods(["GET", "POST"])
def review_view(request, grant_id):
    """One emergency access: who, when, the reason they gave, what they opened; POST
    records the finding (appropriate, or inappropriate with a note)."""
    error = ""
    if request.method == "POST":
        try:
            break_glass.break_glass_review(user=request.user, grant_id=grant_id[:64],
                                           finding=request.POST.get("finding", ""),
                                           note=request.POST.get("note", "")[:1200])
            messages.success(request, "Finding recorded.")
            return redirect("review")
        except NotFound:
            raise
        except ConfideError as exc:
            error = str(exc)
    grant = break_glass.break_glass_grant_detail(user=request.user, grant_id=grant_id[:64])
    return render(request, "web/practice/review_grant.html",
                  {"grant": grant, "findings": break_glass.FINDINGS, "error": error},
                  status=400 if error else 200)
