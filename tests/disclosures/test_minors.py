"""Minors (issue 3, exception 2; DESIGN.md promise 7; RULES.md 1.4 and section 4):
ground rules, the guardian view, telling the minor, and the PR election."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import GroundRules, Obligation
from confide.core.errors import InvalidInput, NotFound
from confide.core.policy import load_rule_packs
from confide.core.policy.minors import age_on, may_consent_alone
from confide.services import access, charting, directory
from confide.services.accounts import login_of
from confide.services.charting import chart_open
from confide.services.disclosures import minors
from tests.dates import practice_today
from tests.disclosures.conftest import years_ago

NEVER_TO_A_PARENT = {"progress_notes", "psychotherapy_notes", "contact", "family_contacts", "billing",
                     "fact_of_treatment", "contact_preferences"}
RULES = load_rule_packs(Path(__file__).resolve().parents[2] / "rules")
WA = RULES.fact("minor_consent", "US-WA")


# --- the age, as data (RULES.md section 4) ----------------------------------------

@pytest.mark.parametrize("jurisdiction,age,expected", [
    ("US-WA", 13, True), ("US-WA", 14, True), ("US-WA", 17, True), ("US-WA", 12, False),
    ("US-XX", 16, False),  # no verified row: parental consent required (section 4: default null)
])
def test_may_consent_alone_follows_the_states_row(jurisdiction, age, expected):
    fact = RULES.fact("minor_consent", jurisdiction)
    assert may_consent_alone(fact, years_ago(age), practice_today()) is expected


def test_age_and_unknown_birthday():
    assert age_on(date(2011, 4, 9), date(2026, 4, 8)) == 14 and age_on(date(2011, 4, 9), date(2026, 4, 9)) == 15
    assert may_consent_alone(WA, None, practice_today()) is True  # the clinician's recorded finding stands


# --- June, the demo's 15-year-old who consented alone ---------------------------------

def test_june_s_mother_sees_only_what_june_allows(staff, cid):
    view = chart_open(user=staff["acastellanos"], client_id=cid["c3"])  # routed to the guardian view
    assert view["basis"] == "minor_permission" and view["consented_alone"] is True
    assert view["categories"] == ["attendance", "progress_summary"]
    assert {a["status"] for a in view["attendance"]} == {"attended", "cancelled"}
    assert view["progress_summary"]["goals"][0]["goal"] == "Eat lunch with peers at least three days a week"
    assert not (NEVER_TO_A_PARENT | {"diagnosis", "risk_assessment", "appointments", "identity"}) & set(view)
    assert "minor_to_be_told" not in view  # the minor allowed it: nothing to tell
    assert minors.guardian_views_mine(user=staff["acastellanos"]) == [view]


def test_guardian_view_is_audited_with_the_basis(staff, cid):
    minors.guardian_view(user=staff["acastellanos"], client_id=cid["c3"])
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.decision, event.purpose, list(event.rule_ids)) == ("permit", "PWATRNY",
                                                                     ["INT-GUARDIAN-MINOR-ALLOWS"])
    assert event.categories == ["attendance", "progress_summary"] and event.detail == {"view": "guardian"}


# --- RULES.md 1.4, tests 1 to 3 -----------------------------------------------------

def test_1_wa_14_year_old_self_consents_parent_asking_for_notes_is_denied(staff, make_minor):
    kid, parents = make_minor(14, "self")
    mum = parents["mum"]
    minors.ground_rules_record(user=staff["marsh"], client_id=kid, minor_allows=["attendance"],
                               notes="Robin allows attendance only.")
    view = minors.guardian_view(user=mum, client_id=kid)
    assert view["categories"] == ["attendance"] and view["basis"] == "minor_permission"
    assert "Axolotl" not in str(view) and "Pangolin" not in str(view)
    # asking the door for the notes themselves: the parent is not the PR, and WA law
    # gives no parental access: the default deny
    for wanted in ({"progress_notes"}, {"psychotherapy_notes"}):
        with pytest.raises(NotFound):
            with access.governed(user=mum, client_id=kid, action="read", purpose="PWATRNY", categories=wanted,
                                 basis="minor_permission", scope=wanted):
                pass
        assert AuditEvent.objects.order_by("-seq").first().decision == "deny"


def test_1b_self_consenting_minor_who_allowed_nothing_shows_the_parent_nothing(staff, make_minor):
    kid, parents = make_minor(14, "self")
    with pytest.raises(NotFound):
        minors.guardian_view(user=parents["mum"], client_id=kid)
    assert minors.guardian_views_mine(user=parents["mum"]) == []


def test_2_parent_is_the_pr_where_the_parent_consented(staff, make_minor):
    kid, parents = make_minor(14, "parent")
    mum = parents["mum"]
    minors.ground_rules_record(user=staff["marsh"], client_id=kid, shared_categories=["risk_assessment"],
                               items=[{"label": "Risky behaviour", "category": "risk_assessment"}],
                               notes="Agreed with Robin and their mother.")
    view = minors.guardian_view(user=mum, client_id=kid)
    assert view["basis"] == "ground_rules" and view["consented_alone"] is False
    assert view["categories"] == ["appointments", "attendance", "identity", "progress_summary", "risk_assessment"]
    assert view["identity"] == {"name": "Robin"}
    assert view["progress_summary"] == {"goals": [{"goal": "Go back to swim team", "progress": 2}]}
    assert [r["summary"] for r in view["risk_assessment"]] == ["Riding on car roofs at night"]
    assert all(a["status"] == "attended" for a in view["appointments"])
    assert not NEVER_TO_A_PARENT & set(view) and "diagnosis" not in view and "treatment_plan" not in view
    assert "Marmoset" not in str(view)  # the plan's formulation is not "broad goals and progress"


def test_sharing_a_risky_behaviour_tells_the_minor_once_per_record(staff, make_minor):
    kid, parents = make_minor(15, "parent")
    minors.ground_rules_record(user=staff["marsh"], client_id=kid, shared_categories=["risk_assessment"],
                               items=[{"label": "Risky behaviour", "category": "risk_assessment"}],
                               notes="Agreed.")
    assert minors.guardian_view(user=parents["mum"], client_id=kid)["minor_to_be_told"] == 1
    minors.guardian_view(user=parents["mum"], client_id=kid)  # seen again: nothing new to tell
    assert Obligation.objects.filter(client_id=kid, kind="notify_minor").count() == 1
    charting.record_add(user=staff["marsh"], client_id=kid, kind="risk_assessment",
                       data={"level": "high", "summary": "Ran away overnight"})
    assert minors.guardian_view(user=parents["mum"], client_id=kid)["minor_to_be_told"] == 2
    from confide.services.disclosures.obligations import obligation_list

    open_ = obligation_list(user=staff["marsh"], client_id=kid)
    assert [o["kind"] for o in open_] == ["notify_minor", "notify_minor"]
    assert open_[0]["item"] == {"category": "risk_assessment", "labels": ["Risky behaviour"]}
    assert open_[0]["disclosure"] is None


def test_broad_view_alone_tells_the_minor_nothing(staff, make_minor):
    kid, parents = make_minor(15, "parent")
    view = minors.guardian_view(user=parents["mum"], client_id=kid)  # no ground rules recorded yet
    assert view["categories"] == ["appointments", "attendance", "identity", "progress_summary"]
    assert "minor_to_be_told" not in view
    assert not Obligation.objects.filter(client_id=kid).exists()


def test_under_the_states_age_the_parent_is_the_pr_whatever_was_recorded(staff, make_minor):
    """WA: under 13 parental authorization is required, so a recorded "self" does not
    make the parent a stranger to the care."""
    kid, parents = make_minor(12, "self")
    view = minors.guardian_view(user=parents["mum"], client_id=kid)
    assert view["basis"] == "ground_rules"
    assert set(view["categories"]) == minors.BROAD
    with pytest.raises(InvalidInput) as err:
        minors.ground_rules_record(user=staff["marsh"], client_id=kid, minor_allows=["attendance"], notes="x")
    assert str(err.value) == "minor_allows: only where the minor consented alone under the state's law"


def test_3_documented_abuse_blocks_the_pr_election(staff, make_minor):
    kid, parents = make_minor(15, "parent", parents=("mum", "dad"))
    minors.ground_rules_record(user=staff["marsh"], client_id=kid, shared_categories=["risk_assessment"],
                               items=[{"label": "Risky behaviour", "category": "risk_assessment"}], notes="Agreed.",
                               pr_blocked=[login_of(parents["dad"])],
                               pr_blocked_reason="Reasonable belief of abuse by the father, documented in session.")
    with pytest.raises(NotFound):
        minors.guardian_view(user=parents["dad"], client_id=kid)
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.decision == "deny" and "INT-GUARDIAN-PR-BLOCKED" in event.rule_ids
    with pytest.raises(NotFound):
        chart_open(user=parents["dad"], client_id=kid)
    assert minors.guardian_view(user=parents["mum"], client_id=kid)["basis"] == "ground_rules"


# --- recording the ground rules: who, and bad input --------------------------------

@pytest.mark.parametrize("kw,message", [
    ({"shared_categories": ["progress_notes"]}, "shared_categories: 'progress_notes' is not one of assessments, "
                                                "diagnosis, medications, risk_assessment, treatment_plan"),
    ({"shared_categories": "risk_assessment"}, "shared_categories: a list of categories"),
    ({"minor_allows": ["psychotherapy_notes"]}, "minor_allows: 'psychotherapy_notes' is not one of appointments, "
                                                "assessments, attendance, diagnosis, identity, medications, "
                                                "progress_summary, risk_assessment, treatment_plan"),
    ({"items": [{"label": "Risky behaviour", "category": "risk_assessment"}]},
     "items: each item's category must be one the parent will hear (shared_categories)"),
    ({"shared_categories": ["risk_assessment"], "items": [{"label": "Risky\nbehaviour", "category": "risk_assessment"}]},
     "items.label: one line of 1 to 120 characters"),
    ({"shared_categories": ["risk_assessment"], "items": [{"label": "x"}]},
     "items: each item has a label and a category"),
    ({"pr_blocked": ["someone"]}, "pr_blocked_reason: one line of 1 to 500 characters"),
    ({"pr_blocked": ["lvarga"], "pr_blocked_reason": "Reason."},
     "pr_blocked: each must be a representative's portal login for this client"),
    ({"notes": 5}, "notes: text of at most 4000 characters"),
])
def test_ground_rules_bad_input_is_one_line_and_writes_nothing(staff, cid, rows, kw, message):
    args = {"notes": "Agreed at intake.", **kw}
    before = rows(GroundRules)
    with pytest.raises(InvalidInput) as err:
        minors.ground_rules_record(user=staff["marsh"], client_id=cid["c3"], **args)
    assert str(err.value) == message
    assert rows(GroundRules) == before


@pytest.mark.parametrize("username", ["okafor", "lindqvist", "pellham", "fontaine", "acastellanos", "jcastellanos"])
def test_only_the_treating_clinician_records_ground_rules(staff, cid, username):
    with pytest.raises(NotFound):
        minors.ground_rules_record(user=staff[username], client_id=cid["c3"], notes="x")


def test_ground_rules_are_encrypted_and_versioned(staff, cid):
    rid = minors.ground_rules_record(user=staff["marsh"], client_id=cid["c3"],
                                     minor_allows=["attendance", "progress_summary", "risk_assessment"],
                                     notes="Revised: June now allows risk too. Okapi.")
    assert b"Okapi" not in bytes(GroundRules.objects.get(id=rid).body_enc)
    view = minors.guardian_view(user=staff["acastellanos"], client_id=cid["c3"])
    assert view["categories"] == ["attendance", "progress_summary", "risk_assessment"]


def test_a_parent_cannot_see_another_family(staff, cid, make_minor):
    _, parents = make_minor(15, "parent")
    for key in ("c1", "c3"):
        with pytest.raises(NotFound):
            minors.guardian_view(user=parents["mum"], client_id=cid[key])


@pytest.mark.parametrize("username", ["marsh", "lvarga", "haddad"])
def test_guardian_view_is_for_representatives_only(staff, cid, username):
    with pytest.raises(NotFound):
        minors.guardian_view(user=staff[username], client_id=cid["c3"])


def test_the_pr_election_holds_in_views_and_listings(staff, make_minor):
    kid, parents = make_minor(15, "parent", parents=("mum", "dad"))
    assert [r["id"] for r in directory.client_list(user=parents["dad"])] == [str(kid)]
    minors.ground_rules_record(user=staff["marsh"], client_id=kid, notes="Election recorded.",
                               pr_blocked=[login_of(parents["dad"])], pr_blocked_reason="Documented risk from him.")
    assert directory.client_list(user=parents["dad"]) == []
    with pytest.raises(NotFound):
        chart_open(user=parents["dad"], client_id=kid)
    assert [r["id"] for r in directory.client_list(user=parents["mum"])] == [str(kid)]


def test_a_self_consenting_minors_parent_is_not_listed_the_minor(staff, cid):
    assert directory.client_list(user=staff["acastellanos"]) == []
