"""What the portal's pages share: who may enter (a client, or a parent for the
guardian view only), the not-found page, and one-line errors."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.shortcuts import redirect, render

from confide.core.errors import ConfideError, NotFound
from confide.services.portal.common import own_client_id


def not_found(request):
    return render(request, "web/message.html", {"title": "Not found", "message": "not found"}, status=404)


def client_page(view):
    """A page for the client themself (never a parent: the parent sees the guardian
    view and nothing else). The view gets the client's id; a service's NotFound is the
    not-found page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{settings.LOGIN_URL}?next={request.path}")
        if user.role not in ("client", "representative"):
            return redirect("/")
        if user.role != "client":
            return not_found(request)
        try:
            return view(request, own_client_id(user), *args, **kwargs)
        except NotFound:
            return not_found(request)
    return wrapped


def one_line(exc: ConfideError) -> str:
    """The error as the person reads it: one line, capitalised."""
    text = str(exc).splitlines()[0] if str(exc) else "That could not be done."
    return text[:1].upper() + text[1:]
