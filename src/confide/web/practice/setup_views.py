"""The first visit to an empty server: create the practice and its administrator,
who then enrols a second factor before anything else."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from confide.core.errors import InvalidInput
from confide.services import sessions
from confide.services.practice import setup
from confide.web.practice.forms import PracticeSetupForm

ENROL_URL = "/enrol/"


@require_http_methods(["GET", "POST"])
def setup_view(request):
    if not setup.practice_setup_open():
        return redirect("login")  # a practice exists: setup is over, sign in instead
    form = PracticeSetupForm(request.POST if request.method == "POST" else None)
    errors = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            created = setup.practice_create(
                name=data["name"], sender_name=data["sender_name"], time_zone=data["time_zone"],
                state=data["state"], admin_username=data["admin_username"], admin_full_name=data["admin_full_name"],
                admin_email=data["admin_email"], admin_password=data["admin_password"], first_visit=True)
        except InvalidInput as exc:
            errors = [{"field": "", "message": str(exc)}]
        else:
            sessions.session_start(request=request, user=created.admin, enrolment=True)
            return redirect(ENROL_URL)
    status = 400 if (form.is_bound and (form.errors or errors)) else 200
    return render(request, "web/practice/setup.html", {"form": form, "errors": errors}, status=status)
