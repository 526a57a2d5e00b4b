"""The clinician's notes to sign and the supervisor's co-signs waiting."""

from __future__ import annotations

from confide.services import charting
from confide.web.home.widgets import widget


@widget(template="web/home/_notes_to_sign.html", roles={"clinician", "supervisor"}, order=20)
def notes_to_sign(request):
    return {"notes": charting.notes_to_sign(user=request.user),
            "waiting": charting.awaiting_my_cosign(user=request.user)}


@widget(template="web/home/_cosigns.html", roles={"supervisor"}, order=25)
def cosigns(request):
    return {"notes": charting.cosign_queue(user=request.user)}
