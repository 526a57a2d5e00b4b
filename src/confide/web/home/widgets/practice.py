"""The practice administrator's home: the review queue and the staff."""

from __future__ import annotations

from confide.services import break_glass, staff
from confide.web.home.widgets import widget


@widget(template="web/home/_review_queue.html", roles={"practice_admin"}, order=10)
def review_queue(request):
    return {"queue": break_glass.break_glass_review_queue(user=request.user)}


@widget(template="web/home/_staff.html", roles={"practice_admin"}, order=30)
def staff_members(request):
    return {"members": staff.staff_list(user=request.user)}
