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
from confide.services.disclosures import consultation, obligations, record_requests
from confide.services.messages import front_desk_script

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
@require_http_methods(["GET", "POST"])
def consultation_view(request, client_id):
    """Choose progress notes of a case and how to disguise them; POST makes a draft
    for review (nothing leaves here)."""
    error = ""
    form = {"note_ids": [], "mode": "surrogates", "keep_first_name": True, "purpose": "HOPERAT"}
    if request.method == "POST":
        form = {"note_ids": [n[:64] for n in request.POST.getlist("note_ids")[:consultation.MAX_NOTES + 1]],
                "mode": request.POST.get("mode", "")[:20],
                "keep_first_name": request.POST.get("keep_first_name") == "on",
                "purpose": request.POST.get("purpose", "")[:20]}
        try:
            draft = consultation.consultation_draft(user=request.user, client_id=client_id, **form)
            return redirect(f"/clients/{client_id}/consultation/{draft['id']}/")
        except NotFound:
            raise
        except ConfideError as exc:
            error = str(exc)
    overview = consultation.consultation_overview(user=request.user, client_id=client_id)
    return render(request, "web/consultation.html", {"client_id": client_id, **overview, "form": form,
                                                     "error": error}, status=400 if error else 200)


def _highlighted(note: dict) -> list[dict]:
    """The disguised text as pieces, each replacement marked with its type."""
    text, pieces, at = note["text"], [], 0
    for span in note["spans"]:
        if span["start"] > at:
            pieces.append({"text": text[at:span["start"]], "type": None})
        pieces.append({"text": text[span["start"]:span["end"]], "type": span["type"],
                       "source": span["source"]})
        at = span["end"]
    if at < len(text):
        pieces.append({"text": text[at:], "type": None})
    return pieces


@staff_page
@require_http_methods(["GET", "POST"])
def consultation_review_view(request, client_id, draft_id):
    """The draft for review: the disguised notes with every replacement highlighted by
    type, and the Release button. Only the button's POST sends anything."""
    error, status = "", 200
    if request.method == "POST":
        try:
            consultation.consultation_release(
                user=request.user, client_id=client_id, draft_id=draft_id,
                recipient={"name": request.POST.get("recipient_name", "")[:201], "kind": "consultant",
                           "address": request.POST.get("recipient_address", "")[:401]},
                reviewed=request.POST.get("reviewed") == "on")
            return redirect(f"/clients/{client_id}/consultation/{draft_id}/")
        except NotFound:
            raise
        except ConfideError as exc:
            error, status = str(exc), exc.status
    download = request.GET.get("download")
    if request.method == "GET" and download in ("pdf", "text"):
        document = consultation.consultation_packet(user=request.user, client_id=client_id, draft_id=draft_id,
                                                    fmt=download)
        if download == "pdf":
            response = HttpResponse(document, content_type="application/pdf")
            response["Content-Disposition"] = 'attachment; filename="consultation.pdf"'
        else:
            response = HttpResponse(document, content_type="text/plain; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="consultation.txt"'
        return response
    draft = consultation.consultation_get(user=request.user, client_id=client_id, draft_id=draft_id)
    notes = [{**note, "pieces": _highlighted(note)} for note in draft["notes"]]
    return render(request, "web/consultation_review.html",
                  {"client_id": client_id, "draft": draft, "notes": notes, "error": error,
                   "types": sorted(draft["replacements"])}, status=status)


@staff_page
@require_http_methods(["POST"])
def review_view(request, grant_id):
    try:
        break_glass.break_glass_review(user=request.user, grant_id=grant_id)
    except ConfideError:
        pass
    return redirect("/")


@staff_page
def front_desk_view(request):
    """The script for a caller who asks whether someone is a client. It takes no name
    and looks nothing up: the page is the same whoever is asked about."""
    return render(request, "web/front_desk.html", front_desk_script())


@require_http_methods(["GET", "POST"])
def obligations_view(request):
    """What is open and overdue: obligations to tell clients, and record requests on
    the 30-day clock, for the clients this user may list. POST closes an obligation."""
    error = ""
    if request.method == "POST":
        try:
            obligations.obligation_close(user=request.user, client_id=request.POST.get("client_id", "")[:64],
                                         obligation_id=request.POST.get("obligation_id", "")[:64],
                                         status=request.POST.get("status", ""),
                                         detail=request.POST.get("detail", "")[:600])
            return redirect("/obligations/")
        except NotFound:
            raise
        except ConfideError as exc:
            error = str(exc)
    return render(request, "web/obligations.html", {
        "obligations": obligations.obligations_open(user=request.user),
        "requests": record_requests.record_requests_open(user=request.user), "error": error},
        status=400 if error else 200)
