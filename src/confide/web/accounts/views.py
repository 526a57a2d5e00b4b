"""Signing in (password, and a one-time code for staff) and out."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token

from confide.web.shell import PORTAL_ROLES


@require_http_methods(["GET", "POST"])
def login_view(request):
    error = ""
    if request.method == "POST":
        username = request.POST.get("username", "")[:150]
        password = request.POST.get("password", "")[:200]
        user = authenticate(request, username=username, password=password)
        if user is None:
            error = "sign-in failed"
        elif user.role not in PORTAL_ROLES and settings.CONFIDE["REQUIRE_OTP"]:
            device = match_token(user, request.POST.get("otp", "").strip()[:12])
            if device is None:
                error = "sign-in failed"
            else:
                login(request, user)
                otp_login(request, device)
        else:
            login(request, user)
        if not error:
            nxt = request.GET.get("next", "/")
            safe = url_has_allowed_host_and_scheme(nxt, allowed_hosts=None) and nxt.startswith("/")
            return redirect(nxt if safe else "/")
    return render(request, "web/accounts/login.html", {"error": error}, status=200 if not error else 401)


@require_http_methods(["POST"])
def logout_view(request):
    logout(request)
    return redirect(settings.LOGIN_URL)
