"""The chart, in tabs a clinician moves through (links: they work without script);
who opened it; and emergency access."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from confide.core.errors import ConfideError, NotFound
from confide.services import break_glass, charting, reports
from confide.services.practice_time import human_time
from confide.web.charting.forms import BreakGlassForm
from confide.web.shell import staff_page

# Each tab: its key (the URL's last part; "" for the overview), its label, and the
# chart sections it shows. A tab appears when the chart holds any of its sections.
TABS = (
    ("", "Overview", ("identity", "contact", "fact_of_treatment", "family_contacts", "billing",
                      "contact_preferences")),
    ("notes", "Notes", ("progress_notes", "psychotherapy_notes")),
    ("plan", "Plan and diagnoses", ("treatment_plan", "diagnosis", "medications")),
    ("assessments", "Assessments", ("assessments", "risk_assessment")),
    ("appointments", "Appointments", ("appointments", "attendance")),
)


def chart_tabs(chart: dict, client_id: str, current: str) -> list[dict]:
    out = []
    for key, label, sections in TABS:
        if key == "" or any(chart.get(s) for s in sections):
            url = f"/clients/{client_id}/" + (f"{key}/" if key else "")
            out.append({"key": key, "label": label, "url": url, "current": key == current})
    return out


@staff_page
def chart_view(request, client_id, tab: str = ""):
    data = charting.chart_open(user=request.user, client_id=client_id)
    template = f"web/charting/tab_{tab or 'overview'}.html"
    return render(request, template, {"chart": data, "tabs": chart_tabs(data, str(data["id"]), tab),
                                      "tab": tab})


@staff_page
@require_http_methods(["GET", "POST"])
def break_glass_view(request, client_id):
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            grant = break_glass.break_glass_open(user=request.user, client_id=client_id,
                                                 reason=form.cleaned_data["reason"])
            until = human_time(request.user.practice_id, datetime.fromisoformat(grant["expires_at"]))
            messages.success(request, f"Emergency access is open until {until}. The privacy officer will review it.")
            return redirect(f"/clients/{client_id}/")
        except NotFound:
            raise
        except ConfideError as exc:
            form.add_error("reason", str(exc))
    return render(request, "web/charting/break_glass.html",
                  {"client_id": client_id, "form": form, "minutes": settings.CONFIDE["BREAK_GLASS_MINUTES"]},
                  status=400 if form.errors else 200)


@staff_page
def access_report_view(request, client_id):
    entries = reports.access_report(user=request.user, client_id=client_id)
    return render(request, "web/charting/access_report.html", {"entries": entries, "client_id": client_id})
