"""Signing in (password, and a one-time code for staff) and out."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from confide.services import sessions
from confide.services.practice.enrolment import enrolment_required
from confide.services.practice.setup import practice_setup_open


# One answer for every failure (wrong login, password or code, or a wait running), so
# none confirms a password.
SIGN_IN_FAILED = ("sign-in failed: check what you typed and try again; after several failures "
                  "each new try must wait a little longer")


@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.method == "GET" and practice_setup_open():
        return redirect("/setup/")  # an empty server: set up the practice first
    error = ""
    if request.method == "POST":
        user = sessions.session_sign_in(request=request, username=request.POST.get("username", "")[:150],
                                        password=request.POST.get("password", "")[:200],
                                        otp=request.POST.get("otp", "").strip()[:12],
                                        require_otp=settings.CONFIDE["REQUIRE_OTP"])
        if user is None:
            error = SIGN_IN_FAILED
        elif settings.CONFIDE["REQUIRE_OTP"] and enrolment_required(user):
            return redirect("enrol")  # no authenticator yet: enrol one first
        else:
            nxt = request.GET.get("next", "/")
            safe = url_has_allowed_host_and_scheme(nxt, allowed_hosts=None) and nxt.startswith("/")
            return redirect(nxt if safe else "/")
    return render(request, "web/accounts/login.html", {"error": error}, status=200 if not error else 401)


@require_http_methods(["POST"])
def logout_view(request):
    sessions.session_sign_out(request=request)
    return redirect(settings.LOGIN_URL)
