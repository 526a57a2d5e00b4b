"""The privacy officer's home: requests on their clocks and the audit log's last check."""

from __future__ import annotations

from confide.services.audit import last_verification
from confide.services.disclosures import accounting_requests
from confide.web.home.widgets import widget


@widget(template="web/home/_privacy_clocks.html", roles={"practice_admin"}, order=5)
def privacy_clocks(request):
    rows = [r for r in accounting_requests.accounting_requests_open(user=request.user) if r["open"]]
    return {"open": len(rows), "overdue": sum(1 for r in rows if r["overdue"]),
            "next_due": min((r["due_on"] for r in rows), default=None)}


@widget(template="web/home/_audit_verify.html", roles={"practice_admin"}, order=20)
def audit_verify_status(request):
    return {"last": last_verification(practice_id=request.user.practice_id)}
