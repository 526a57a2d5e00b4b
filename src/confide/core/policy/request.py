"""What the PDP is asked: who wants to do what, to which client, why, on what basis."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

ROLES = frozenset({"clinician", "supervisor", "biller", "front_desk", "practice_admin", "client", "representative"})
# Relationships an actor can hold to one client.
RELATIONSHIPS = frozenset({"treating", "supervising", "self", "representative", "break_glass"})
ACTIONS = frozenset({"read", "write", "list", "disclose"})
# HL7 v3-ActReason purpose-of-use codes (RULES.md 7.3) the engine understands.
PURPOSES = frozenset({"TREAT", "ETREAT", "BTG", "HPAYMT", "HOPERAT", "PATRQT", "FAMRQT", "PWATRNY", "COC",
                      "HLEGAL", "PUBHLTH", "THREAT"})
# Who receives a disclosure (DESIGN.md vocabulary: an outside party, the client, a
# personal representative).
RECIPIENTS = frozenset({"client", "representative", "insurer", "provider", "attorney", "court", "agency",
                        "law_enforcement", "person_at_risk", "hospital", "family", "consultant", "other"})
# By what right a disclosure is made (DESIGN.md "Basis").
BASES = frozenset({
    "release",            # a HIPAA authorization (164.508)
    "pn_release",         # an authorization that names psychotherapy notes (164.508(a)(2))
    "part2_consent",      # a 42 CFR 2.31 consent
    "court_order",        # an order signed by a judge (164.512(e)(1)(i))
    "part2_court_order",  # a 42 CFR 2.64 / 2.65 order
    "subpoena",           # lawful process without an order (164.512(e)(1)(ii))
    "serious_threat",     # 164.512(j)(1)(i) and the state's duty to warn or protect
    "crime_admission",    # 164.512(j)(1)(ii)(A): barred when learned in therapy (j)(2)
    "child_abuse_report",     # 164.512(b)(1)(ii) + state mandate
    "adult_abuse_report",     # 164.512(c) + state mandate (elder, dependent adult)
    "client_request",     # the client's own access (164.524)
    "payer_claim",        # a claim to a health plan (164.506, payment)
    "payer_agreement",    # a managed-care treatment report under a recorded agreement
    "ground_rules",       # what the minor and parent agreed at intake
    "minor_permission",   # what a self-consenting minor allows the parent to see
    # Consultation and supervision (DESIGN.md promise 12): progress notes disguised by
    # confide.core.deid and reviewed by the clinician before they leave.
    "deidentified_consultation",  # Safe Harbor held: every identifier redacted (164.514(b)(2))
    "disguised_consultation",     # surrogates or the first name kept: still PHI, for treatment or operations
})
# Facts the calling service has established and recorded for this request.
FLAGS = frozenset({
    "assurance_documented",      # 164.512(e)(1)(iii)/(iv) notice or QPO assurance on file
    "signed_by_judge",           # the order is signed by a judge
    "payer_requires_medications",
    "self_pay_restricted",       # 164.522(a)(1)(vi): paid in full, restriction requested
    "minor_self_consented",      # the minor consented alone under state law
    "part2_record",              # the client's records come from a Part 2 program
    "reportable",                # the state's mandate applies (decision aid answered yes)
    "managed_care_agreement",    # the practice recorded an agreement with this payer
    "representative_blocked",    # 164.502(g)(5): the practice elected not to treat this person as the PR
    "privacy_officer_release",   # the privacy officer decided to release under a judge's order despite a promise
    "accounting_requested",      # the client's formal request for an accounting (164.528) is open
    "amendment_requested",       # the client's request to amend their record (164.526) is open
    "amendment_notice_owed",     # a notice of an amendment the privacy officer accepted is still owed (164.526(c)(3))
    "amendment_disagreement_pending",  # a statement of disagreement with a denial waits for the rebuttal (164.526(d)(3))
    "break_glass_review",        # an emergency access to this client waits for the privacy officer's review
    "break_glass_reviewed",      # the privacy officer recorded a finding on this emergency access
})


@dataclass(frozen=True)
class Actor:
    """A signed-in person. `practice_id` is their tenant."""

    user_id: str
    practice_id: str
    role: str
    licensed: bool = False  # holds an independent licence (psychologist, LCSW, ...)
    licence: str = ""


@dataclass(frozen=True)
class AccessRequest:
    """One question to the PDP.

    `client_practice_id` is None when no such client exists: the engine then denies
    exactly as it denies a client of another practice (existence is secret).
    `note_author_id` is set when the request is about one psychotherapy note.

    For a disclosure (action "disclose") the request also says to whom (`recipient`),
    on what basis (`basis`), what the basis names (`scope`: the categories a release or
    an order names; None when the basis names nothing), which recorded facts hold
    (`flags`), which sensitive topics the information touches (`topics`) and which
    topics the basis names (`basis_topics`).
    """

    actor: Actor
    action: str
    purpose: str
    client_ref: str  # pseudonymous client reference (never a name)
    client_practice_id: str | None
    categories: frozenset[str]
    relationships: frozenset[str] = frozenset()
    note_author_id: str | None = None
    now: datetime | None = None
    recipient: str | None = None
    basis: str | None = None
    scope: frozenset[str] | None = None
    flags: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    basis_topics: frozenset[str] = frozenset()
    attributes: dict = field(default_factory=dict, compare=False, hash=False)
