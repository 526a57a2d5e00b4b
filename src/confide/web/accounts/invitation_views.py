"""Accepting an invitation (or a password reset): choose a password from the link.
Staff then set up their second factor; a portal login is offered one, optional."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from confide.core.errors import InvalidInput
from confide.services import sessions
from confide.services.practice import invitations


@require_http_methods(["GET", "POST"])
def invitation_view(request, token):
    info = invitations.invitation_check(token)
    if info is None:
        return render(request, "web/message.html", {
            "title": "This link no longer works",
            "message": "This link has expired or was already used. Ask whoever invited you for a new one."},
            status=404)
    error = ""
    if request.method == "POST":
        try:
            account = invitations.invitation_accept(token=token, password=request.POST.get("password", "")[:200],
                                                    password_again=request.POST.get("password_again", "")[:200])
        except InvalidInput as exc:
            error = str(exc)
        else:
            sessions.session_start(request=request, user=account, enrolment=account.is_staff_member)
            # Staff must enrol a second factor; a portal login is offered one (optional).
            return redirect("/enrol/" if account.is_staff_member else "/portal/sign-in/on/?first=1")
    return render(request, "web/accounts/invitation.html", {"info": info, "error": error},
                  status=400 if error else 200)
