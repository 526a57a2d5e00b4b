"""The client's own pages: their record (without psychotherapy notes) and who opened it."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect, render

from confide.core.errors import NotFound
from confide.services import clients, reports


def portal_home(request):
    user = request.user
    if not user.is_authenticated:
        return redirect(f"{settings.LOGIN_URL}?next=/portal/")
    if user.role not in ("client", "representative"):
        return redirect("/")
    try:
        client_id = reports.my_client_id(user)
        chart = clients.chart_open(user=user, client_id=client_id)
        entries = reports.access_report(user=user, client_id=client_id)
    except NotFound:
        return render(request, "portal/home.html", {"chart": None, "entries": []})
    return render(request, "portal/home.html", {"chart": chart, "entries": entries})
