"""The practice administrator's (privacy officer's) pages: the break-glass review queue."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from confide.core.errors import ConfideError
from confide.services import break_glass
from confide.web.shell import staff_page

ADMIN = frozenset({"practice_admin"})


@staff_page(roles=ADMIN)
def review_queue_view(request):
    return render(request, "web/practice/review.html",
                  {"queue": break_glass.break_glass_review_queue(user=request.user)})


@staff_page(roles=ADMIN)
@require_http_methods(["POST"])
def review_view(request, grant_id):
    try:
        break_glass.break_glass_review(user=request.user, grant_id=grant_id)
        messages.success(request, "Marked as reviewed.")
    except ConfideError as exc:
        messages.error(request, str(exc))
    return redirect("review")
