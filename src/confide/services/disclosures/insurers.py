"""Insurers: payer agreements, charges, the self-pay restriction, claims and
managed-care reports (issue 3, exception 1).

A claim holds identity, member id, diagnosis codes, procedure codes, dates of service,
fees and provider ids; medications only where the payer's recorded agreement says the
payer requires them; never notes. A service the client paid for in full with a
restriction requested never reaches a payer, and a client-level restriction refuses
the whole claim (45 CFR 164.522(a)(1)(vi), RULES.md 1.9 RST-2). Managed-care treatment
reports go only under an agreement that provides for them. The rules decide every
packet (`rules/us-hipaa.toml`); this module establishes the basis and calls
`disclosure_packet_build`.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation

from confide.apps.practice.models import PayerAgreement, User
from confide.apps.records.models import Appointment, Charge, Client, Release
from confide.core.errors import Forbidden, InvalidInput, NotFound
from confide.core.policy import CATEGORIES
from confide.services import access
from confide.services.audit import audit_append, audited_transaction
from confide.services.billing.settings import (
    PLACES_OF_SERVICE,
    profile_of,
    provider_ids,
)
from confide.services.disclosures.packet import (
    Basis,
    Recipient,
    _payer_charges,
    disclosure_packet_build,
)
from confide.services.disclosures.releases import release_problem
from confide.services.keys import data_key_of
from confide.services.practice_time import local_today
from confide.services.sealing import seal, unseal

AGREEMENT_ROLES = ("practice_admin", "biller")
CPT = re.compile(r"^[0-9]{4}[0-9A-Z]$")
FEE = re.compile(r"^[0-9]{1,6}(\.[0-9]{2})?$")
CLAIM_CATEGORIES = frozenset({"identity", "billing", "diagnosis", "medications"})
REPORT_CATEGORIES = frozenset({"identity", "diagnosis", "treatment_plan", "progress_summary", "attendance"})
# How the client asked (RST-6: the restriction is documented; 164.530(j)).
REQUEST_WAYS = ("written", "oral")
# RST-5 (a)(2)(i)-(ii): only the client ends a self-pay restriction, in writing or
# orally with the agreement documented; (iii), the practice's own notice, does not
# apply to an RST-2 restriction (RULES.md 1.9, K).
END_WAYS = ("client_written", "client_oral_documented")


def _one_line(kind: str, value, limit: int = 200, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit \
            or "\n" in value or "\r" in value:
        raise InvalidInput(f"{kind}: one line of at most {limit} characters{' is required' if required else ''}")
    return value.strip()


# --- payer agreements (practice level) ---------------------------------------------

def payer_agreement_set(*, user: User, payer: str, requires_medications: bool = False,
                        managed_care_reports: bool = False, reference: str = "") -> dict:
    """Record (or change) what the practice agreed with a payer. The practice admin or
    the biller does it; the agreement holds no client information."""
    if user.role not in AGREEMENT_ROLES or user.practice_id is None:
        raise Forbidden("payer agreements are recorded by the practice admin or the biller")
    payer = _one_line("payer", payer)
    reference = _one_line("reference", reference, required=False)
    for name, value in (("requires_medications", requires_medications),
                        ("managed_care_reports", managed_care_reports)):
        if type(value) is not bool:
            raise InvalidInput(f"{name}: true or false")
    with audited_transaction():
        row, created = PayerAgreement.objects.update_or_create(
            practice_id=user.practice_id, payer=payer,
            defaults={"requires_medications": requires_medications, "managed_care_reports": managed_care_reports,
                      "reference": reference})
        audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role,
                     action="payer_agreement.set", purpose="HOPERAT", client_ref="", decision=None,
                     detail={"payer_agreement": row.pk, "created": created,
                             "requires_medications": requires_medications,
                             "managed_care_reports": managed_care_reports})
    return _agreement_out(row)


def payer_agreement_list(*, user: User) -> list[dict]:
    if not user.is_staff_member or user.practice_id is None:
        raise Forbidden()
    return [_agreement_out(a) for a in PayerAgreement.objects.filter(practice_id=user.practice_id).order_by("payer")]


def _agreement_out(row: PayerAgreement) -> dict:
    return {"id": row.pk, "payer": row.payer, "requires_medications": row.requires_medications,
            "managed_care_reports": row.managed_care_reports, "reference": row.reference,
            "recorded_at": row.recorded_at.isoformat(timespec="seconds")}


def _agreement(user: User, payer: str) -> PayerAgreement | None:
    return PayerAgreement.objects.filter(practice_id=user.practice_id, payer=payer).first()


# --- charges and the self-pay restriction -----------------------------------------------

def _check_charge(date_of_service, cpt, fee, units, paid_in_full, restrict_payer, practice_id) -> dict:
    if type(date_of_service) is date:
        day = date_of_service
    else:
        try:
            day = date.fromisoformat(str(date_of_service))
        except ValueError:
            raise InvalidInput("date_of_service: expected a date as YYYY-MM-DD") from None
    if day > local_today(practice_id):
        raise InvalidInput("date_of_service: a charge is for a service already given")
    if not isinstance(cpt, str) or not CPT.match(cpt):
        raise InvalidInput("cpt: a five-character procedure code (e.g. 90834)")
    if not isinstance(fee, str) or not FEE.match(fee):
        raise InvalidInput("fee: an amount such as 150.00")
    try:
        amount = Decimal(fee)
    except InvalidOperation:  # pragma: no cover - the pattern already rules it out
        raise InvalidInput("fee: an amount such as 150.00") from None
    if type(units) is not int or not 1 <= units <= 99:
        raise InvalidInput("units: a whole number from 1 to 99")
    if type(paid_in_full) is not bool or type(restrict_payer) is not bool:
        raise InvalidInput("paid_in_full and restrict_payer: true or false")
    if restrict_payer and not paid_in_full:
        # RST-2 binds the practice only for a service paid in full (RST-1: other
        # restrictions are the practice's to refuse, and this one does not take them).
        raise InvalidInput("restrict_payer: a restriction the practice must honour needs the service paid in full")
    return {"date_of_service": day.isoformat(), "cpt": cpt, "fee": f"{amount:.2f}", "units": units,
            "paid_in_full": paid_in_full, "restrict_payer": restrict_payer}


def charge_add(*, user: User, client_id, appointment_id=None, date_of_service, cpt: str, fee: str, units: int = 1,
               paid_in_full: bool = False, restrict_payer: bool = False, place_of_service: str | None = None
               ) -> uuid.UUID:
    """Record one billed service. The provider on the claim (name, licence, and the NPI
    and taxonomy the practice's billing settings hold) is the clinician of the
    appointment, or the clinician recording the charge; a biller (who provides no
    service) records it against the appointment billed. `place_of_service`: a CMS code
    (11 office, 02 or 10 telehealth); none leaves the claim's default (office)."""
    body = _check_charge(date_of_service, cpt, fee, units, paid_in_full, restrict_payer, user.practice_id)
    if place_of_service not in (None, "") and place_of_service not in PLACES_OF_SERVICE:
        raise InvalidInput(f"place of service: one of {', '.join(sorted(PLACES_OF_SERVICE))}")
    if place_of_service:
        body["place_of_service"] = place_of_service
    appt_id = None
    if appointment_id is not None:
        appt_id = access.parse_client_id(appointment_id)
        if appt_id is None:
            raise InvalidInput("appointment_id: not an id")
    with access.governed(user=user, client_id=client_id, action="write", purpose=access.default_purpose(user),
                         categories={"billing"}, detail={"record": "charge"}) as ok:
        if appt_id is None and user.role not in ("clinician", "supervisor"):
            raise InvalidInput("appointment_id: required (the provider on the claim is the appointment's clinician)")
        provider = user
        if appt_id is not None:
            appt = (Appointment.objects.filter(id=appt_id, client_id=ok.client.id, practice_id=ok.client.practice_id)
                    .select_related("clinician").first())
            if appt is None:
                raise InvalidInput("appointment_id: no such appointment for this client")
            provider = appt.clinician
        body["provider"] = {"name": provider.full_name, "licence": provider.licence,
                            **provider_ids(profile_of(user.practice_id), provider.pk)}
        dek = data_key_of(ok.client)
        rid = uuid.uuid4()
        Charge.objects.create(id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id,
                              appointment_id=appt_id, body_enc=seal(dek, Charge, "body_enc", rid, body))
    return rid


def _billing_update(user: User, client_id, action: str, how: str, change) -> dict:
    with access.governed(user=user, client_id=client_id, action="write", purpose=access.default_purpose(user),
                         categories={"billing"}, detail={"record": action, "how": how}) as ok:
        client = Client.objects.select_for_update().get(id=ok.client.id, practice_id=ok.client.practice_id)
        dek = data_key_of(client)
        billing = unseal(dek, Client, "billing_enc", client.id, client.billing_enc) or {}
        change(billing)
        client.billing_enc = seal(dek, Client, "billing_enc", client.id, billing)
        client.save(update_fields=["billing_enc"])
    return {"self_pay": bool(billing.get("self_pay")), "restrict_payer": bool(billing.get("restrict_payer"))}


def self_pay_restriction_request(*, user: User, client_id, how: str = "written") -> dict:
    """The client pays in full out of pocket and asks that no health plan hear of their
    care (RULES.md 1.9 RST-2, V2; S13). The practice must agree, so recording the
    request is agreeing: from now on every claim and managed-care report for this
    client is refused (US-HIPAA-SELF-PAY). How the client asked is kept in the audit
    log (RST-6); nothing of it goes into the billing record a payer could see."""
    if how not in REQUEST_WAYS:
        raise InvalidInput(f"how: one of {', '.join(REQUEST_WAYS)}")

    def restrict(billing: dict) -> None:
        billing["self_pay"] = True
        billing["restrict_payer"] = True
    return _billing_update(user, client_id, "self_pay_restriction.request", how, restrict)


def self_pay_restriction_end(*, user: User, client_id, how: str) -> dict:
    """End the client-level restriction, only at the client's own request (RST-5 (i),
    (ii)); the practice cannot end an RST-2 restriction by notice (K). Services already
    paid in full with a restriction stay restricted."""
    if how not in END_WAYS:
        raise InvalidInput("how: a self-pay restriction ends only at the client's request "
                           f"({', '.join(END_WAYS)}; 45 CFR 164.522(a)(2))")

    def lift(billing: dict) -> None:
        billing["restrict_payer"] = False
    return _billing_update(user, client_id, "self_pay_restriction.end", how, lift)


# --- claims and managed-care reports ----------------------------------------------

def _release_basis(user: User, client_id, release_id, payer: str) -> Basis:
    """A claim made under the client's authorization (seed: "only session dates and
    fees may be released to your insurance company"): the release's own scope, read
    through the door, and only while it is valid at this use (164.508(b)(2): signed,
    complete, unexpired by date or event, unrevoked; `releases.release_problem`)."""
    rid = access.parse_client_id(release_id)
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"consents"}, detail={"view": "release_for_claim"}) as ok:
        row = (Release.objects.filter(id=rid, client_id=ok.client.id, practice_id=ok.client.practice_id).first()
               if rid else None)
        body = (unseal(data_key_of(row), Release, "body_enc", row.id, row.body_enc) or {}) if row else {}
    if row is None:
        raise NotFound()
    problem = release_problem(row, body, datetime.now(timezone.utc))
    if problem is not None:
        raise InvalidInput("release: not signed, expired or revoked"
                           if problem.startswith(("not signed", "revoked", "expired")) else
                           f"release: not valid: {problem}")
    if body.get("kind") != "hipaa":  # a HIPAA authorization (releases.KINDS); not a PN or Part 2 one
        raise InvalidInput("release: not an authorization for an insurer")
    named = body.get("recipient")
    named = named.get("name") if isinstance(named, dict) else named
    if isinstance(named, str) and named.strip() and named.strip().casefold() != payer.casefold():
        raise InvalidInput("release: it names another recipient")
    scope = frozenset(c for c in body.get("categories", []) if c in CATEGORIES)
    return Basis(kind="release", citation="45 CFR 164.508(c)", description=f"Authorization to bill {payer}",
                 ref=str(row.id), scope=scope, topics=frozenset(body.get("topics") or ()), release_id=row.id)


