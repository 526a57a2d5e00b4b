"""Mandated reports (RULES.md 1.6.2, 1.6.3, 5.1-5.3; S11, S12): the decision aid, the
report packet to the agency with its accounting entry, the adult's notice (ABU-4) and
its recorded exceptions, and the practice's promises."""

from __future__ import annotations

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import Disclosure, Obligation, SafetyEvent
from confide.core.errors import InvalidInput, Refused
from confide.services.disclosures.mandated_reports import (
    abuse_event_record,
    abuse_report_assess,
    abuse_report_make,
)
from confide.services.disclosures.packet import disclosure_document
from confide.services.keys import client_data_key
from confide.services.sealing import unseal
from tests.disclosures.conftest import set_jurisdiction

AGENCY = {"name": "DCYF Child Protective Services intake", "address": "1-866-363-4276"}

def _assess(**kw):
    args = {"jurisdiction": "US-WA", "victim_kind": "child", "victim_age_now": 9, "abuse_is_past": False,
            "child_at_risk_now": False, **kw}
    return abuse_report_assess(**args)


# --- the decision aid, as a table ---------------------------------------------------------

@pytest.mark.parametrize("kw,reportable,basis", [
    ({"victim_age_now": 9}, True, "child_abuse_report"),                                 # S11
    ({"victim_age_now": 17, "abuse_is_past": True}, True, "child_abuse_report"),         # still a child
    ({"victim_age_now": 34, "abuse_is_past": True}, False, "child_abuse_report"),        # 5.2: no child at risk
    ({"victim_age_now": 34, "abuse_is_past": True, "child_at_risk_now": True}, True, "child_abuse_report"),  # S12
    ({"victim_kind": "elder", "victim_age_now": 81}, True, "adult_abuse_report"),
    ({"victim_kind": "dependent_adult", "victim_age_now": None}, True, "adult_abuse_report"),
])
def test_decision_aid(kw, reportable, basis):
    answer = _assess(**kw)
    assert (answer["reportable"], answer["basis"]) == (reportable, basis)
    assert answer["reason"] and "\n" not in answer["reason"]


def test_default_adult_survivor_rule_is_report_if_current_risk():
    answer = _assess(victim_age_now=40, abuse_is_past=True)
    assert answer["jurisdiction_rule"]["rule"] == "report_if_current_risk"
    assert answer["jurisdiction_rule"]["fact_id"] is None
    assert "not reportable unless a child is at risk now" in answer["reason"]


def test_colorado_rule_applies_with_its_citation_and_mark():
    not_now = _assess(jurisdiction="US-CO", victim_age_now=40, abuse_is_past=True)
    at_risk = _assess(jurisdiction="US-CO", victim_age_now=40, abuse_is_past=True, child_at_risk_now=True)
    assert not_now["reportable"] is False and at_risk["reportable"] is True
    assert at_risk["jurisdiction_rule"]["fact_id"] == "US-CO-ADULT-SURVIVOR-REPORT"
    assert at_risk["jurisdiction_rule"]["ver"] == "V"


def test_maryland_unverified_always_is_shown_flagged_and_not_applied():
    answer = _assess(jurisdiction="US-MD", victim_age_now=40, abuse_is_past=True)
    assert answer["reportable"] is False
    assert [(u["fact_id"], u["rule"], u["ver"], u["applied"]) for u in answer["unverified"]] == \
        [("US-MD-ADULT-SURVIVOR-REPORT", "always", "U", False)]
    assert answer["jurisdiction_rule"]["rule"] == "report_if_current_risk"


@pytest.mark.parametrize("kw,message", [
    ({"victim_kind": "sibling"}, "victim_kind"),
    ({"victim_age_now": None}, "victim_age_now: required"),
    ({"victim_age_now": 131}, "victim_age_now"),
    ({"victim_age_now": True}, "victim_age_now"),
    ({"abuse_is_past": "no"}, "abuse_is_past"),
])
def test_decision_aid_bad_input(kw, message):
    with pytest.raises(InvalidInput, match=message):
        _assess(**kw)


# --- the reports ------------------------------------------------------------------------------

def _record(staff, cid, key="c1", user="marsh", **kw):
    args = {"victim_kind": "child", "victim_age_now": 7, "abuse_is_past": False, "child_at_risk_now": True,
            "facts": "Client says her neighbour's daughter (7) told her that her stepfather hits her with a belt.",
            "victim": {"name": "neighbour's daughter", "relationship": "neighbour"}, **kw}
    return abuse_event_record(user=staff[user], client_id=cid[key], **args)


