"""Intake: a new client (clinicians fully; the front desk identity and contact only),
then portal logins for the client and their representative, by invitation."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from confide.core.errors import InvalidInput
from confide.services import intake, staff
from confide.web.intake.forms import ClinicianIntakeForm, FrontDeskIntakeForm, PortalInviteForm
from confide.web.shell import staff_page

INTAKE_ROLES = frozenset({"clinician", "supervisor", "front_desk"})
CLINICAL = frozenset({"clinician", "supervisor"})


def _clinical_sections(d: dict) -> dict:
    contact = lambda prefix: {"name": d[f"{prefix}_name"], "relationship": d[f"{prefix}_relationship"],  # noqa: E731
                              "phone": d[f"{prefix}_phone"], "email": d.get(f"{prefix}_email", "")}
    return {
        "preferences": {"voicemail": d["voicemail"], "text": d["text"], "email": d["email_level"],
                        "postal": d["postal"], "alternate_address": d["alternate_address"] or None},
        "billing": {"self_pay": d["pay"] == "self_pay", "restrict_payer": d["restrict_payer"], "payer": d["payer"],
                    "member_id": d["member_id"], "group": d["group"]},
        "program": d["program"], "minor_consent": d["minor_consent"] or None,
        "guardian": contact("guardian"), "emergency": contact("emergency"), "family": [contact("family")],
        "acknowledgements": {"npp": {"how": d["npp_how"], "on": d["npp_on"]},
                             "limits": {"how": d["limits_how"], "on": d["limits_on"]}},
    }


@staff_page(roles=INTAKE_ROLES)
@require_http_methods(["GET", "POST"])
def intake_view(request):
    user = request.user
    data = request.POST if request.method == "POST" else None
    if user.role in CLINICAL:
        form = ClinicianIntakeForm(data)
    else:
        form = FrontDeskIntakeForm(data, clinicians=staff.treating_clinicians(user))
    errors = []
    if form.is_valid():
        d = form.cleaned_data
        identity = {"legal_name": d["legal_name"], "preferred_name": d["preferred_name"],
                    "dob": d["dob"].isoformat() if d["dob"] else None, "pronouns": d["pronouns"]}
        contact = {"phone": d["phone"], "email": d["email"], "address": d["address"]}
        extra = _clinical_sections(d) if user.role in CLINICAL else {"treating_id": d["clinician"]}
        try:
            cid = intake.client_intake(user=user, identity=identity, contact=contact, **extra)
        except InvalidInput as exc:
            errors = [{"field": "", "message": str(exc)}]
        else:
            messages.success(request, f"{d['preferred_name'] or d['legal_name']} was added.")
            return redirect("intake_portal", client_id=cid) if user.role in CLINICAL else redirect("clients")
    status = 400 if form.is_bound and (form.errors or errors) else 200
    return render(request, "web/intake/intake.html", {"form": form, "errors": errors,
                                                      "clinical": user.role in CLINICAL}, status=status)


@staff_page(roles=CLINICAL)
@require_http_methods(["GET", "POST"])
def portal_invite_view(request, client_id):
    form = PortalInviteForm(request.POST if request.method == "POST" else None)
    errors = []
    if form.is_valid():
        d = form.cleaned_data
        try:
            intake.portal_invite(user=request.user, client_id=client_id, relationship=d["relationship"],
                                 username=d["username"], email=d["email"],
                                 base_url=request.build_absolute_uri("/").rstrip("/"))
        except InvalidInput as exc:
            errors = [{"field": "", "message": str(exc)}]
        else:
            messages.success(request, "Invitation sent. The link works once, for 7 days.")
            return redirect("intake_portal", client_id=client_id)
    status = 400 if form.is_bound and (form.errors or errors) else 200
    return render(request, "web/intake/portal_invite.html",
                  {"form": form, "errors": errors, "client_id": client_id}, status=status)
