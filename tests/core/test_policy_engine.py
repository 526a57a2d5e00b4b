"""decide(): a table of scenarios over the shipped rule packs, then the invariants."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from confide.core.policy import AccessRequest, Actor, RuleSet, decide, load_rule_packs
from confide.core.policy.categories import CATEGORIES, WILDCARD_CATEGORIES
from confide.core.policy.request import ACTIONS, PURPOSES, RELATIONSHIPS, ROLES
from confide.core.policy.rules import Rule, When

RULES = load_rule_packs(Path(__file__).resolve().parents[2] / "rules")

PRACTICE = "practice-1"
ME = "user-me"
OTHER = "user-other"
PN = "psychotherapy_notes"
ALL = frozenset(CATEGORIES)
WILD = WILDCARD_CATEGORIES
BILLER = frozenset({"identity", "contact", "billing", "diagnosis", "fact_of_treatment"})
FRONT_DESK = frozenset({"identity", "contact", "appointments", "contact_preferences"})
NONE: frozenset[str] = frozenset()


def request(role, relationships=(), purpose="TREAT", action="read", categories=ALL, author=None,
            licensed=False, client_practice=PRACTICE) -> AccessRequest:
    return AccessRequest(
        actor=Actor(user_id=ME, practice_id=PRACTICE, role=role, licensed=licensed),
        action=action,
        purpose=purpose,
        client_ref="c-1",
        client_practice_id=client_practice,
        categories=frozenset(categories),
        relationships=frozenset(relationships),
        note_author_id=author,
    )


def s(*names: str) -> frozenset[str]:
    return frozenset(names)


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
        (request("supervisor", ["supervising"], action="write", categories=["progress_notes"]), "deny", NONE,
         {"SYS-DEFAULT-DENY"}),
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
    "biller may not write":
        (request("biller", purpose="HPAYMT", action="write", categories=["billing"]), "deny", NONE,
         {"SYS-DEFAULT-DENY"}),
    "biller for operations purpose":
        (request("biller", purpose="HOPERAT", categories=["billing"]), "deny", NONE, {"SYS-DEFAULT-DENY"}),
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
    # no rule: practice admin, representative
    "practice admin gets nothing":
        (request("practice_admin", purpose="HOPERAT", categories=["identity"]), "deny", NONE,
         {"SYS-DEFAULT-DENY"}),
    "representative gets nothing yet":
        (request("representative", ["representative"], purpose="PWATRNY", categories=["progress_summary"]),
         "deny", NONE, {"SYS-DEFAULT-DENY"}),
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
