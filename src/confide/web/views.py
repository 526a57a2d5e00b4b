"""Clinician and staff pages. Each view calls services only."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token

from confide.core.errors import ConfideError, NotFound
from confide.services import break_glass, clients, reports

PORTAL_ROLES = ("client", "representative")


def not_found(request, exception=None):
    return render(request, "web/message.html", {"title": "Not found", "message": "not found"}, status=404)


def server_error(request):
    return HttpResponse("internal error", status=500, content_type="text/plain")


def staff_page(view):
    """Signed-in staff only; with OTP required, the session must be OTP-verified."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{settings.LOGIN_URL}?next={request.path}")
        if user.role in PORTAL_ROLES:
            return redirect("/portal/")
        if settings.CONFIDE["REQUIRE_OTP"] and not user.is_verified():
            logout(request)
            return redirect(settings.LOGIN_URL)
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            return not_found(request)
    return wrapped


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
    return render(request, "web/login.html", {"error": error}, status=200 if not error else 401)


@require_http_methods(["POST"])
def logout_view(request):
    logout(request)
    return redirect(settings.LOGIN_URL)


@staff_page
def home(request):
    query = request.GET.get("q", "").strip()
    error = ""
    rows = []
    if request.user.role == "practice_admin":
        return render(request, "web/admin_home.html",
                      {"queue": break_glass.break_glass_review_queue(user=request.user)})
    try:
        rows = clients.client_search(user=request.user, query=query) if query else clients.client_list(user=request.user)
    except ConfideError as exc:
        error = str(exc)
    return render(request, "web/home.html", {"rows": rows, "query": query, "error": error})


@staff_page
def chart(request, client_id):
    data = clients.chart_open(user=request.user, client_id=client_id)
    return render(request, "web/chart.html", {"chart": data})


@staff_page
@require_http_methods(["GET", "POST"])
def break_glass_view(request, client_id):
    error = ""
    if request.method == "POST":
        try:
            break_glass.break_glass_open(user=request.user, client_id=client_id,
                                         reason=request.POST.get("reason", ""))
            return redirect(f"/clients/{client_id}/")
        except NotFound:
            raise
        except ConfideError as exc:
            error = str(exc)
    return render(request, "web/break_glass.html", {"client_id": client_id, "error": error,
                                                    "minutes": settings.CONFIDE["BREAK_GLASS_MINUTES"]})


@staff_page
def access_report_view(request, client_id):
    entries = reports.access_report(user=request.user, client_id=client_id)
    return render(request, "web/access_report.html", {"entries": entries, "client_id": client_id})


@staff_page
@require_http_methods(["POST"])
def review_view(request, grant_id):
    try:
        break_glass.break_glass_review(user=request.user, grant_id=grant_id)
    except ConfideError:
        pass
    return redirect("/")
