"""The biller's work: this week's queue, and the payer agreements on record."""

from __future__ import annotations

from confide.services.billing import queue
from confide.services.disclosures import insurers
from confide.services.practice_time import local_today
from confide.web.home.widgets import widget


@widget(template="web/home/_payer_agreements.html", roles={"biller"}, order=20)
def payer_agreements(request):
    return {"agreements": insurers.payer_agreement_list(user=request.user)}


@widget(template="web/home/_billing_week.html", roles={"biller"}, order=10)
def billing_week(request):
    """This week's billing at a glance: sessions waiting for a charge, services kept
    from the plan, charges not yet on a claim."""
    start, end = queue.today_week(request.user)
    out = queue.work_queue(user=request.user, start=start, end=min(end, local_today(request.user.practice_id)))
    return {"to_charge": len(out["unbilled"]), "kept": len(out["restricted"]),
            "unclaimed": sum(1 for c in out["charges"] if not c["claimed"]), "first_day": out["first_day"]}
