"""Today's sessions: a clinician's own; the front desk's across clinicians."""

from __future__ import annotations

from confide.services import scheduling
from confide.services.practice_time import local_today
from confide.web.home.widgets import widget


@widget(template="web/home/_today_sessions.html", roles={"clinician", "supervisor"}, order=10)
def today_sessions(request):
    day = local_today(request.user.practice_id)
    return {"day": day, "sessions": scheduling.appointments_day(user=request.user, day=day)}


@widget(template="web/home/_front_desk_day.html", roles={"front_desk"}, order=10)
def front_desk_day(request):
    day = local_today(request.user.practice_id)
    by_clinician: dict[str, list] = {}
    for session in scheduling.appointments_day(user=request.user, day=day):
        by_clinician.setdefault(session["clinician"], []).append(session)
    return {"day": day, "clinicians": sorted(by_clinician.items())}
