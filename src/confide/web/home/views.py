"""Each role's home: a composition of widgets (confide.web.home.widgets)."""

from __future__ import annotations

from django.shortcuts import render

from confide.web.home.widgets import widgets_for
from confide.web.shell import staff_page

TITLES = {"clinician": "Today", "supervisor": "Today", "front_desk": "Today's appointments",
          "biller": "Billing", "practice_admin": "Practice"}


@staff_page
def home(request):
    parts = []
    for w in widgets_for(request.user.role):
        context = w.context(request)
        if context is not None:
            parts.append({"template": w.template, "context": context})
    return render(request, "web/home/home.html", {"parts": parts, "title": TITLES.get(request.user.role, "Home")})
