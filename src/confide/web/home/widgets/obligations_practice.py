"""The administrator's count of what the practice owes clients: obligations to tell
them and record requests on their 30-day (or extended, 60-day) clock. Counts only."""

from __future__ import annotations

from confide.services.disclosures import obligations
from confide.web.home.widgets import widget


@widget(template="web/home/_obligations_practice.html", roles={"practice_admin"}, order=45)
def obligations_practice(request):
    return obligations.obligations_summary(user=request.user)
