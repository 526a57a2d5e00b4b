"""decide(): a table of scenarios over the shipped rule packs, then the invariants."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from confide.core.policy import AccessRequest, Actor, RuleSet, decide, load_rule_packs
from confide.core.policy.categories import CATEGORIES, WILDCARD_CATEGORIES
from confide.core.policy.request import ACTIONS, BASES, FLAGS, PURPOSES, RECIPIENTS, RELATIONSHIPS, ROLES
from confide.core.policy.rules import Rule, When

RULES = load_rule_packs(Path(__file__).resolve().parents[2] / "rules")

PRACTICE = "practice-1"
ME = "user-me"
OTHER = "user-other"
PN = "psychotherapy_notes"
ALL = frozenset(CATEGORIES)
WILD = WILDCARD_CATEGORIES
BILLER = frozenset({"identity", "contact", "billing", "diagnosis", "fact_of_treatment"})
FRONT_DESK = frozenset({"identity", "contact", "appointments", "contact_preferences", "messages"})
NONE: frozenset[str] = frozenset()


def request(role, relationships=(), purpose="TREAT", action="read", categories=ALL, author=None,
            licensed=False, client_practice=PRACTICE, *, recipient=None, basis=None, scope=None, flags=(),
            topics=(), basis_topics=()) -> AccessRequest:
    return AccessRequest(
        actor=Actor(user_id=ME, practice_id=PRACTICE, role=role, licensed=licensed),
        action=action,
        purpose=purpose,
        client_ref="c-1",
        client_practice_id=client_practice,
        categories=frozenset(categories),
        relationships=frozenset(relationships),
        note_author_id=author,
        recipient=recipient,
        basis=basis,
        scope=None if scope is None else frozenset(scope),
        flags=frozenset(flags),
        topics=frozenset(topics),
        basis_topics=frozenset(basis_topics),
    )


def disclose(recipient, basis, categories, purpose, *, role="clinician", relationships=("treating",),
             **kwargs) -> AccessRequest:
    """A disclosure by the treating clinician unless told otherwise."""
    return request(role, relationships, purpose=purpose, action="disclose", categories=categories,
                   recipient=recipient, basis=basis, **kwargs)


def s(*names: str) -> frozenset[str]:
    return frozenset(names)


CLAIM = s("identity", "billing", "diagnosis")
MANAGED_CARE = s("identity", "diagnosis", "treatment_plan", "progress_summary", "attendance")
# What a clinician facing a threat might ask to send; each recipient gets its own subset.
THREAT_ASK = s("identity", "contact", "diagnosis", "medications", "risk_assessment", "incident", "progress_notes")
REPORT = s("identity", "contact", "incident")
GUARDIAN_BROAD = s("identity", "appointments", "attendance", "progress_summary")


# name: (request, effect, permitted categories, rule ids in the reasons)
SCENARIOS = {
    # treating clinician (INT-TREATING) and the psychotherapy-notes pair
    "treating clinician reads everything but not others' notes":
        (request("clinician", ["treating"]), "permit", WILD, {"INT-TREATING", "US-HIPAA-PN-SEALED"}),
    "treating clinician reads everything, no note in question":
        (request("clinician", ["treating"], categories=WILD), "permit", WILD, {"INT-TREATING"}),
    "treating clinician reads all incl. own notes":
        (request("clinician", ["treating"], author=ME), "permit", ALL, {"INT-TREATING", "US-HIPAA-PN-AUTHOR"}),
    "author reads own psychotherapy note":
        (request("clinician", ["treating"], categories=[PN], author=ME), "permit", s(PN), {"US-HIPAA-PN-AUTHOR"}),
    "author writes own psychotherapy note":
        (request("clinician", ["treating"], action="write", categories=[PN], author=ME), "permit", s(PN),
         {"US-HIPAA-PN-AUTHOR"}),
    "author may not list notes for payment":
        (request("clinician", ["treating"], purpose="HPAYMT", categories=[PN], author=ME), "deny", NONE,
         {"SYS-DEFAULT-DENY"}),
    "treating clinician reads a colleague's psychotherapy note":
        (request("clinician", ["treating"], categories=[PN], author=OTHER), "deny", NONE, {"US-HIPAA-PN-SEALED"}),
    "psychotherapy note with no known author is sealed":
        (request("clinician", ["treating"], categories=[PN]), "deny", NONE, {"US-HIPAA-PN-SEALED"}),
    "treating clinician writes progress notes":
        (request("clinician", ["treating"], action="write", categories=["progress_notes"]), "permit",
         s("progress_notes"), {"INT-TREATING"}),
    "write with a colleague's note in it is refused whole":
        (request("clinician", ["treating"], action="write", categories=["progress_notes", PN], author=OTHER),
         "deny", NONE, {"US-HIPAA-PN-SEALED", "SYS-WRITE-INCOMPLETE"}),
    "treating clinician for payment purpose":
        (request("clinician", ["treating"], purpose="HPAYMT"), "deny", NONE,
         {"US-HIPAA-PN-SEALED", "SYS-DEFAULT-DENY"}),
    "clinician without relationship":
        (request("clinician", [], categories=WILD), "deny", NONE, {"SYS-DEFAULT-DENY"}),
    "supervisor treating their own client":
        (request("supervisor", ["treating"], categories=WILD), "permit", WILD, {"INT-TREATING"}),
    # supervisor (INT-SUPERVISOR)
    "supervisor reads supervisee's client, notes withheld":
        (request("supervisor", ["supervising"], author=OTHER), "permit", WILD,
         {"INT-SUPERVISOR", "US-HIPAA-PN-SEALED"}),
    "supervisor asks only for supervisee's psychotherapy note":
        (request("supervisor", ["supervising"], categories=[PN], author=OTHER), "deny", NONE,
         {"US-HIPAA-PN-SEALED"}),
    "supervisor lists for operations":
        (request("supervisor", ["supervising"], purpose="HOPERAT", action="list", categories=["identity"]),
         "permit", s("identity"), {"INT-SUPERVISOR"}),
    "supervisor may not write supervisee's record":
        (request("supervisor", ["supervising"], action="write", categories=["treatment_plan"]), "deny", NONE,
         {"SYS-DEFAULT-DENY"}),
    "supervisor co-signs a supervisee's progress note":
        (request("supervisor", ["supervising"], action="write", categories=["progress_notes"]), "permit",
         s("progress_notes"), {"INT-SUPERVISOR-COSIGN"}),
    "supervisor's co-sign writes nothing else":
        (request("supervisor", ["supervising"], action="write", categories=["progress_notes", "diagnosis"]),
         "deny", NONE, {"SYS-WRITE-INCOMPLETE"}),
    "clinician with a supervising link gets nothing":
        (request("clinician", ["supervising"], categories=WILD), "deny", NONE, {"SYS-DEFAULT-DENY"}),
    # biller (INT-BILLER)
    "biller reads for payment":
        (request("biller", purpose="HPAYMT"), "permit", BILLER, {"INT-BILLER", "US-HIPAA-PN-SEALED"}),
    "biller lists billing":
        (request("biller", purpose="HPAYMT", action="list", categories=["billing"]), "permit", s("billing"),
         {"INT-BILLER"}),
    "biller asks for notes and plan":
        (request("biller", purpose="HPAYMT", categories=["progress_notes", "treatment_plan", "appointments"]),
         "deny", NONE, {"SYS-DEFAULT-DENY"}),
    "biller records charges (billing only)":
        (request("biller", purpose="HPAYMT", action="write", categories=["billing"]), "permit", s("billing"),
         {"INT-BILLER-CHARGES"}),
    "biller may not write anything clinical":
        (request("biller", purpose="HPAYMT", action="write", categories=["billing", "diagnosis"]), "deny", NONE,
         {"SYS-WRITE-INCOMPLETE"}),
    "biller for operations purpose":
        (request("biller", purpose="HOPERAT", categories=["billing"]), "deny", NONE, {"SYS-DEFAULT-DENY"}),
    # insurers, the client's own request, the PR election (issue 3; tests/disclosures has more)
    "treating clinician's claim: identity, billing, diagnosis":
        (dataclasses.replace(request("clinician", ["treating"], purpose="HPAYMT", action="disclose",
                                     categories=["identity", "billing", "diagnosis", "progress_notes"]),
                             recipient="insurer", basis="payer_claim"), "permit", s("identity", "billing", "diagnosis"),
         {"US-HIPAA-PAYMENT-CLAIM-TREATING", "US-HIPAA-NO-NOTES-TO-PAYER"}),
    "treating clinician's claim with medications the payer requires":
        (dataclasses.replace(request("clinician", ["treating"], purpose="HPAYMT", action="disclose",
                                     categories=["medications"]),
                             recipient="insurer", basis="payer_claim", flags=s("payer_requires_medications")),
         "permit", s("medications"), {"US-HIPAA-PAYMENT-MEDICATIONS-TREATING"}),
    "clinician without relationship cannot claim":
        (dataclasses.replace(request("clinician", [], purpose="HPAYMT", action="disclose", categories=["billing"]),
                             recipient="insurer", basis="payer_claim"), "deny", NONE, {"SYS-DEFAULT-DENY"}),
    "client files a request for their record":
        (request("client", ["self"], purpose="PATRQT", action="write", categories=["disclosures"]), "permit",
         s("disclosures"), {"US-HIPAA-ACCESS-FILE"}),
    "parent the practice elected not to treat as PR sees nothing":
        (dataclasses.replace(request("representative", ["representative"], purpose="PWATRNY",
                                     categories=["identity", "attendance"]), flags=s("representative_blocked")),
         "deny", NONE, {"INT-GUARDIAN-PR-BLOCKED"}),
    # front desk (INT-FRONT-DESK)
    "front desk reads for operations":
        (request("front_desk", purpose="HOPERAT", categories=WILD), "permit", FRONT_DESK, {"INT-FRONT-DESK"}),
    "front desk books an appointment":
        (request("front_desk", purpose="HOPERAT", action="write", categories=["appointments"]), "permit",
         s("appointments"), {"INT-FRONT-DESK"}),
    "front desk write touching diagnosis is refused whole":
        (request("front_desk", purpose="HOPERAT", action="write", categories=["appointments", "diagnosis"]),
         "deny", NONE, {"SYS-WRITE-INCOMPLETE"}),
    "front desk reads diagnosis":
        (request("front_desk", purpose="HOPERAT", categories=["diagnosis"]), "deny", NONE, {"SYS-DEFAULT-DENY"}),
    "front desk records a reminder it sends":
        (request("front_desk", purpose="HOPERAT", action="write", categories=["messages"]), "permit",
         s("messages"), {"INT-FRONT-DESK"}),
    # confidential communications (US-HIPAA-CC-REQUEST, 164.522(b))
    "client states their own contact preferences":
        (request("client", ["self"], purpose="PATRQT", action="write", categories=["contact_preferences"]),
         "permit", s("contact_preferences"), {"US-HIPAA-CC-REQUEST"}),
    "client writes nothing else of their record":
        (request("client", ["self"], purpose="PATRQT", action="write", categories=["contact_preferences", "contact"]),
         "deny", NONE, {"SYS-WRITE-INCOMPLETE"}),
    "client without the self relationship states no preferences":
        (request("client", [], purpose="PATRQT", action="write", categories=["contact_preferences"]),
         "deny", NONE, {"SYS-DEFAULT-DENY"}),
    # no rule: practice admin, representative
    "practice admin gets nothing":
        (request("practice_admin", purpose="HOPERAT", categories=["identity"]), "deny", NONE,
         {"SYS-DEFAULT-DENY"}),
    # the privacy officer: the legal request, never the chart (INT-PRIVACY-OFFICER-*)
    "privacy officer reads and decides a legal request, and only that":
        (request("practice_admin", purpose="HOPERAT", action="write", categories=["legal"]), "permit", s("legal"),
         {"INT-PRIVACY-OFFICER-LEGAL"}),
    "privacy officer does not read the chart":
        (request("practice_admin", purpose="HOPERAT", categories=["legal", "progress_notes"]), "permit",
         s("legal"), {"INT-PRIVACY-OFFICER-LEGAL"}),
    "privacy officer's decision releases what a judge's order names despite a promise":
        (disclose("court", "court_order", ["progress_notes", "diagnosis"], "HLEGAL", role="practice_admin",
                  relationships=(), scope=["progress_notes"], flags=["signed_by_judge", "privacy_officer_release"],
                  topics=["abortion"]), "permit", s("progress_notes"), {"INT-PRIVACY-OFFICER-ORDER"}),
    "privacy officer reads the disclosure entries while a formal accounting request is open":
        (request("practice_admin", purpose="HOPERAT", categories=["disclosures", "progress_notes"],
                 flags=["accounting_requested"]), "permit", s("disclosures"), {"INT-PRIVACY-OFFICER-ACCOUNTING"}),
    "privacy officer decides a client's open amendment request, never the chart":
        (request("practice_admin", action="write", purpose="HOPERAT", categories=["disclosures"],
                 flags=["amendment_requested"]), "permit", s("disclosures"), {"INT-PRIVACY-OFFICER-AMENDMENT"}),
    "privacy officer rebuts a client's statement of disagreement waiting for it, never the chart":
        (request("practice_admin", purpose="HOPERAT", categories=["disclosures", "progress_notes"],
                 flags=["amendment_disagreement_pending"]), "permit", s("disclosures"),
         {"INT-PRIVACY-OFFICER-AMENDMENT-REBUTTAL"}),
    "privacy officer closes a notice owed of an amendment they accepted, never the chart":
        (request("practice_admin", purpose="HOPERAT", categories=["disclosures", "progress_notes", "diagnosis"],
                 flags=["amendment_notice_owed"]), "permit", s("disclosures"),
         {"INT-PRIVACY-OFFICER-AMENDMENT-NOTICE"}),
    "after the rebuttal (or the decision not to rebut) the privacy officer no longer reads a decided request":
        (request("practice_admin", purpose="HOPERAT", categories=["disclosures"]), "deny", NONE,
         {"SYS-DEFAULT-DENY"}),
    "without an open accounting request the privacy officer reads no disclosure":
        (request("practice_admin", purpose="HOPERAT", categories=["disclosures"]), "deny", NONE,
         {"SYS-DEFAULT-DENY"}),
    "privacy officer reads the reason of an emergency access waiting for review":
        (request("practice_admin", purpose="HOPERAT", categories=["fact_of_treatment", "identity"],
                 flags=["break_glass_review"]), "permit", s("fact_of_treatment"),
         {"INT-PRIVACY-OFFICER-BREAK-GLASS"}),
    "privacy officer reads back the finding on a reviewed emergency access, and writes nothing more":
        (request("practice_admin", purpose="HOPERAT", categories=["fact_of_treatment", "identity"],
                 flags=["break_glass_reviewed"]), "permit", s("fact_of_treatment"),
         {"INT-PRIVACY-OFFICER-BREAK-GLASS-FINDING"}),
    "a reviewed emergency access opens nothing to the privacy officer's writing":
        (request("practice_admin", action="write", purpose="HOPERAT", categories=["fact_of_treatment"],
                 flags=["break_glass_reviewed"]), "deny", NONE, {"SYS-DEFAULT-DENY"}),
    "without the privacy officer's decision the admin discloses nothing":
        (disclose("court", "court_order", ["progress_notes"], "HLEGAL", role="practice_admin", relationships=(),
                  scope=["progress_notes"], flags=["signed_by_judge"]), "deny", NONE, {"SYS-DEFAULT-DENY"}),
    "parent sees broad goals and progress":
        (request("representative", ["representative"], purpose="PWATRNY"), "permit",
         s("identity", "appointments", "attendance", "progress_summary", "consents"),
         {"INT-GUARDIAN-BROAD", "US-HIPAA-AUTH-REPRESENTATIVE", "US-HIPAA-PN-SEALED"}),
    # releases (rules/us-hipaa-releases.toml; more in tests/releases/test_release_rules.py)
    "parent signs a release for a minor who did not consent alone":
        (request("representative", ["representative"], purpose="PWATRNY", action="write", categories=["consents"]),
         "permit", s("consents"), {"US-HIPAA-AUTH-REPRESENTATIVE"}),
    "client signs their own release":
        (request("client", ["self"], purpose="PATRQT", action="write", categories=["consents"]), "permit",
         s("consents"), {"US-HIPAA-AUTH-SIGN-SELF", "INT-CLIENT-PORTAL"}),
    "parent of a self-consenting minor who allowed nothing":
        (dataclasses.replace(request("representative", ["representative"], purpose="PWATRNY"),
                             flags=s("minor_self_consented")), "deny", NONE,
         {"SYS-DEFAULT-DENY", "US-HIPAA-PN-SEALED"}),
    # client (US-HIPAA-ACCESS-SELF)
    "client reads own record, notes withheld":
        (request("client", ["self"], purpose="PATRQT"), "permit", WILD,
         {"US-HIPAA-ACCESS-SELF", "US-HIPAA-PN-SEALED"}),
    "client lists own appointments":
        (request("client", ["self"], purpose="PATRQT", action="list", categories=["appointments"]), "permit",
         s("appointments"), {"US-HIPAA-ACCESS-SELF"}),
    "client asks for psychotherapy notes":
        (request("client", ["self"], purpose="PATRQT", categories=[PN], author=OTHER), "deny", NONE,
         {"US-HIPAA-PN-SEALED"}),
    "client named as note author still gets no notes":
        (request("client", ["self"], purpose="PATRQT", categories=[PN], author=ME), "deny", NONE,
         {"SYS-DEFAULT-DENY"}),
    "client may not write own record":
        (request("client", ["self"], purpose="PATRQT", action="write", categories=["contact"]), "deny", NONE,
         {"SYS-DEFAULT-DENY"}),
    "client without self relationship":
        (request("client", [], purpose="PATRQT", categories=["identity"]), "deny", NONE, {"SYS-DEFAULT-DENY"}),
    # break-glass (INT-BREAK-GLASS)
    "licensed clinician breaks the glass":
        (request("clinician", ["break_glass"], purpose="BTG", licensed=True), "permit", WILD,
         {"INT-BREAK-GLASS", "US-HIPAA-PN-SEALED"}),
    "licensed supervisor breaks the glass":
        (request("supervisor", ["break_glass"], purpose="BTG", licensed=True, categories=WILD), "permit", WILD,
         {"INT-BREAK-GLASS"}),
    "unlicensed clinician cannot break the glass":
        (request("clinician", ["break_glass"], purpose="BTG", categories=WILD), "deny", NONE,
         {"SYS-DEFAULT-DENY"}),
    "break-glass is read-only":
        (request("clinician", ["break_glass"], purpose="BTG", action="write", licensed=True,
                 categories=["progress_notes"]), "deny", NONE, {"SYS-DEFAULT-DENY"}),
    "break-glass needs the BTG purpose":
        (request("clinician", ["break_glass"], purpose="TREAT", licensed=True, categories=WILD), "deny", NONE,
         {"SYS-DEFAULT-DENY"}),
    "front desk cannot break the glass":
        (request("front_desk", ["break_glass"], purpose="BTG", licensed=True, categories=WILD), "deny", NONE,
         {"SYS-DEFAULT-DENY"}),

    # -- disclosures (action "disclose") ---------------------------------------------
    # courts and lawyers (RULES.md 1.6.4)
    "court order naming billing releases billing only, not the full chart asked":
        (disclose("court", "court_order", WILD, "HLEGAL", scope=["billing"], flags=["signed_by_judge"]),
         "permit", s("billing"), {"US-HIPAA-COURT-ORDER", "US-PART2-SUD-RECORDS"}),
    "court order not signed by a judge releases nothing":
        (disclose("court", "court_order", ["billing"], "HLEGAL", scope=["billing"]), "deny", NONE,
         {"SYS-DEFAULT-DENY"}),
    "court order naming the author's psychotherapy notes":
        (disclose("court", "court_order", [PN, "progress_notes"], "HLEGAL", scope=[PN, "progress_notes"],
                  flags=["signed_by_judge"], author=ME), "permit", s(PN, "progress_notes"),
         {"US-HIPAA-PN-ORDER", "US-HIPAA-COURT-ORDER"}),
    "court order naming a colleague's psychotherapy notes: only their author discloses them":
        (disclose("court", "court_order", [PN], "HLEGAL", scope=[PN], flags=["signed_by_judge"], author=OTHER),
         "deny", NONE, {"US-HIPAA-PN-SEALED"}),
    "subpoena without assurance is held":
        (disclose("attorney", "subpoena", ["billing", "progress_notes"], "HLEGAL",
                  scope=["billing", "progress_notes"]), "deny", NONE, {"SYS-DEFAULT-DENY"}),
    "subpoena with assurance releases what it names, never psychotherapy notes":
        (disclose("attorney", "subpoena", ["billing", "progress_notes", PN], "HLEGAL",
                  scope=["billing", "progress_notes", PN], flags=["assurance_documented"], author=OTHER),
         "permit", s("billing", "progress_notes"), {"US-HIPAA-SUBPOENA", "US-HIPAA-PN-SEALED"}),
    "subpoena with assurance: not even the author's own psychotherapy notes":
        (disclose("attorney", "subpoena", ["progress_notes", PN], "HLEGAL", scope=["progress_notes", PN],
                  flags=["assurance_documented"], author=ME), "permit", s("progress_notes"),
         {"US-HIPAA-SUBPOENA"}),
    "subpoena with assurance for a Part 2 record is refused":
        (disclose("attorney", "subpoena", ["diagnosis", "substance_use"], "HLEGAL",
                  scope=["diagnosis", "substance_use"], flags=["assurance_documented", "part2_record"]),
         "deny", NONE, {"US-PART2-CONSENT-REQUIRED", "US-PART2-SUD-RECORDS"}),
    # releases (RULES.md 1.2)
    "release naming diagnosis: never a colleague's psychotherapy notes":
        (disclose("provider", "release", ["diagnosis", PN], "COC", scope=["diagnosis", PN], author=OTHER),
         "permit", s("diagnosis"), {"US-HIPAA-AUTHORIZATION", "US-HIPAA-PN-SEALED"}),
    "release releases exactly what it names":
        (disclose("provider", "release", ["diagnosis", "treatment_plan", "progress_notes"], "COC",
                  scope=["diagnosis", "treatment_plan"]), "permit", s("diagnosis", "treatment_plan"),
         {"US-HIPAA-AUTHORIZATION"}),
    "release by a biller is not for them to make":
        (disclose("provider", "release", ["diagnosis"], "COC", role="biller", relationships=(),
                  scope=["diagnosis"]), "deny", NONE, {"SYS-DEFAULT-DENY"}),
    "psychotherapy-notes release, disclosed by their author":
        (disclose("provider", "pn_release", [PN], "COC", scope=[PN], author=ME), "permit", s(PN),
         {"US-HIPAA-PN-AUTHORIZED"}),
    "psychotherapy-notes release, a colleague's notes":
        (disclose("provider", "pn_release", [PN], "COC", scope=[PN], author=OTHER), "deny", NONE,
         {"US-HIPAA-PN-SEALED"}),
    "psychotherapy-notes release that does not name the notes":
        (disclose("provider", "pn_release", [PN], "COC", scope=["progress_notes"], author=ME), "deny", NONE,
         {"SYS-DEFAULT-DENY"}),
    # the client's own request (RULES.md 1.10)
    "client's own copy: everything but psychotherapy notes, even the author's":
        (disclose("client", "client_request", ALL, "PATRQT", author=ME), "permit", WILD,
         {"US-HIPAA-ACCESS-REQUEST"}),
    "client's own copy of a Part 2 record":
        (disclose("client", "client_request", WILD, "PATRQT", flags=["part2_record"]), "permit", WILD,
         {"US-HIPAA-ACCESS-REQUEST"}),
    # insurers (RULES.md 1.9, seeds)
    "claim holds identity, billing and diagnosis, never notes":
        (disclose("insurer", "payer_claim", CLAIM | s("progress_notes", "medications"), "HPAYMT", role="biller",
                  relationships=()), "permit", CLAIM, {"US-HIPAA-PAYMENT-CLAIM", "US-HIPAA-NO-NOTES-TO-PAYER"}),
    "claim with medications the payer requires":
        (disclose("insurer", "payer_claim", CLAIM | s("medications"), "HPAYMT", role="biller", relationships=(),
                  flags=["payer_requires_medications"]), "permit", CLAIM | s("medications"),
         {"US-HIPAA-PAYMENT-CLAIM", "US-HIPAA-PAYMENT-MEDICATIONS"}),
    "claim without the payer requiring medications leaves them out":
        (disclose("insurer", "payer_claim", CLAIM | s("medications"), "HPAYMT", role="biller", relationships=()),
         "permit", CLAIM, {"US-HIPAA-PAYMENT-CLAIM"}),
    "self-pay restricted: nothing reaches the insurer":
        (disclose("insurer", "payer_claim", CLAIM, "HPAYMT", role="biller", relationships=(),
                  flags=["self_pay_restricted"]), "deny", NONE, {"US-HIPAA-SELF-PAY"}),
    "self-pay restricted: no managed-care report either":
        (disclose("insurer", "payer_agreement", MANAGED_CARE, "HOPERAT",
                  flags=["self_pay_restricted", "managed_care_agreement"]), "deny", NONE, {"US-HIPAA-SELF-PAY"}),
    "managed-care report under a recorded agreement, notes withheld":
        (disclose("insurer", "payer_agreement", MANAGED_CARE | s("progress_notes"), "HPAYMT",
                  flags=["managed_care_agreement"]), "permit", MANAGED_CARE,
         {"US-HIPAA-MANAGED-CARE-REPORT", "US-HIPAA-NO-NOTES-TO-PAYER"}),
    "managed-care report without a recorded agreement":
        (disclose("insurer", "payer_agreement", MANAGED_CARE, "HPAYMT"), "deny", NONE, {"SYS-DEFAULT-DENY"}),
    # duty to warn or protect (RULES.md 1.6.6): each recipient gets its own set
    "threat: the person at risk learns who and what, nothing more":
        (disclose("person_at_risk", "serious_threat", THREAT_ASK, "THREAT"), "permit", s("identity", "incident"),
         {"US-HIPAA-THREAT-WARN"}),
    "threat: police learn who, where and what":
        (disclose("law_enforcement", "serious_threat", THREAT_ASK, "THREAT"), "permit",
         s("identity", "contact", "incident"), {"US-HIPAA-THREAT-POLICE"}),
    "threat: the hospital gets what admission needs, not progress notes":
        (disclose("hospital", "serious_threat", THREAT_ASK, "THREAT"), "permit", THREAT_ASK - s("progress_notes"),
         {"US-HIPAA-THREAT-HOSPITAL"}),
    "threat: family is not a recipient the rule names":
        (disclose("family", "serious_threat", THREAT_ASK, "THREAT"), "deny", NONE, {"SYS-DEFAULT-DENY"}),
    "threat by a Part 2 client: the warning may name them, not the program's records":
        (disclose("person_at_risk", "serious_threat", ["identity", "incident", "substance_use"], "THREAT",
                  flags=["part2_record"]), "permit", s("identity", "incident"),
         {"US-HIPAA-THREAT-WARN", "US-PART2-CONSENT-REQUIRED", "US-PART2-SUD-RECORDS"}),
    "a crime admitted in therapy is no basis":
        (disclose("law_enforcement", "crime_admission", ["identity", "incident"], "HLEGAL"), "deny", NONE,
         {"US-HIPAA-THERAPY-BAR"}),
    # mandated reports (RULES.md 1.6.2, 1.6.3, section 5)
    "child abuse report where the state's mandate applies":
        (disclose("agency", "child_abuse_report", REPORT, "PUBHLTH", flags=["reportable"]), "permit", REPORT,
         {"US-HIPAA-CHILD-ABUSE-REPORT"}),
    "child abuse report the decision aid found not reportable":
        (disclose("agency", "child_abuse_report", REPORT, "PUBHLTH"), "deny", NONE, {"SYS-DEFAULT-DENY"}),
    "initial child abuse report about a Part 2 client":
        (disclose("agency", "child_abuse_report", REPORT | s("substance_use"), "PUBHLTH",
                  flags=["reportable", "part2_record"]), "permit", REPORT,
         {"US-HIPAA-CHILD-ABUSE-REPORT", "US-PART2-CONSENT-REQUIRED", "US-PART2-SUD-RECORDS"}),
    "elder abuse report where the law requires it":
        (disclose("agency", "adult_abuse_report", REPORT, "PUBHLTH", flags=["reportable"]), "permit", REPORT,
         {"US-HIPAA-ADULT-ABUSE-REPORT"}),
    # 42 CFR Part 2 (RULES.md section 2)
    "Part 2 record under a HIPAA release is refused":
        (disclose("provider", "release", ["identity", "diagnosis", "substance_use"], "COC",
                  scope=["identity", "diagnosis", "substance_use"], flags=["part2_record"]), "deny", NONE,
         {"US-PART2-CONSENT-REQUIRED", "US-PART2-IDENTITY", "US-PART2-SUD-RECORDS"}),
    "substance-use records under a HIPAA release, whatever the program flag":
        (disclose("provider", "release", ["diagnosis", "substance_use"], "COC", scope=["diagnosis", "substance_use"]),
         "permit", s("diagnosis"), {"US-HIPAA-AUTHORIZATION", "US-PART2-SUD-RECORDS"}),
    "Part 2 consent releases what it names":
        (disclose("provider", "part2_consent", ["identity", "diagnosis", "substance_use", "progress_notes"], "COC",
                  scope=["identity", "diagnosis", "substance_use"], flags=["part2_record"]), "permit",
         s("identity", "diagnosis", "substance_use"), {"US-PART2-CONSENT"}),
    "Part 2 consent does not let an unrelated clinician disclose":
        (disclose("provider", "part2_consent", ["identity", "diagnosis"], "COC", relationships=(),
                  scope=["identity", "diagnosis"], flags=["part2_record"]), "deny", NONE, {"SYS-DEFAULT-DENY"}),
    "a biller sends a payer what a Part 2 consent names, nothing clinical beyond it":
        (disclose("insurer", "part2_consent", ["identity", "billing", "diagnosis", "progress_notes"], "HPAYMT",
                  role="biller", relationships=(), scope=["identity", "billing", "diagnosis", "progress_notes"],
                  flags=["part2_record"]), "permit", s("identity", "billing", "diagnosis"),
         {"US-PART2-CONSENT-PAYER"}),
    "Part 2 court order releases what it names":
        (disclose("court", "part2_court_order", ["diagnosis", "substance_use", "progress_notes"], "HLEGAL",
                  scope=["diagnosis", "substance_use"], flags=["part2_record", "signed_by_judge"]), "permit",
         s("diagnosis", "substance_use"), {"US-PART2-COURT-ORDER"}),
    "Part 2 record under an ordinary court order is refused":
        (disclose("court", "court_order", ["diagnosis", "substance_use"], "HLEGAL",
                  scope=["diagnosis", "substance_use"], flags=["part2_record", "signed_by_judge"]), "deny", NONE,
         {"US-PART2-CONSENT-REQUIRED", "US-PART2-SUD-RECORDS"}),
    # the practice's promises (DESIGN.md promise 13)
    "promise: a report touching abortion is refused and names the promise":
        (disclose("agency", "child_abuse_report", REPORT, "PUBHLTH", flags=["reportable"], topics=["abortion"]),
         "deny", NONE, {"PRACTICE-PROMISE-REPRODUCTIVE"}),
    "promise: a release that does not name the topic":
        (disclose("provider", "release", ["progress_notes"], "COC", scope=["progress_notes"],
                  topics=["gender_identity"]), "deny", NONE, {"PRACTICE-PROMISE-GENDER"}),
    "promise: a release naming another topic":
        (disclose("provider", "release", ["progress_notes"], "COC", scope=["progress_notes"], topics=["abortion"],
                  basis_topics=["gender_identity"]), "deny", NONE, {"PRACTICE-PROMISE-REPRODUCTIVE"}),
    "promise: a release that names the topic":
        (disclose("provider", "release", ["progress_notes"], "COC", scope=["progress_notes"],
                  topics=["gender_identity"], basis_topics=["gender_identity"]), "permit", s("progress_notes"),
         {"US-HIPAA-AUTHORIZATION"}),
    "promise: a court order touching a drag show is refused":
        (disclose("court", "court_order", ["progress_notes"], "HLEGAL", scope=["progress_notes"],
                  flags=["signed_by_judge"], topics=["drag_performance"], basis_topics=["drag_performance"]),
         "deny", NONE, {"PRACTICE-PROMISE-DRAG"}),
    "promise: a claim is untouched by topics it does not carry":
        (disclose("insurer", "payer_claim", CLAIM, "HPAYMT", role="biller", relationships=(),
                  topics=["grief"]), "permit", CLAIM, {"US-HIPAA-PAYMENT-CLAIM"}),
    # parents and guardians (RULES.md 1.4, section 4)
    "parent with ground rules naming risky behaviour":
        (request("representative", ["representative"], purpose="PWATRNY", basis="ground_rules",
                 categories=GUARDIAN_BROAD | s("risk_assessment", "diagnosis", "progress_notes"),
                 scope=["risk_assessment"]), "permit", GUARDIAN_BROAD | s("risk_assessment"),
         {"INT-GUARDIAN-BROAD", "INT-GUARDIAN-GROUND-RULES"}),
    "parent never sees progress notes, whatever the ground rules say":
        (request("representative", ["representative"], purpose="PWATRNY", basis="ground_rules",
                 categories=["progress_notes"], scope=["progress_notes"]), "deny", NONE, {"SYS-DEFAULT-DENY"}),
    "parent of a self-consenting minor sees what the minor allows":
        (request("representative", ["representative"], purpose="PWATRNY", basis="minor_permission",
                 categories=GUARDIAN_BROAD | s("diagnosis"), scope=["appointments", "attendance"],
                 flags=["minor_self_consented"]), "permit", s("appointments", "attendance"),
         {"INT-GUARDIAN-MINOR-ALLOWS"}),
    "parent of a self-consenting minor cannot use the ground rules":
        (request("representative", ["representative"], purpose="PWATRNY", basis="ground_rules",
                 categories=GUARDIAN_BROAD | s("risk_assessment"), scope=["risk_assessment"],
                 flags=["minor_self_consented"]), "deny", NONE, {"SYS-DEFAULT-DENY"}),
    "minor's permission counts only where the minor consented alone":
        (request("representative", ["representative"], purpose="PWATRNY", basis="minor_permission",
                 categories=["diagnosis"], scope=["diagnosis"]), "deny", NONE, {"SYS-DEFAULT-DENY"}),
    # consultation (DESIGN.md promise 12): disguised progress notes only, never psychotherapy notes
    "de-identified notes go to a consultant":
        (disclose("consultant", "deidentified_consultation", ["progress_notes", PN, "identity"], "HOPERAT",
                  author=ME), "permit", s("progress_notes"), {"US-HIPAA-DEIDENTIFIED-CONSULTATION"}),
    "disguised notes go to a consultant for treatment":
        (disclose("consultant", "disguised_consultation", ["progress_notes"], "TREAT", role="supervisor",
                  relationships=["supervising"]), "permit", s("progress_notes"), {"US-HIPAA-DISGUISED-CONSULTATION"}),
    "disguised notes go to no one but a consultant":
        (disclose("family", "disguised_consultation", ["progress_notes"], "TREAT"), "deny", NONE,
         {"SYS-DEFAULT-DENY"}),
}

# What the caller must do after a permitted disclosure (the obligations of the deciding
# rules, always with "audit").
SCENARIO_OBLIGATIONS = {
    "court order naming billing releases billing only, not the full chart asked": {"accountable", "notify_client"},
    "court order naming the author's psychotherapy notes": {"accountable", "notify_client"},
    "subpoena with assurance releases what it names, never psychotherapy notes": {"accountable", "notify_client"},
    "release releases exactly what it names": set(),
    "psychotherapy-notes release, disclosed by their author": set(),
    "client's own copy: everything but psychotherapy notes, even the author's": set(),
    "claim holds identity, billing and diagnosis, never notes": set(),
    "managed-care report under a recorded agreement, notes withheld": {"notify_client"},
    "threat: the person at risk learns who and what, nothing more": {"accountable", "notify_client"},
    "threat: police learn who, where and what": {"accountable", "notify_client"},
    "threat: the hospital gets what admission needs, not progress notes": {"accountable", "notify_client"},
    "child abuse report where the state's mandate applies": {"accountable", "notify_client"},
    "elder abuse report where the law requires it": {"accountable", "notify_client"},
    "Part 2 consent releases what it names": {"attach_redisclosure_notice", "attach_consent_copy"},
    "Part 2 court order releases what it names": {"accountable", "notify_client", "attach_redisclosure_notice"},
    "parent with ground rules naming risky behaviour": {"notify_minor"},
    "parent of a self-consenting minor sees what the minor allows": set(),
    "self-pay restricted: nothing reaches the insurer": set(),
    "promise: a report touching abortion is refused and names the promise": set(),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_scenario(name: str):
    req, effect, permitted, rule_ids = SCENARIOS[name]
    d = decide(req, RULES)
    assert (d.effect, d.categories, set(d.rule_ids)) == (effect, permitted, rule_ids)
    assert "audit" in d.obligations
    assert d.errors == ()
    assert d.policy_version == RULES.version
    assert all(r.explanation and r.citation for r in d.reasons)


@pytest.mark.parametrize("name", list(SCENARIO_OBLIGATIONS))
def test_scenario_obligations(name: str):
    d = decide(SCENARIOS[name][0], RULES)
    assert d.obligations == {"audit"} | SCENARIO_OBLIGATIONS[name]


def test_promise_names_itself_in_the_reasons():
    d = decide(SCENARIOS["promise: a release that does not name the topic"][0], RULES)
    (reason,) = d.reasons
    assert reason.rule_id == "PRACTICE-PROMISE-GENDER" and "our promise" in reason.explanation
    assert reason.citation.startswith("practice promise")


def test_break_glass_is_flagged_for_review():
    d = decide(request("clinician", ["break_glass"], purpose="BTG", licensed=True, categories=WILD), RULES)
    assert d.obligations == {"audit", "flag_for_review"}


def test_ordinary_read_obliges_only_audit():
    d = decide(request("clinician", ["treating"]), RULES)
    assert d.obligations == {"audit"}


# -- existence is secret ------------------------------------------------------------


@pytest.mark.parametrize("role, relationships, purpose", [
    ("clinician", ["treating"], "TREAT"),
    ("biller", [], "HPAYMT"),
    ("front_desk", [], "HOPERAT"),
    ("client", ["self"], "PATRQT"),
    ("clinician", ["break_glass"], "BTG"),
])
def test_other_practice_and_no_such_client_are_indistinguishable(role, relationships, purpose):
    other = decide(request(role, relationships, purpose, licensed=True, client_practice="practice-2"), RULES)
    missing = decide(request(role, relationships, purpose, licensed=True, client_practice=None), RULES)
    assert other.decision_id != missing.decision_id
    assert dataclasses.replace(other, decision_id="") == dataclasses.replace(missing, decision_id="")
    assert other.effect == "deny" and other.rule_ids == ("SYS-NO-RELATIONSHIP",)
    assert other.categories == frozenset() and other.obligations == {"audit"}


# -- a rule that errors is skipped and reported -------------------------------------


@dataclasses.dataclass(frozen=True)
class BrokenRule(Rule):
    """A real Rule whose matching raises, as a bad predicate would."""

    def matches(self, request: AccessRequest) -> bool:
        raise ZeroDivisionError("broken predicate")


def test_erroring_permit_is_skipped_and_reported():
    broken = BrokenRule("PRAC-BROKEN", "permit", "grants everything", "none", "K", WILD, when=When(roles=frozenset(ROLES)))
    rules = RuleSet(rules=(broken,) + RULES.rules, version="test")
    d = decide(request("front_desk", purpose="HOPERAT", categories=["diagnosis", "identity"]), rules)
    assert d.errors == ("PRAC-BROKEN: ZeroDivisionError",)
    assert (d.effect, d.categories, d.rule_ids) == ("permit", s("identity"), ("INT-FRONT-DESK",))


def test_erroring_permit_alone_never_permits():
    broken = BrokenRule("PRAC-BROKEN", "permit", "grants everything", "none", "K", WILD, when=When(roles=frozenset(ROLES)))
    d = decide(request("practice_admin", purpose="HOPERAT", categories=WILD), RuleSet(rules=(broken,)))
    assert (d.effect, d.categories, d.rule_ids) == ("deny", NONE, ("SYS-DEFAULT-DENY",))
    assert d.errors == ("PRAC-BROKEN: ZeroDivisionError",)


def test_erroring_forbid_fails_closed():
    broken = BrokenRule("PRAC-NO-DIAGNOSIS", "forbid", "never diagnosis", "none", "K", s("diagnosis"))
    rules = RuleSet(rules=RULES.rules + (broken,), version="test")
    d = decide(request("biller", purpose="HPAYMT", categories=["diagnosis", "billing"]), rules)
    assert (d.effect, d.categories) == ("permit", s("billing"))
    assert d.errors == ("PRAC-NO-DIAGNOSIS: ZeroDivisionError",)


def test_disabled_rule_is_not_consulted():
    off = dataclasses.replace(RULES.rule("INT-BILLER"), enabled=False)
    rules = RuleSet(rules=tuple(off if r.id == "INT-BILLER" else r for r in RULES.rules))
    assert decide(request("biller", purpose="HPAYMT", categories=["billing"]), rules).effect == "deny"


def test_unknown_role_is_denied():
    assert decide(request("janitor", ["treating"]), RULES).rule_ids == ("US-HIPAA-PN-SEALED", "SYS-DEFAULT-DENY")


def test_decision_ids_are_unique_hex():
    ids = {decide(request("clinician", ["treating"]), RULES).decision_id for _ in range(50)}
    assert len(ids) == 50 and all(len(i) == 32 and int(i, 16) >= 0 for i in ids)


# -- invariants over random requests ------------------------------------------------

requests = st.builds(
    request,
    role=st.sampled_from(sorted(ROLES)),
    relationships=st.frozensets(st.sampled_from(sorted(RELATIONSHIPS))),
    purpose=st.sampled_from(sorted(PURPOSES)),
    action=st.sampled_from(sorted(ACTIONS)),
    categories=st.frozensets(st.sampled_from(sorted(CATEGORIES) + ["not_a_category"])),
    author=st.sampled_from([None, ME, OTHER]),
    licensed=st.booleans(),
    client_practice=st.sampled_from([PRACTICE, PRACTICE, PRACTICE, "practice-2", None]),
)


@settings(max_examples=2000, deadline=None)
@given(requests)
def test_invariants(req: AccessRequest):
    d = decide(req, RULES)
    assert d.categories <= req.categories
    if PN in d.categories:
        assert req.note_author_id == req.actor.user_id
        assert req.actor.role in {"clinician", "supervisor"}
    if d.effect == "deny":
        assert d.categories == frozenset()
    else:
        assert d.categories and req.client_practice_id == req.actor.practice_id
        if req.action == "write":
            assert d.categories == req.categories
    assert "audit" in d.obligations and d.reasons and d.errors == ()


def test_every_shipped_rule_decides_some_scenario():
    decided = set().union(*(ids for _, _, _, ids in SCENARIOS.values()))
    assert {r.id for r in RULES.rules} <= decided


# -- invariants over random disclosures ---------------------------------------------
#
# Half the draws start from a shipped permit rule for "disclose" and satisfy its `when`
# (so permits are exercised, not only denials); the rest are drawn freely. Scope,
# categories, extra flags and topics are always random.

DISCLOSE_PERMITS = [r for r in RULES.rules if r.effect == "permit" and r.when.actions and "disclose" in r.when.actions]
PROMISE_TOPICS = sorted(frozenset().union(*(r.when.topics for r in RULES.promises())))
TOPICS = PROMISE_TOPICS + ["grief", "work_stress"]
PN_BASES = {"pn_release", "court_order"}
NAMING_BASES = {"release", "pn_release", "part2_consent", "court_order", "part2_court_order", "subpoena"}


def _pool(allowed, universe):
    return st.sampled_from(sorted(allowed if allowed is not None else universe))


def _optional(allowed, universe):
    return _pool(allowed, universe) if allowed is not None else st.none() | _pool(None, universe)


_SOME_CATEGORIES = st.frozensets(st.sampled_from(sorted(CATEGORIES)))
_ONE_CATEGORY = st.sampled_from(sorted(CATEGORIES))
_EXTRA_FLAGS = st.frozensets(st.sampled_from(sorted(FLAGS)), max_size=2)
_SOME_RELATIONSHIPS = st.frozensets(st.sampled_from(sorted(RELATIONSHIPS)), max_size=2)
_TOPIC_SETS = st.just(frozenset()) | st.frozensets(st.sampled_from(TOPICS), max_size=2)


def _shape(rule: Rule | None) -> dict:
    """Strategies for a request that satisfies `rule`'s `when` (any request for None),
    built once: building strategies inside a draw is slow."""
    when = rule.when if rule is not None else When()
    # Lean towards what the rule grants, so that its grant and the scope overlap.
    leaning = st.frozensets(st.sampled_from(sorted(rule.categories if rule is not None else CATEGORIES)), min_size=1)
    return {
        "role": _pool(when.roles, ROLES),
        "relationship": st.none() if when.relationships is None else _pool(when.relationships, RELATIONSHIPS),
        "purpose": _pool(when.purposes, PURPOSES),
        "recipient": _optional(when.recipients, RECIPIENTS),
        "basis": _optional(when.bases, BASES),
        "flags": when.flags or frozenset(),
        "categories": st.builds(lambda a, b, c: a | b | {c}, _SOME_CATEGORIES, leaning, _ONE_CATEGORY),
        "scope": st.none() | st.builds(frozenset.union, _SOME_CATEGORIES, leaning),
        "author": st.just(ME) if when.author_is_actor else st.sampled_from([None, ME, OTHER]),
    }


_SHAPES = st.sampled_from([_shape(r) for r in DISCLOSE_PERMITS]) | st.just(_shape(None))


@st.composite
def disclosures(draw) -> AccessRequest:
    shape = draw(_SHAPES)
    relationships = draw(_SOME_RELATIONSHIPS) | ({draw(shape["relationship"])} - {None})
    return request(
        draw(shape["role"]),
        relationships,
        purpose=draw(shape["purpose"]),
        action="disclose",
        categories=draw(shape["categories"]),
        author=draw(shape["author"]),
        licensed=draw(st.booleans()),
        recipient=draw(shape["recipient"]),
        basis=draw(shape["basis"]),
        scope=draw(shape["scope"]),
        flags=draw(_EXTRA_FLAGS) | shape["flags"],
        topics=draw(_TOPIC_SETS),
        basis_topics=draw(_TOPIC_SETS),
    )


def test_disclosure_invariants():
    """The invariants below hold for every drawn disclosure; the counts at the end show
    the draws are not vacuous (they permit often, and permit psychotherapy notes)."""
    seen: Counter = Counter()

    @settings(max_examples=1000, deadline=None)
    @given(disclosures())
    def check(req: AccessRequest):
        d = decide(req, RULES)
        assert d.categories <= req.categories and d.errors == ()
        # Psychotherapy notes leave only under a basis that can name them, by their
        # author, and only as far as that basis names them.
        if PN in d.categories:
            assert req.basis in PN_BASES
            assert req.note_author_id is not None and req.note_author_id == req.actor.user_id
            assert PN in (req.scope or frozenset())
        # Where every permitting rule grants only what the basis names, nothing outside
        # the scope leaves.
        permits = [RULES.rule(i) for i in d.rule_ids if not i.startswith("SYS-") and RULES.rule(i).effect == "permit"]
        scoped_only = d.permitted and all(r.scope == "basis" for r in permits)
        if d.permitted:
            assert permits
            if scoped_only:
                assert d.categories <= (req.scope or frozenset())
        # A document that names what it covers never releases more than it names.
        if req.basis in NAMING_BASES:
            assert d.categories <= (req.scope or frozenset())
        # A promise holds, for anyone but the client, unless the basis is a release
        # naming one of its topics; it never guards the client from their own record.
        for promise in RULES.promises():
            # or the privacy officer decided to release under a judge's order despite it.
            officer = (req.basis in {"court_order", "part2_court_order"}
                       and {"signed_by_judge", "privacy_officer_release"} <= req.flags)
            if promise.when.topics & req.topics and req.recipient != "client" and not officer and not (
                    req.basis in {"release", "pn_release", "part2_consent"} and promise.when.topics & req.basis_topics):
                assert d.effect == "deny" and promise.id in d.rule_ids
            if req.recipient == "client":
                assert promise.id not in d.rule_ids
        # Part 2 records and substance-use records never leave under a HIPAA-only basis.
        if req.basis not in {"part2_consent", "part2_court_order", "client_request"}:
            assert "substance_use" not in d.categories
            if "part2_record" in req.flags:
                assert d.categories <= {"identity", "contact", "incident"}
        seen.update(permit=d.permitted, scoped_only=scoped_only, notes=PN in d.categories)

    check()
    assert seen["permit"] >= 100 and seen["scoped_only"] >= 20 and seen["notes"] >= 1, seen
