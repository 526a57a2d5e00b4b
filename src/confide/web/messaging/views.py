"""Messages and the front desk's script."""

from __future__ import annotations

from django.shortcuts import render

from confide.services.messages import front_desk_script
from confide.web.shell import staff_page


# Whoever answers the practice's phone: every staff role (the script names no one).
@staff_page(roles={"front_desk", "clinician", "supervisor", "biller", "practice_admin"})
def front_desk_view(request):
    """The script for a caller who asks whether someone is a client. It takes no name
    and looks nothing up: the page is the same whoever is asked about."""
    return render(request, "web/messaging/front_desk.html", front_desk_script())
