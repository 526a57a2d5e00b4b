"""RULES.md section 9 scenarios S1, S10 and S13, and DESIGN.md promises 6 and 7, as a
table over the shipped rule packs (the PDP alone), then end to end on the demo."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import MappingProxyType

import pytest

from confide.core.errors import InvalidInput, Refused
from confide.core.policy import AccessRequest, Actor, Fact, decide, load_rule_packs
from confide.core.policy.categories import CATEGORIES, WILDCARD_CATEGORIES
from confide.core.policy.minors import may_consent_alone
from confide.services.disclosures import insurers, minors, record_requests
from tests.dates import practice_today
from tests.disclosures.conftest import years_ago

RULES = load_rule_packs(Path(__file__).resolve().parents[2] / "rules")
PN = "psychotherapy_notes"
CLAIM = frozenset({"identity", "billing", "diagnosis", "medications"})
REPORT = frozenset({"identity", "diagnosis", "treatment_plan", "progress_summary", "attendance"})
BROAD = frozenset({"identity", "appointments", "attendance", "progress_summary"})


def ask(role, rels=(), *, purpose, action="disclose", categories, recipient=None, basis=None, scope=None, flags=(),
        author=None) -> AccessRequest:
    return AccessRequest(actor=Actor("me", "p1", role), action=action, purpose=purpose, client_ref="c",
                         client_practice_id="p1", categories=frozenset(categories), relationships=frozenset(rels),
                         note_author_id=author, recipient=recipient, basis=basis,
                         scope=frozenset(scope) if scope is not None else None, flags=frozenset(flags))


def s(*names):
    return frozenset(names)


# name: (request, effect, permitted, rule ids that must be among the reasons)
TABLE = {
    # S1 (ACC-1, ACC-5): the client's own request: everything except psychotherapy notes,
    # even the author's own
    "S1 the client's copy excludes psychotherapy notes":
        (ask("clinician", ["treating"], purpose="PATRQT", categories=CATEGORIES, recipient="client",
             basis="client_request", author="me"), "permit", WILDCARD_CATEGORIES, {"US-HIPAA-ACCESS-REQUEST"}),
    "S1 the client files the request":
        (ask("client", ["self"], purpose="PATRQT", action="write", categories=["disclosures"]), "permit",
         s("disclosures"), {"US-HIPAA-ACCESS-FILE"}),
    "S1 the client cannot write anything else":
        (ask("client", ["self"], purpose="PATRQT", action="write", categories=["contact"]), "deny", s(),
         {"SYS-DEFAULT-DENY"}),
    # S10 (PR-3a, PR-4): a minor who consented alone; the parent asks for records
    "S10 parent of a self-consenting minor asks for notes":
        (ask("representative", ["representative"], purpose="PWATRNY", action="read",
             categories=["progress_notes", PN], basis="minor_permission", scope=["progress_notes", PN],
             flags=["minor_self_consented"]), "deny", s(), {"SYS-DEFAULT-DENY"}),
    "S10 parent of a self-consenting minor gets no broad view by default":
        (ask("representative", ["representative"], purpose="PWATRNY", action="read", categories=BROAD,
             basis="minor_permission", scope=[], flags=["minor_self_consented"]), "deny", s(), {"SYS-DEFAULT-DENY"}),
    "S10 parent sees what the minor allows, nothing more":
        (ask("representative", ["representative"], purpose="PWATRNY", action="read",
             categories=BROAD | {"diagnosis"}, basis="minor_permission", scope=["attendance"],
             flags=["minor_self_consented"]), "permit", s("attendance"), {"INT-GUARDIAN-MINOR-ALLOWS"}),
    "promise 7: a PR parent sees broad goals and progress plus the ground rules":
        (ask("representative", ["representative"], purpose="PWATRNY", action="read",
             categories=BROAD | {"risk_assessment", "diagnosis", "progress_notes"}, basis="ground_rules",
             scope=["risk_assessment"]), "permit", BROAD | {"risk_assessment"},
         {"INT-GUARDIAN-BROAD", "INT-GUARDIAN-GROUND-RULES"}),
    "promise 7: the PR election blocks even the ground rules":
        (ask("representative", ["representative"], purpose="PWATRNY", action="read", categories=BROAD,
             basis="ground_rules", scope=[], flags=["representative_blocked"]), "deny", s(),
         {"INT-GUARDIAN-PR-BLOCKED"}),
    # S13 (RST-2) and promise 6: self-pay with a restriction never reaches a plan
    "S13 claim by the treating clinician":
        (ask("clinician", ["treating"], purpose="HPAYMT", categories=CLAIM, recipient="insurer", basis="payer_claim",
             flags=["self_pay_restricted"]), "deny", s(), {"US-HIPAA-SELF-PAY"}),
    "S13 claim by the biller":
        (ask("biller", purpose="HPAYMT", categories=CLAIM, recipient="insurer", basis="payer_claim",
             flags=["self_pay_restricted", "payer_requires_medications"]), "deny", s(), {"US-HIPAA-SELF-PAY"}),
    "S13 managed-care report":
        (ask("clinician", ["treating"], purpose="HOPERAT", categories=REPORT, recipient="insurer",
             basis="payer_agreement", flags=["self_pay_restricted", "managed_care_agreement"]), "deny", s(),
         {"US-HIPAA-SELF-PAY"}),
    "claims without a restriction: no notes, medications only when required":
        (ask("clinician", ["supervising"], purpose="HPAYMT", categories=CLAIM | {"progress_notes", PN},
             recipient="insurer", basis="payer_claim", author="me"), "permit", s("identity", "billing", "diagnosis"),
         {"US-HIPAA-PAYMENT-CLAIM-TREATING", "US-HIPAA-NO-NOTES-TO-PAYER"}),
    "a clinician with no relationship cannot claim":
        (ask("clinician", [], purpose="HPAYMT", categories=CLAIM, recipient="insurer", basis="payer_claim",
             flags=["payer_requires_medications"]), "deny", s(), {"SYS-DEFAULT-DENY"}),
    "front desk cannot claim":
        (ask("front_desk", [], purpose="HPAYMT", categories=CLAIM, recipient="insurer", basis="payer_claim"),
         "deny", s(), {"SYS-DEFAULT-DENY"}),
}


@pytest.mark.parametrize("name", list(TABLE))
def test_scenario(name):
    request, effect, permitted, rule_ids = TABLE[name]
    decision = decide(request, RULES)
    assert (decision.effect, decision.categories) == (effect, permitted)
    assert rule_ids <= set(decision.rule_ids), decision.rule_ids


def test_s10_illinois_age_as_data():
    """S10's state is Illinois (405 ILCS 5/3-501, min age 12 in RULES.md section 4): a
    15-year-old may consent alone there, so the parent is not the PR (PR-3a)."""
    illinois = Fact(id="US-IL-MINOR-CONSENT", kind="minor_consent", jurisdiction="US-IL", ver="V", enabled=True,
                    citation="405 ILCS 5/3-501", source="", summary="", data=MappingProxyType({"min_age": 12}))
    assert may_consent_alone(illinois, years_ago(15), practice_today()) is True
    assert may_consent_alone(illinois, years_ago(11), practice_today()) is False


# --- end to end --------------------------------------------------------------------

def test_promise_6_self_pay_stays_private_end_to_end(staff, cid):
    """Harriet (c5) pays in full and asked that no plan hear of it: no claim, no report,
    by anyone, and none of her services would be listed even without the client-level
    restriction."""
    for username, build in (("lindqvist", insurers.claim_build), ("pellham", insurers.claim_build),
                            ("okafor", insurers.managed_care_report_build)):
        with pytest.raises(Refused) as err:
            build(user=staff[username], client_id=cid["c5"], payer="Cascadia Health Plan")
        assert "US-HIPAA-SELF-PAY" in err.value.rule_ids
    insurers.self_pay_restriction_end(user=staff["lindqvist"], client_id=cid["c5"], how="client_written")
    with pytest.raises(InvalidInput) as err:  # each service was paid in full with a restriction
        insurers.claim_build(user=staff["lindqvist"], client_id=cid["c5"], payer="Cascadia Health Plan")
    assert str(err.value).startswith("claim: no service a payer may see")


def test_promise_7_minors_end_to_end(staff, cid, make_minor):
    june = minors.guardian_view(user=staff["acastellanos"], client_id=cid["c3"])
    assert set(june["categories"]) == {"attendance", "progress_summary"}  # what June allows (WA: 13)
    kid, parents = make_minor(14, "parent")
    minors.ground_rules_record(user=staff["marsh"], client_id=kid, shared_categories=["risk_assessment"],
                               items=[{"label": "Risky behaviour", "category": "risk_assessment"}], notes="Agreed.")
    view = minors.guardian_view(user=parents["mum"], client_id=kid)
    assert set(view["categories"]) == BROAD | {"risk_assessment"} and view["minor_to_be_told"] == 1


def test_s1_end_to_end_the_clock_and_no_psychotherapy_notes(staff, cid):
    filed = record_requests.record_request_create(user=staff["lvarga"], client_id=cid["c1"], format="pdf")
    assert (date.fromisoformat(filed["due_on"]) - date.fromisoformat(filed["received_on"])).days == 30
    out = record_requests.record_request_fulfil(user=staff["marsh"], client_id=cid["c1"], request_id=filed["id"])
    assert PN not in out["disclosure"]["categories"] and "progress_notes" in out["disclosure"]["categories"]
