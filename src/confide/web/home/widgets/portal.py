"""What clients did in the portal that waits for staff: forms to review (a flagged
answer first), secure messages unread, appointment requests to book or decline."""

from __future__ import annotations

from confide.services.portal import correspondence, forms, requests
from confide.web.home.widgets import widget


@widget(template="web/home/_portal_forms.html", roles={"clinician", "supervisor"}, order=15)
def forms_to_review(request):
    waiting = forms.forms_to_review(user=request.user)
    return {"forms": waiting[:5], "count": len(waiting), "flagged": sum(1 for f in waiting if f["flag"])}


@widget(template="web/home/_portal_messages.html", roles={"clinician", "supervisor"}, order=16)
def messages_waiting(request):
    threads = [t for t in correspondence.threads_mine(user=request.user) if t["unread"]]
    return {"threads": threads[:5], "count": sum(t["unread"] for t in threads)}


@widget(template="web/home/_appointment_requests.html", roles={"front_desk", "clinician", "supervisor"}, order=17)
def appointment_requests(request):
    waiting = requests.appointment_requests_open(user=request.user)
    return {"requests": waiting[:5], "count": len(waiting)}
