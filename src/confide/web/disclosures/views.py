"""Disclosures, one screen per basis the engine knows: under the client's release, an
insurer's claim or a managed-care report, the client's own request for their record,
court orders and subpoenas (web.disclosures legal views), a duty to warn or protect, a
mandated abuse report, and consultation (its own review page). Each shows the rule that
applies with its citation and mark, previews the exact packet and sends only what was
previewed (web.disclosures.flow)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from confide.core.errors import ConfideError, NotFound
from confide.services import documents
from confide.services.disclosures import (
    accounting,
    insurers,
    mandated_reports,
    obligations,
    record_requests,
    releases,
    safety,
)
from confide.services.disclosures.overview import client_heading
from confide.web.disclosures import flow
from confide.web.shell import staff_page

CLINICAL = frozenset({"clinician", "supervisor"})

# The bases, as the hub lists them: (label, path under the client, what it is).
BASES = (
    ("Under the client's release", "disclosures/release/",
     "An authorization, Part 2 consent or psychotherapy-notes authorization the client signed (45 CFR 164.508)."),
    ("Insurer claim or managed-care report", "disclosures/insurer/",
     "To a health plan for payment, or a treatment report under a managed-care agreement (45 CFR 164.506)."),
    ("The client's own request", "disclosures/client-request/",
     "A copy of the record the client asked for, on its 30-day clock (45 CFR 164.524)."),
    ("Court order or subpoena", "legal/",
     "An order signed by a judge releases what it names; a subpoena is held until assurance (45 CFR 164.512(e))."),
    ("Duty to warn or protect", "safety/",
     "A serious threat to an identifiable person: warn, notify police, arrange hospitalization "
     "(45 CFR 164.512(j) and the state's rule)."),
    ("Mandated abuse report", "abuse/",
     "Child, elder or dependent-adult abuse, with the state's rules (45 CFR 164.512(b), (c))."),
    ("Consultation", "consultation/",
     "Chosen notes, disguised and reviewed, for supervision or peer consultation (45 CFR 164.514(b))."),
)


def _page(request, template: str, context: dict, status: int = 200):
    return render(request, f"web/disclosures/{template}", context, status=status)


@staff_page(roles=CLINICAL)
@require_http_methods(["GET"])
def hub_view(request, client_id):
    """Every basis, what has left the record, and what is still owed to the client."""
    client = client_heading(user=request.user, client_id=client_id, view="disclosures")
    report = accounting.accounting_of_disclosures(user=request.user, client_id=client["id"])
    owed = obligations.obligation_list(user=request.user, client_id=client["id"], include_closed=True)
    return _page(request, "hub.html", {"client": client, "bases": BASES,
                                       "entries": list(reversed(report["entries"])), "owed": owed})


def _active_releases(user, client_id) -> list[dict]:
    return [r for r in releases.release_list(user=user, client_id=client_id) if r["status"] == "active"]


@staff_page(roles=CLINICAL)
@require_http_methods(["GET", "POST"])
def release_disclosure_view(request, client_id):
    """Disclose under one of the client's releases: to whom it names, what it names."""
    client = client_heading(user=request.user, client_id=client_id, view="disclosure.release")
    every = releases.release_list(user=request.user, client_id=client["id"])
    context = {"client": client, "releases": every, "chosen": request.POST.get("release_id", "")}
    status = 200
    if request.method == "POST":
        result = flow.step(request, releases.release_disclose,
                           {"user": request.user, "client_id": client["id"],
                            "release_id": request.POST.get("release_id", "")[:64]},
                           done_message=flow.summary_words)
        if "done" in result:
            return redirect(f"/clients/{client['id']}/disclosures/")
        status = result.pop("status")
        context.update(result)
    if context["chosen"]:
        try:
            context["release"] = releases.release_get(user=request.user, client_id=client["id"],
                                                      release_id=context["chosen"])
        except NotFound:
            context["release"] = None
    return _page(request, "release.html", context, status)