def _check_claimable(user: User, client_id) -> None:
    """A claim needs a service the payer may see. Where every service was paid in full
    with a restriction, even the diagnosis relates solely to them (RST-2), so nothing
    is sent. A client-level restriction is left to the PDP, which refuses the claim and
    names the rule."""
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"billing"}, detail={"view": "claim_check"}) as ok:
        if "self_pay_restricted" in access.client_flags(ok.client.id, ok.client.practice_id):
            return
        # the same list a claim's billing section is built from
        claimable = bool(_payer_charges(data_key_of(ok.client), ok.client))
    if not claimable:
        raise InvalidInput("claim: no service a payer may see (none recorded, or each paid in full with a restriction)")


def _recorded_payer(user: User, payer: str) -> PayerAgreement:
    """Claims go only to payers the practice has recorded: a misspelt payer would be a
    misdirected disclosure."""
    agreement = _agreement(user, payer)
    if agreement is None:
        raise InvalidInput("payer: no agreement with this payer is recorded (the practice admin or biller records it)")
    return agreement


def claim_build(*, user: User, client_id, payer: str, release_id=None, period=None, on_recorded=None) -> dict:
    """Build a claim packet for `payer`. Basis: payment (164.506), or the client's
    release where the practice bills under one. The rules decide what it holds.
    `period` (first, last day of service) keeps the services of those days only;
    `on_recorded(disclosure_id)` runs in the disclosure's transaction (the claim file
    written from the packet: if it raises, nothing is disclosed)."""
    payer = _one_line("payer", payer)
    recipient = Recipient(name=payer, kind="insurer")
    # The first door (the release, or the services to claim) comes before anything a
    # caller without a relationship could tell apart from "no such client".
    if release_id is not None:
        basis = _release_basis(user, client_id, release_id, payer)
        _recorded_payer(user, payer)
    else:
        _check_claimable(user, client_id)
        agreement = _recorded_payer(user, payer)
        flags = frozenset({"payer_requires_medications"}) if agreement.requires_medications else frozenset()
        basis = Basis(kind="payer_claim", citation="45 CFR 164.506(c)(1)", description=f"Claim to {payer}",
                      ref=str(agreement.pk), flags=flags)
    return disclosure_packet_build(user=user, client_id=client_id, recipient=recipient, purpose="HPAYMT",
                                   basis=basis, categories=CLAIM_CATEGORIES, period=period, on_recorded=on_recorded)


def managed_care_report_build(*, user: User, client_id, payer: str) -> dict:
    """A managed-care treatment report (diagnosis, goals, progress, attendance), only
    under an agreement with this payer that provides for such reports."""
    payer = _one_line("payer", payer)
    agreement = _agreement(user, payer)
    flags = frozenset({"managed_care_agreement"}) if agreement and agreement.managed_care_reports else frozenset()
    basis = Basis(kind="payer_agreement", citation="45 CFR 164.506(c)(1)",
                  description=f"Managed-care report to {payer} under agreement "
                              f"{agreement.reference if agreement and agreement.reference else 'on file'}",
                  ref=str(agreement.pk) if agreement else "", flags=flags)
    return disclosure_packet_build(user=user, client_id=client_id, recipient=Recipient(name=payer, kind="insurer"),
                                   purpose="HOPERAT", basis=basis, categories=REPORT_CATEGORIES)
