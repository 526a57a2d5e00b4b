"""Messages and the front desk's script."""

from __future__ import annotations

from django.contrib import messages as flash
from django.shortcuts import redirect, render

from confide.core.errors import InvalidInput, NotFound
from confide.services.messages import front_desk_script
from confide.services.portal import correspondence
from confide.web.shell import staff_page

WRITERS = {"clinician", "supervisor"}


# Whoever answers the practice's phone: every staff role (the script names no one).
@staff_page(roles={"front_desk", "clinician", "supervisor", "biller", "practice_admin"})
def front_desk_view(request):
    """The script for a caller who asks whether someone is a client. It takes no name
    and looks nothing up: the page is the same whoever is asked about."""
    return render(request, "web/messaging/front_desk.html", front_desk_script())


@staff_page(roles=WRITERS)
def threads_view(request):
    """The clinician's secure-message threads with clients, newest first."""
    return render(request, "web/messaging/threads.html", {"threads": correspondence.threads_mine(user=request.user)})


@staff_page
def thread_view(request, client_id):
    """One client's secure messages, and the reply box for a clinician on the care team
    whom the PDP lets write to the client; a supervisor reading a supervisee's client's
    thread is told in words that the treating clinician replies. Whoever the PDP does not
    let read them gets the not-found page."""
    error, text = None, ""
    if request.method == "POST":
        if request.user.role not in WRITERS:
            raise NotFound()
        text = request.POST.get("text", "")
        try:
            out = correspondence.message_send(user=request.user, client_id=client_id, text=text)
        except InvalidInput as exc:
            error = str(exc)
        else:
            notice = out["notice"] or {}
            if notice.get("status") == "sent":
                flash.success(request, f"Sent. The client was told by {notice['channel']} that a message is waiting "
                                       "(nothing more).")
            else:
                flash.success(request, "Sent. The client was not told: " + (notice.get("reason") or "no channel")
                              .removeprefix("refused: ") + "; they will see it when they sign in.")
            return redirect(f"/clients/{client_id}/messages/")
    thread = correspondence.thread(user=request.user, client_id=client_id)
    return render(request, "web/messaging/thread.html", {"thread": thread, "error": error, "text": text,
                                                         "may_write": thread["may_reply"]},
                  status=400 if error else 200)
