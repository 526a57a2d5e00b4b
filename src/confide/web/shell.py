"""What every staff page shares: the guard that lets only signed-in, second-factor
verified staff in, and the not-found and server-error pages."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django_otp import user_has_device

from confide.core.errors import NotFound

PORTAL_ROLES = ("client", "representative")


def not_found(request, exception=None):
    return render(request, "web/message.html", {"title": "Not found", "message": "not found"}, status=404)


def server_error(request):
    return HttpResponse("internal error", status=500, content_type="text/plain")


def staff_page(view=None, *, roles=None):
    """Signed-in staff only; with OTP required, the session must be OTP-verified.
    `roles` narrows a page to some staff roles; anyone else gets the not-found page,
    as for a page that does not exist.

        @staff_page
        def chart(request, client_id): ...

        @staff_page(roles={"practice_admin"})
        def review(request): ...
    """
    if view is None:
        return lambda v: staff_page(v, roles=roles)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{settings.LOGIN_URL}?next={request.path}")
        if user.role in PORTAL_ROLES:
            return redirect("/portal/")
        if settings.CONFIDE["REQUIRE_OTP"] and not user.is_verified():
            if not user_has_device(user, confirmed=True):
                return redirect("enrol")  # a second factor before anything else
            logout(request)
            return redirect(settings.LOGIN_URL)
        if roles is not None and user.role not in roles:
            return not_found(request)
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            return not_found(request)
    wrapped.staff_roles = frozenset(roles) if roles is not None else None
    return wrapped
