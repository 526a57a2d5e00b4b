"""Billing pages: the work queue (sessions to charge, charges, services kept from the
plan, claims built), a client's billing with the claim builder and the superbill, a
claim with its 837P and PDF, and the practice's billing settings.

Who enters: the biller (every client of the practice, INT-BILLER) and the clinicians
(their own clients: the PDP decides per client); the practice admin keeps the settings
only; the front desk none (the not-found page, as for a page that does not exist)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from confide.core.errors import ConfideError, NotFound
from confide.services.billing import claims, queue, settings, superbill
from confide.services.practice_time import local_today
from confide.web.shell import staff_page

QUEUE_ROLES = frozenset({"biller", "clinician", "supervisor"})
SETTINGS_ROLES = frozenset({"biller", "practice_admin"})


def _download(content: bytes, media: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=media)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_page(roles=QUEUE_ROLES)
@require_http_methods(["GET", "POST"])
def queue_view(request):
    """The work queue for a day or a week (this week by default). POST records the
    charges of the sessions ticked, each with its code, fee, units and place."""
    today = local_today(request.user.practice_id)
    start, end = queue.week_of(today)
    first = queue.parse_day(request.GET.get("from"), start)
    last = queue.parse_day(request.GET.get("to"), min(end, today))
    if request.method == "POST":
        picked = request.POST.getlist("pick")[:queue.MAX_BULK]
        items = [{"appointment_id": a[:40], "cpt": request.POST.get(f"cpt_{a}", "")[:10],
                  "fee": request.POST.get(f"fee_{a}", "")[:12], "units": request.POST.get(f"units_{a}", "1")[:3],
                  "place_of_service": request.POST.get(f"pos_{a}", "")[:2],
                  "paid_in_full": request.POST.get(f"restrict_{a}") == "on",
                  "restrict_payer": request.POST.get(f"restrict_{a}") == "on"} for a in picked]
        try:
            out = queue.charges_record(user=request.user, items=items)
            if out["recorded"]:
                messages.success(request, f"{len(out['recorded'])} charge{'s' if len(out['recorded']) != 1 else ''} "
                                          "recorded.")
            for refused in out["refused"]:
                messages.error(request, f"Not recorded: {refused['error']}")
        except ConfideError as exc:
            messages.error(request, str(exc))
        return redirect(f"/billing/?from={request.POST.get('from', '')[:10]}&to={request.POST.get('to', '')[:10]}")
    error = ""
    try:
        data = queue.work_queue(user=request.user, start=first, end=last)
    except ConfideError as exc:
        error = str(exc)
        data = queue.work_queue(user=request.user, start=start, end=min(end, today))
    prev_start = queue.parse_day(data["first"], start) - timedelta(days=7)
    return render(request, "web/billing/queue.html", {
        **data, "errors": [{"field": "from", "message": error}] if error else [], "places": settings.PLACES_OF_SERVICE,
        "today": today.isoformat(), "this_week": (start.isoformat(), min(end, today).isoformat()),
        "last_week": (prev_start.isoformat(), (prev_start + timedelta(days=6)).isoformat()),
        "can_settings": request.user.role in SETTINGS_ROLES}, status=400 if error else 200)


@staff_page(roles=SETTINGS_ROLES)
@require_http_methods(["GET", "POST"])
def settings_view(request):
    """The practice's billing identity, fee schedule, service codes and provider NPIs."""
    user, errors = request.user, []
    if request.method == "POST":
        form = request.POST.get("form", "")
        try:
            if form == "practice":
                settings.practice_billing_set(
                    user=user, npi=request.POST.get("npi", "")[:20], tax_id=request.POST.get("tax_id", "")[:20],
                    taxonomy=request.POST.get("taxonomy", "")[:20], phone=request.POST.get("phone", "")[:30],
                    contact=request.POST.get("contact", "")[:80], submitter_id=request.POST.get("submitter_id", "")[:20],
                    address={k: request.POST.get(k, "")[:80] for k in ("line", "city", "state", "zip")})
                messages.success(request, "The practice's billing details are saved.")
            elif form == "fees":
                codes = request.POST.getlist("fee_cpt")[:60]
                fees = request.POST.getlist("fee_amount")[:60]
                schedule = {c.strip(): f for c, f in zip(codes, fees) if c.strip()}
                settings.fee_schedule_set(user=user, fees=schedule)
                messages.success(request, "The fee schedule is saved.")
            elif form == "codes":
                settings.service_codes_set(user=user, codes={k[5:]: v[:10] for k, v in request.POST.items()
                                                             if k.startswith("type_")})
                messages.success(request, "The procedure codes of the appointment types are saved.")
            elif form == "provider":
                settings.provider_ids_set(user=user, provider_id=request.POST.get("provider_id", "")[:12],
                                          npi=request.POST.get("provider_npi", "")[:20],
                                          taxonomy=request.POST.get("provider_taxonomy", "")[:20])
                messages.success(request, "The provider's numbers are saved.")
            else:
                raise NotFound()
            return redirect("/billing/settings/")
        except ConfideError as exc:
            errors.append({"field": "", "message": str(exc)})
    data = settings.billing_settings(user=user)
    return render(request, "web/billing/settings.html", {**data, "errors": errors, "known": settings.KNOWN_CPT,
                                                         "blank_fees": range(3)},
                  status=400 if errors else 200)


@staff_page(roles=QUEUE_ROLES)
@require_http_methods(["GET", "POST"])
def client_billing_view(request, client_id):
    """A client's charges and claims; POST builds a claim for a period."""
    errors = []
    if request.method == "POST":
        try:
            made = claims.claim_create(user=request.user, client_id=client_id, payer=request.POST.get("payer", "")[:200],
                                       first=request.POST.get("first", "")[:10], last=request.POST.get("last", "")[:10])
            messages.success(request, "The claim is built and validated. Download the 837P file below.")
            return redirect(f"/clients/{client_id}/billing/claims/{made['id']}/")
        except NotFound:
            raise
        except ConfideError as exc:
            errors.append({"field": "payer", "message": str(exc)})
    data = claims.client_billing(user=request.user, client_id=client_id)
    return render(request, "web/billing/client.html", {**data, "errors": errors,
                                                       "form": {"payer": request.POST.get("payer", data["payer"]),
                                                                "first": request.POST.get("first",
                                                                                          data["unclaimed_first"]),
                                                                "last": request.POST.get("last", data["unclaimed_last"])}},
                  status=400 if errors else 200)


@staff_page(roles=QUEUE_ROLES)
@require_http_methods(["GET"])
def claim_view(request, client_id, claim_id):
    download = request.GET.get("download")
    if download in ("x12", "pdf"):
        return _download(*claims.claim_file(user=request.user, client_id=client_id, claim_id=claim_id, fmt=download))
    claim = claims.claim_get(user=request.user, client_id=client_id, claim_id=claim_id)
    return render(request, "web/billing/claim.html", {"claim": claim})


@staff_page(roles=QUEUE_ROLES)
@require_http_methods(["GET"])
def superbill_view(request, client_id):
    try:
        pdf = superbill.superbill_pdf(user=request.user, client_id=client_id, first=request.GET.get("from") or None,
                                      last=request.GET.get("to") or None)
    except NotFound:
        raise
    except ConfideError as exc:
        messages.error(request, str(exc))
        return redirect(f"/clients/{client_id}/billing/")
    return _download(pdf, "application/pdf", "superbill.pdf")