@staff_page(roles=CLINICAL | {"biller"})
@require_http_methods(["GET", "POST"])
def insurer_disclosure_view(request, client_id):
    """A claim to a health plan, or a managed-care treatment report, to a payer the
    practice has an agreement with."""
    kind = request.POST.get("kind", request.GET.get("kind", "claim"))
    kind = kind if kind in ("claim", "report") else "claim"
    payers = insurers.payer_agreement_list(user=request.user)
    context = {"kind": kind, "payers": payers, "client_id": client_id, "chosen": request.POST.get("payer", "")}
    if request.user.role in CLINICAL:
        context["client"] = client_heading(user=request.user, client_id=client_id, view="disclosure.insurer")
        context["releases"] = _active_releases(request.user, client_id)
    status = 200
    if request.method == "POST":
        payer = request.POST.get("payer", "")[:201]
        if kind == "claim":
            release_id = request.POST.get("release_id", "")[:64] or None
            workflow, kwargs = insurers.claim_build, {"user": request.user, "client_id": client_id,
                                                      "payer": payer, "release_id": release_id}
        else:
            workflow, kwargs = insurers.managed_care_report_build, {"user": request.user, "client_id": client_id,
                                                                    "payer": payer}
        result = flow.step(request, workflow, kwargs, done_message=flow.summary_words)
        if "done" in result:
            return redirect(f"/clients/{client_id}/disclosures/insurer/?sent=1" if request.user.role == "biller"
                            else f"/clients/{client_id}/disclosures/")
        status = result.pop("status")
        context.update(result)
    return _page(request, "insurer.html", context, status)


@staff_page(roles=CLINICAL)
@require_http_methods(["GET", "POST"])
def client_request_view(request, client_id):
    """The client's own request for a copy: what they receive, previewed, then sent."""
    client = client_heading(user=request.user, client_id=client_id, view="disclosure.client_request")
    requests = record_requests.record_request_list(user=request.user, client_id=client["id"])
    context = {"client": client, "requests": requests, "chosen": request.POST.get("request_id", "")}
    status = 200
    if request.method == "POST":
        kwargs = {"user": request.user, "client_id": client["id"],
                  "request_id": request.POST.get("request_id", "")[:64],
                  "delivery": request.POST.get("delivery", "portal")[:20]}
        if request.POST.get("step") == "confirm":
            # Confirmed: the worker makes the disclosure (the previewed packet or
            # nothing) and renders it; the page says it is being prepared.
            try:
                document = documents.document_request(
                    user=request.user, client_id=client["id"], kind="record_copy", ref=kwargs["request_id"],
                    params={"token": request.POST.get("token", "")[:100], "delivery": kwargs["delivery"]})
                return redirect(f"/documents/{document['id']}/")
            except NotFound:
                raise
            except ConfideError as exc:
                context["error"], status = str(exc), 400
        else:
            result = flow.step(request, record_requests.record_request_fulfil, kwargs,
                               done_message=flow.summary_words)
            status = result.pop("status")
            context.update(result)
    return _page(request, "client_request.html", context, status)


# --- duty to warn or protect ------------------------------------------------------------

def _party(request, prefix: str) -> dict | None:
    name = request.POST.get(f"{prefix}_name", "").strip()[:201]
    if not name:
        return None
    out = {"name": name}
    for key in ("contact", "address"):
        value = request.POST.get(f"{prefix}_{key}", "").strip()[:401]
        if value:
            out[key] = value
    return out


@staff_page(roles=CLINICAL)
@require_http_methods(["GET", "POST"])
def safety_view(request, client_id):
    """The state's duty-to-warn rule, the client's recorded threats, and a form to
    record a new one (nothing leaves here)."""
    client = client_heading(user=request.user, client_id=client_id, view="safety")
    error = ""
    if request.method == "POST":
        try:
            event = safety.safety_event_record(
                user=request.user, client_id=client["id"], kind=request.POST.get("kind", "threat")[:20],
                threat=request.POST.get("threat", "")[:4001] or None,
                person_at_risk=_party(request, "person"), imminence=request.POST.get("imminence", "unknown")[:20],
                means=request.POST.get("means", "")[:4001] or None,
                statement=request.POST.get("statement", "")[:4001] or None)
            return redirect(f"/clients/{client['id']}/safety/{event['id']}/")
        except NotFound:
            raise
        except ConfideError as exc:
            error = str(exc)
    events = safety.safety_events_list(user=request.user, client_id=client["id"])
    return _page(request, "safety.html", {"client": client, "events": events, "error": error, "form": request.POST,
                                          "state_rule": safety.duty_to_warn_rule(request.user.practice.jurisdiction)},
                 400 if error else 200)


