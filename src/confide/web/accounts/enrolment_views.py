"""Enrolling the second factor: the first thing a new staff member does."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from confide.core.errors import InvalidInput
from confide.services import sessions
from confide.services.practice import enrolment


@require_http_methods(["GET", "POST"])
def enrol_view(request):
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if not enrolment.enrolment_required(user):
        return redirect("/portal/" if user.role in enrolment.PORTAL_ROLES else "/")
    error = ""
    if request.method == "POST":
        try:
            device = enrolment.enrolment_confirm(user=user, code=request.POST.get("code", "")[:20])
        except InvalidInput as exc:
            error = str(exc)
        else:
            sessions.session_second_factor(request=request, device=device)
            return redirect("/")
    pending = enrolment.enrolment_start(user=user)
    return render(request, "web/accounts/enrol.html", {"enrolment": pending, "error": error},
                  status=400 if error else 200)