def test_s11_child_abuse_report_goes_to_the_agency_with_its_accounting_entry(staff, cid):
    event = _record(staff, cid)
    assert event["assessment"]["reportable"] is True
    out = abuse_report_make(user=staff["marsh"], client_id=cid["c1"], event_id=event["id"], agency=AGENCY)
    disclosure = out["disclosure"]
    assert disclosure["categories"] == ["contact", "identity", "incident"]
    assert disclosure["rule_ids"] == ["US-HIPAA-CHILD-ABUSE-REPORT"]
    assert disclosure["accountable"] is True
    assert [(o["kind"], o["status"]) for o in disclosure["obligations"]] == [("notify_client", "open")]
    packet = disclosure_document(user=staff["marsh"], client_id=cid["c1"], disclosure_id=disclosure["id"])
    assert packet["recipient"]["kind"] == "agency" and packet["purpose"] == "PUBHLTH"
    assert packet["basis"]["kind"] == "child_abuse_report"
    assert packet["sections"]["incident"]["victim_age_now"] == 7
    assert "diagnosis" not in packet["sections"] and "progress_notes" not in packet["sections"]
    row = Disclosure.objects.get(id=disclosure["id"])
    entry = unseal(client_data_key(row.client_id), Disclosure, "entry_enc", row.id, row.entry_enc)
    assert entry["recipient"]["name"] == AGENCY["name"] and entry["purpose"] == "PUBHLTH"


def test_s12_adult_survivor_with_a_child_at_risk_now_is_reportable(staff, cid):
    set_jurisdiction(staff["marsh"], "US-CO")
    event = _record(staff, cid, victim_age_now=34, abuse_is_past=True, child_at_risk_now=True,
                    facts="Client was abused by her uncle from age 8 to 12.",
                    current_risk="The uncle now coaches a youth soccer team.")
    out = abuse_report_make(user=staff["marsh"], client_id=cid["c1"], event_id=event["id"], agency=AGENCY)
    packet = disclosure_document(user=staff["marsh"], client_id=cid["c1"], disclosure_id=out["disclosure"]["id"])
    assert packet["sections"]["incident"]["current_risk"] == "The uncle now coaches a youth soccer team."
    assert "C.R.S. §19-3-304" in packet["basis"]["citation"]


def test_adult_past_abuse_with_no_child_at_risk_is_refused_with_the_reason(staff, cid):
    event = _record(staff, cid, victim_age_now=34, abuse_is_past=True, child_at_risk_now=False,
                    facts="Client was abused by her uncle as a child; he died in 2019.")
    assert event["assessment"]["reportable"] is False
    before = Disclosure.objects.count()
    with pytest.raises(Refused) as err:
        abuse_report_make(user=staff["marsh"], client_id=cid["c1"], event_id=event["id"], agency=AGENCY)
    assert str(err.value).startswith("not reportable: an adult's disclosure of abuse in their own past childhood")
    assert "uncle" not in str(err.value)
    assert Disclosure.objects.count() == before
    denial = AuditEvent.objects.filter(action="disclose").order_by("-seq").first()
    assert denial.decision == "deny" and denial.detail["basis"] == "child_abuse_report"


def test_elder_abuse_report_tells_the_client_unless_an_exception_is_recorded(staff, cid):
    event = _record(staff, cid, victim_kind="elder", victim_age_now=81, child_at_risk_now=False,
                    facts="Client's father (81) says his caregiver takes his pension and locks him in.")
    told = abuse_report_make(user=staff["marsh"], client_id=cid["c1"], event_id=event["id"], agency=AGENCY)
    assert told["disclosure"]["rule_ids"] == ["US-HIPAA-ADULT-ABUSE-REPORT"]
    assert [(o["kind"], o["status"]) for o in told["disclosure"]["obligations"]] == [("notify_client", "open")]

    event2 = _record(staff, cid, victim_kind="dependent_adult", victim_age_now=30, child_at_risk_now=False,
                     facts="Client says her partner withholds her medication.")
    waived = abuse_report_make(user=staff["marsh"], client_id=cid["c1"], event_id=event2["id"], agency=AGENCY,
                               notify_exception="PR_is_abuser",
                               notify_exception_reason="The partner is her representative and the alleged abuser.")
    (ob,) = waived["disclosure"]["obligations"]
    assert (ob["status"], ob["exception"]) == ("waived", "PR_is_abuser")
    row = Obligation.objects.get(id=ob["id"])
    assert row.status == "waived" and row.closed_by == staff["marsh"]
    detail = unseal(client_data_key(row.client_id), Obligation, "detail_enc", row.id, row.detail_enc)
    assert detail["citation"] == "45 CFR 164.512(c)(2)" and "alleged abuser" in detail["reason"]