@staff_page(roles=CLINICAL)
@require_http_methods(["GET", "POST"])
def safety_event_view(request, client_id, event_id):
    """One threat: the state's rule (applied or not, with its citation and mark), each
    action with what its packet may hold, preview and confirm."""
    client = client_heading(user=request.user, client_id=client_id, view="safety_event")
    context = {"client": client, "action": request.POST.get("action", "")}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")[:40]
        result = flow.step(request, safety.safety_action_take,
                           {"user": request.user, "client_id": client["id"], "event_id": event_id[:64],
                            "action": action, "recipient": _party(request, "recipient")},
                           done_message=flow.summary_words)
        if "done" in result:
            return redirect(f"/clients/{client['id']}/safety/{event_id}/")
        status = result.pop("status")
        context.update(result)
    event = next((e for e in safety.safety_events_list(user=request.user, client_id=client["id"])
                  if e["id"] == event_id), None)
    if event is None:
        raise NotFound()
    context["event"] = event
    return _page(request, "safety_event.html", context, status)


# --- mandated abuse reports ------------------------------------------------------------

def _int_or_none(raw: str):
    raw = (raw or "").strip()
    try:
        return int(raw) if raw else None
    except ValueError:
        return raw  # the service says what is wrong with it


@staff_page(roles=CLINICAL)
@require_http_methods(["GET", "POST"])
def abuse_view(request, client_id):
    """Record what the client disclosed about abuse; the decision aid answers with the
    state's rules (the adult-survivor rule among them)."""
    client = client_heading(user=request.user, client_id=client_id, view="abuse")
    error = ""
    if request.method == "POST":
        try:
            event = mandated_reports.abuse_event_record(
                user=request.user, client_id=client["id"], victim_kind=request.POST.get("victim_kind", "")[:30],
                victim_age_now=_int_or_none(request.POST.get("victim_age_now", "")[:10]),
                abuse_is_past=request.POST.get("abuse_is_past") == "yes",
                child_at_risk_now=request.POST.get("child_at_risk_now") == "yes",
                facts=request.POST.get("facts", "")[:4001],
                current_risk=request.POST.get("current_risk", "")[:4001] or None)
            return redirect(f"/clients/{client['id']}/abuse/{event['id']}/")
        except NotFound:
            raise
        except ConfideError as exc:
            error = str(exc)
    events = mandated_reports.abuse_events_list(user=request.user, client_id=client["id"])
    return _page(request, "abuse.html", {"client": client, "events": events, "error": error, "form": request.POST},
                 400 if error else 200)


@staff_page(roles=CLINICAL)
@require_http_methods(["GET", "POST"])
def abuse_event_view(request, client_id, event_id):
    client = client_heading(user=request.user, client_id=client_id, view="abuse_event")
    context = {"client": client}
    status = 200
    if request.method == "POST":
        exception = request.POST.get("notify_exception", "")[:40] or None
        result = flow.step(request, mandated_reports.abuse_report_make,
                           {"user": request.user, "client_id": client["id"], "event_id": event_id[:64],
                            "agency": _party(request, "agency"), "notify_exception": exception,
                            "notify_exception_reason": request.POST.get("notify_exception_reason", "")[:1001]
                            or None},
                           done_message=flow.summary_words)
        if "done" in result:
            return redirect(f"/clients/{client['id']}/abuse/{event_id}/")
        status = result.pop("status")
        context.update(result)
    event = next((e for e in mandated_reports.abuse_events_list(user=request.user, client_id=client["id"])
                  if e["id"] == event_id), None)
    if event is None:
        raise NotFound()
    context["event"] = event
    return _page(request, "abuse_event.html", context, status)


