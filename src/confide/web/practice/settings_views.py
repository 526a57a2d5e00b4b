"""The settings hub: the practice's details (its neutral sender and call-back number
can be changed here), links to rooms and appointment types where those pages exist,
the note templates, and the rules and promises in force, read-only."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from confide.core.errors import ConfideError
from confide.services import messages as messaging
from confide.services.practice import settings_hub
from confide.web.shell import staff_page

ADMIN = frozenset({"practice_admin"})
# Pages other parts of the workspace build; linked once their url exists.
ELSEWHERE = (("Rooms", "rooms"), ("Appointment types", "appointment_types"), ("Note templates", "note_templates"))


def _links() -> list[dict]:
    out = []
    for label, name in ELSEWHERE:
        try:
            out.append({"label": label, "url": reverse(name)})
        except NoReverseMatch:
            out.append({"label": label, "url": None})
    return out


@staff_page(roles=ADMIN)
@require_http_methods(["GET", "POST"])
def settings_view(request):
    errors = []
    if request.method == "POST":
        try:
            messaging.practice_messaging_set(user=request.user,
                                             sender_name=request.POST.get("sender_name", "")[:200],
                                             callback_phone=request.POST.get("callback_phone", "")[:200])
        except ConfideError as exc:
            errors = [{"field": "id_sender_name", "message": str(exc)}]
        else:
            messages.success(request, "How messages are signed was saved.")
            return redirect("settings")
    context = {**settings_hub.settings_overview(user=request.user), "links": _links(), "errors": errors}
    return render(request, "web/practice/settings.html", context, status=400 if errors else 200)