@pytest.mark.parametrize("kw,message", [
    ({"notify_exception": "too_busy", "notify_exception_reason": "no time to call her"}, "notify_exception"),
    ({"notify_exception": "risk_of_serious_harm"}, "notify_exception_reason: required"),
    ({"notify_exception": "risk_of_serious_harm", "notify_exception_reason": "unsafe"}, "at least 10"),
    ({"notify_exception_reason": "a reason with no exception"}, "with a notify_exception"),
    ({"agency": {"address": "somewhere"}}, "agency.name"),
])
def test_report_bad_input_writes_nothing(staff, cid, kw, message):
    event = _record(staff, cid)
    before = (Disclosure.objects.count(), AuditEvent.objects.count())
    with pytest.raises(InvalidInput, match=message):
        abuse_report_make(user=staff["marsh"], client_id=cid["c1"], event_id=event["id"],
                          **{"agency": AGENCY, **kw})
    assert (Disclosure.objects.count(), AuditEvent.objects.count()) == before


def test_record_bad_input_writes_nothing(staff, cid):
    before = (SafetyEvent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(InvalidInput, match="current_risk"):
        _record(staff, cid, victim_age_now=34, abuse_is_past=True, child_at_risk_now=True)
    with pytest.raises(InvalidInput, match="facts: required"):
        _record(staff, cid, facts="   ")
    assert (SafetyEvent.objects.count(), AuditEvent.objects.count()) == before


def test_a_report_whose_incident_is_tagged_abortion_is_refused_naming_the_promise(staff, cid):
    """Promise 13 through the workflow: the seed practice reports no abortion to any agency."""
    event = _record(staff, cid, victim_kind="child", victim_age_now=15, child_at_risk_now=True,
                    facts="Client's niece (15) says her mother's boyfriend assaulted her; she later had an abortion.",
                    topics=["abortion"])
    assert event["assessment"]["reportable"] is True  # a child now: the aid alone would report
    before = Disclosure.objects.count()
    with pytest.raises(Refused) as err:
        abuse_report_make(user=staff["marsh"], client_id=cid["c1"], event_id=event["id"], agency=AGENCY)
    assert "PRACTICE-PROMISE-REPRODUCTIVE" in err.value.rule_ids
    assert "our promise" in str(err.value) and "without the promised topic" in str(err.value)
    assert "niece" not in str(err.value)
    assert Disclosure.objects.count() == before
    # the duty remains: the abuse, recorded without the promised topic, is reported
    untagged = _record(staff, cid, victim_kind="child", victim_age_now=15, child_at_risk_now=True,
                       facts="Client's niece (15) says her mother's boyfriend assaulted her.")
    out = abuse_report_make(user=staff["marsh"], client_id=cid["c1"], event_id=untagged["id"], agency=AGENCY)
    assert out["disclosure"]["categories"] == ["contact", "identity", "incident"]


def test_part2_initial_child_abuse_report_is_permitted(staff, cid):
    """42 CFR 2.12(c)(6) (RULES.md 2.4, 2.6): the initial report may name the client."""
    event = _record(staff, cid, key="c4", user="okafor")
    out = abuse_report_make(user=staff["okafor"], client_id=cid["c4"], event_id=event["id"], agency=AGENCY)
    assert out["disclosure"]["categories"] == ["contact", "identity", "incident"]


def test_an_event_of_another_kind_or_client_is_not_found(staff, cid):
    from confide.core.errors import NotFound
    from confide.services.disclosures.safety import safety_event_record

    threat = safety_event_record(user=staff["marsh"], client_id=cid["c1"], threat="x", imminence="imminent",
                                 person_at_risk={"name": "Someone"})
    with pytest.raises(NotFound):
        abuse_report_make(user=staff["marsh"], client_id=cid["c1"], event_id=threat["id"], agency=AGENCY)
    event = _record(staff, cid)
    with pytest.raises(NotFound):
        abuse_report_make(user=staff["marsh"], client_id=cid["c3"], event_id=event["id"], agency=AGENCY)
