"""What is owed and due: obligations to tell clients, record requests on the clock."""

from __future__ import annotations

from confide.services.disclosures import obligations, record_requests
from confide.web.home.widgets import widget


@widget(template="web/home/_obligations_due.html", roles={"clinician", "supervisor"}, order=40)
def obligations_due(request):
    owed = obligations.obligations_open(user=request.user)
    requests = record_requests.record_requests_open(user=request.user)
    return {"owed": owed[:5], "owed_count": len(owed), "overdue_count": sum(o["overdue"] for o in owed),
            "requests": requests[:5], "requests_count": len(requests)}
