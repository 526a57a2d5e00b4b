"""The portal login's sign-in page: its optional second factor (an authenticator
app), offered right after the invitation is accepted, turned on by scanning a code and
giving a current one, turned off only with a current code. A client and a parent's
login alike choose their own."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from confide.core.errors import InvalidInput
from confide.portal.pages import one_line
from confide.portal.views import _portal_user
from confide.services import sessions
from confide.services.portal import second_factor

PAGE = "/portal/sign-in/"
HOME = "/portal/"


@require_http_methods(["GET"])
def sign_in_page(request):
    user, away = _portal_user(request, PAGE)
    if away:
        return away
    status = second_factor.portal_factor_status(user=user)
    return render(request, "portal/sign_in.html", {"status": status, "error": "", "home": HOME})


@require_http_methods(["GET", "POST"])
def factor_on_page(request):
    """Scan, then confirm with a current code. `?first=1`: just after the invitation,
    with a way to skip."""
    user, away = _portal_user(request, PAGE + "on/")
    if away:
        return away
    first = request.GET.get("first") == "1"
    if second_factor.portal_factor_status(user=user).on:
        return redirect(HOME if first else PAGE)
    error = ""
    if request.method == "POST":
        try:
            device = second_factor.portal_factor_confirm(user=user, code=request.POST.get("code", "")[:20])
        except InvalidInput as exc:
            error = one_line(exc)
        else:
            sessions.session_second_factor(request=request, device=device)
            flash.success(request, "Your second factor is on: each time you sign in, give the code your app shows.")
            return redirect(HOME if first else PAGE)
    pending = second_factor.portal_factor_start(user=user)
    return render(request, "portal/sign_in_on.html", {"enrolment": pending, "error": error, "first": first,
                                                      "home": HOME}, status=400 if error else 200)


def factor_off_page(request):
    user, away = _portal_user(request, PAGE)
    if away:
        return away
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        second_factor.portal_factor_off(user=user, code=request.POST.get("code", "")[:20])
    except InvalidInput as exc:
        status = second_factor.portal_factor_status(user=user)
        return render(request, "portal/sign_in.html", {"status": status, "error": one_line(exc),
                                                       "home": HOME}, status=400)
    flash.success(request, "Your second factor is off: you sign in with your password alone.")
    return redirect(PAGE)
