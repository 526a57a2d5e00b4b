"""Duty to warn or protect (RULES.md 1.6.6, section 3; S8, S9): the state's rule shown
with its mark, each action its own minimum-necessary packet with an accounting entry
and an obligation to tell the client, and a crime admitted in therapy never disclosed."""

from __future__ import annotations

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import Disclosure, Obligation, SafetyEvent, TopicTag
from confide.core.errors import InvalidInput, NotFound, Refused
from confide.services.disclosures.packet import disclosure_document
from confide.services.disclosures.safety import (
    safety_action_take,
    safety_event_record,
    safety_events_list,
)
from tests.disclosures.conftest import set_jurisdiction

THREAT = {"kind": "threat", "threat": "Said he would shoot his former business partner when he sees him Friday.",
          "person_at_risk": {"name": "Victor Partner", "contact": "253-555-0177"}, "imminence": "imminent",
          "means": "owns a handgun"}
POLICE = {"name": "Tacoma Police Department", "address": "3701 S Pine St, Tacoma, WA"}


def _threat(staff, cid, key="c1", user="marsh", **extra):
    return safety_event_record(user=staff[user], client_id=cid[key], **{**THREAT, **extra})


def test_wa_rule_is_shown_mandatory_with_its_mark_and_both_actions(staff, cid):
    """RULES.md section 3, test 1 (for WA): mandatory, P; warn and police both offered and required."""
    event = _threat(staff, cid)
    rule = event["state_rule"]
    assert (rule["jurisdiction"], rule["category"], rule["ver"], rule["applied"], rule["mandatory"]) == \
        ("US-WA", "mandatory", "P", True, True)
    assert rule["citation"].startswith("RCW §71.05.120(2)")
    assert rule["fact_id"] == "US-WA-DUTY-TO-WARN"
    assert rule["federal"]["rule_id"] == "US-HIPAA-THREAT-WARN" and rule["federal"]["ver"] == "V2"
    actions = {a["action"]: a for a in event["actions"]}
    assert actions["warn_person"]["required"] == "all_of"
    assert actions["notify_police"]["required"] == "all_of"
    assert actions["arrange_hospitalization"]["required"] is None
    assert actions["warn_person"]["categories"] == ["identity", "incident"]
    assert actions["notify_police"]["categories"] == ["contact", "identity", "incident"]
    assert event["outstanding"] == ["notify_police", "warn_person"]


def test_s8_each_action_is_its_own_minimum_necessary_packet(staff, cid):
    event = _threat(staff, cid)
    before = Disclosure.objects.filter(client_id=cid["c1"]).count()
    warned = safety_action_take(user=staff["marsh"], client_id=cid["c1"], event_id=event["id"], action="warn_person")
    assert warned["disclosure"]["categories"] == ["identity", "incident"]
    assert warned["disclosure"]["rule_ids"] == ["US-HIPAA-THREAT-WARN"]
    assert warned["disclosure"]["accountable"] is True
    assert [o["kind"] for o in warned["disclosure"]["obligations"]] == ["notify_client"]
    assert warned["outstanding"] == ["notify_police"]

    police = safety_action_take(user=staff["marsh"], client_id=cid["c1"], event_id=event["id"],
                                action="notify_police", recipient=POLICE)
    assert police["disclosure"]["categories"] == ["contact", "identity", "incident"]
    assert police["outstanding"] == []
    assert [t["action"] for t in police["actions_taken"]] == ["warn_person", "notify_police"]
    assert Disclosure.objects.filter(client_id=cid["c1"]).count() == before + 2

    # the warning goes to the person at risk and holds the threat, imminence and means, nothing clinical
    packet = disclosure_document(user=staff["marsh"], client_id=cid["c1"], disclosure_id=warned["disclosure"]["id"])
    assert packet["recipient"] == {"name": "Victor Partner", "kind": "person_at_risk", "address": "253-555-0177"}
    assert packet["purpose"] == "THREAT" and packet["basis"]["kind"] == "serious_threat"
    assert packet["basis"]["citation"].startswith("45 CFR 164.512(j)(1)(i); RCW §71.05.120(2)")
    incident = packet["sections"]["incident"]
    assert incident["threat"] == THREAT["threat"] and incident["means"] == "owns a handgun"
    assert incident["imminence"] == "imminent" and incident["person_at_risk"] == {"name": "Victor Partner"}
    assert set(packet["sections"]) == {"identity", "incident"}
    police_packet = disclosure_document(user=staff["marsh"], client_id=cid["c1"],
                                        disclosure_id=police["disclosure"]["id"])
    assert police_packet["recipient"]["kind"] == "law_enforcement"
    assert police_packet["sections"]["incident"]["person_at_risk"]["contact"] == "253-555-0177"
    # the obligations stay open and visible
    assert Obligation.objects.filter(client_id=cid["c1"], kind="notify_client", status="open").count() == 2
    listed = safety_events_list(user=staff["marsh"], client_id=cid["c1"])
    assert [e["outstanding"] for e in listed if e["id"] == event["id"]] == [[]]


def test_hospitalization_may_be_asked_as_emergency_treatment(staff, cid):
    event = _threat(staff, cid)
    out = safety_action_take(user=staff["marsh"], client_id=cid["c1"], event_id=event["id"],
                             action="arrange_hospitalization", purpose="ETREAT",
                             recipient={"name": "St. Joseph Medical Center", "address": "1717 S J St"})
    assert set(out["disclosure"]["categories"]) == {"identity", "contact", "diagnosis", "medications", "incident"}
    assert "progress_notes" not in out["disclosure"]["categories"]
    with pytest.raises(InvalidInput):
        safety_action_take(user=staff["marsh"], client_id=cid["c1"], event_id=event["id"], action="warn_person",
                           purpose="ETREAT")


def test_s9_a_crime_admitted_in_therapy_is_never_disclosed(staff, cid):
    """RULES.md 1.6.6 THR-3: the workflow says so, every attempt is refused by the
    PDP (audited), recorded on the event, and nothing leaves."""
    event = safety_event_record(user=staff["marsh"], client_id=cid["c1"], kind="crime_admission",
                                statement="Says she assaulted a man outside a bar two years ago.")
    assert event["actions"] == [] and event["state_rule"] is None
    # the audit log names the record, not what kind of event it is
    assert AuditEvent.objects.order_by("-seq").first().detail == {"record": "safety_event"}
    assert event["not_a_basis"]["rule_id"] == "US-HIPAA-THERAPY-BAR"
    assert event["not_a_basis"]["ver"] == "V2" and "164.512(j)(2)" in event["not_a_basis"]["citation"]
    before = Disclosure.objects.count()
    with pytest.raises(Refused) as err:
        safety_action_take(user=staff["marsh"], client_id=cid["c1"], event_id=event["id"], action="notify_police",
                           recipient=POLICE)
    assert "US-HIPAA-THERAPY-BAR" in err.value.rule_ids
    assert "not a basis for disclosure" in str(err.value) and "\n" not in str(err.value)
    assert Disclosure.objects.count() == before
    denial = AuditEvent.objects.filter(action="disclose", decision="deny").order_by("-seq").first()
    assert denial.detail["basis"] == "crime_admission" and "US-HIPAA-THERAPY-BAR" in denial.rule_ids
    listed = safety_events_list(user=staff["marsh"], client_id=cid["c1"])
    (mine,) = [e for e in listed if e["id"] == event["id"]]
    assert [a["refused_by"] for a in mine["attempts"]] == [["US-HIPAA-THERAPY-BAR"]]


def test_an_unverified_row_is_shown_flagged_and_never_applied(staff, cid):
    set_jurisdiction(staff["marsh"], "US-AL")
    event = _threat(staff, cid)
    rule = event["state_rule"]
    assert rule["applied"] is False and rule["mandatory"] is False and rule["category"] == "not_on_file"
    assert [(u["fact_id"], u["ver"], u["applied"]) for u in rule["unverified"]] == [("US-AL-DUTY-TO-WARN", "U", False)]
    assert all(a["required"] is None for a in event["actions"]) and event["outstanding"] == []


def test_a_permissive_state_proposes_no_mandatory_action(staff, cid):
    """RULES.md section 3, test 2 (TX, V2): permissive, no mandatory task."""
    set_jurisdiction(staff["marsh"], "US-TX")
    event = _threat(staff, cid)
    assert (event["state_rule"]["category"], event["state_rule"]["mandatory"]) == ("permissive", False)
    assert event["outstanding"] == [] and all(a["required"] is None for a in event["actions"])
    out = safety_action_take(user=staff["marsh"], client_id=cid["c1"], event_id=event["id"], action="notify_police",
                             recipient=POLICE)
    assert "Tex. Health" in disclosure_document(user=staff["marsh"], client_id=cid["c1"],
                                                disclosure_id=out["disclosure"]["id"])["basis"]["citation"]


def test_any_of_discharge_is_outstanding_until_one_is_taken(staff, cid):
    set_jurisdiction(staff["marsh"], "US-VA")
    event = _threat(staff, cid)
    assert event["outstanding"] == [{"one_of": ["arrange_hospitalization", "notify_police", "warn_person"]}]
    out = safety_action_take(user=staff["marsh"], client_id=cid["c1"], event_id=event["id"], action="warn_person")
    assert out["outstanding"] == []


def test_a_threat_tagged_with_a_promised_topic_is_refused_naming_the_promise(staff, cid):
    event = _threat(staff, cid, topics=["abortion"])
    tag = TopicTag.objects.get(record_id=event["id"])
    assert tag.category == "incident" and "abortion" not in tag.digest
    with pytest.raises(Refused) as err:
        safety_action_take(user=staff["marsh"], client_id=cid["c1"], event_id=event["id"], action="warn_person")
    assert "PRACTICE-PROMISE-REPRODUCTIVE" in err.value.rule_ids


def test_part2_client_warning_reveals_no_treatment_record(staff, cid):
    """Part 2 has no serious-threat exception (RULES.md 2.4): a warning that does not
    reveal the program carries identity and the threat; the hospital gets nothing
    clinical of a Part 2 record."""
    event = _threat(staff, cid, key="c4", user="okafor")
    out = safety_action_take(user=staff["okafor"], client_id=cid["c4"], event_id=event["id"],
                             action="arrange_hospitalization", recipient={"name": "St. Joseph Medical Center"})
    assert set(out["disclosure"]["categories"]) == {"identity", "contact", "incident"}


def test_only_the_treating_clinician_and_only_this_clients_event(staff, cid):
    event = _threat(staff, cid)
    with pytest.raises(NotFound):  # an event of another client answers like none
        safety_action_take(user=staff["okafor"], client_id=cid["c2"], event_id=event["id"], action="warn_person")
    with pytest.raises(NotFound):  # no relationship to c1
        safety_action_take(user=staff["okafor"], client_id=cid["c1"], event_id=event["id"], action="warn_person")
    with pytest.raises(NotFound):
        safety_action_take(user=staff["marsh"], client_id=cid["c1"], event_id="not-an-id", action="warn_person")


@pytest.mark.parametrize("kwargs,message", [
    ({"threat": "  "}, "threat: required"),
    ({"person_at_risk": None}, "person_at_risk: required"),
    ({"person_at_risk": {"name": "X", "phone": "1"}}, "unknown field"),
    ({"imminence": "soonish"}, "imminence"),
    ({"topics": ["Not A Slug"]}, "topics"),
    ({"statement": "also this"}, "statement"),
    ({"kind": "rumour"}, "kind"),
])
def test_bad_input_is_one_line_and_writes_nothing(staff, cid, kwargs, message):
    before = (SafetyEvent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(InvalidInput) as err:
        _threat(staff, cid, **kwargs)
    assert message in str(err.value) and "\n" not in str(err.value)
    assert "Victor" not in str(err.value)
    assert (SafetyEvent.objects.count(), AuditEvent.objects.count()) == before


def test_police_need_a_named_recipient(staff, cid):
    event = _threat(staff, cid)
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidInput, match="recipient: required"):
        safety_action_take(user=staff["marsh"], client_id=cid["c1"], event_id=event["id"], action="notify_police")
    assert AuditEvent.objects.count() == before


def test_a_warning_carries_only_the_warning_by_its_profile(staff, cid):
    """rules/us-hipaa.toml [[profile]] PROFILE-THREAT-WARN: who the client is, the threat
    and how to get help; never the date of birth, pronouns or the record number."""
    from confide.services import intake

    marsh = staff["marsh"]
    client = intake.client_create(user=marsh, identity={"legal_name": "Reed Testthreat", "preferred_name": "Reed",
                                                         "dob": "1979-04-05", "pronouns": "he/him",
                                                         "record_number": "HL-40917"})
    event = safety_event_record(user=marsh, client_id=client, **THREAT)
    warned = safety_action_take(user=marsh, client_id=client, event_id=event["id"], action="warn_person")
    packet = disclosure_document(user=marsh, client_id=client, disclosure_id=warned["disclosure"]["id"])
    assert packet["sections"]["identity"] == {"legal_name": "Reed Testthreat", "preferred_name": "Reed"}
    assert "911" in packet["sections"]["incident"]["help"]
    text = str(packet)
    assert "1979-04-05" not in text and "he/him" not in text and "HL-40917" not in text
    police = safety_action_take(user=marsh, client_id=client, event_id=event["id"], action="notify_police",
                                recipient=POLICE)
    police_packet = disclosure_document(user=marsh, client_id=client, disclosure_id=police["disclosure"]["id"])
    assert set(police_packet["sections"]["identity"]) == {"legal_name", "preferred_name", "dob"}
    assert "HL-40917" not in str(police_packet) and "he/him" not in str(police_packet)
    assert "recognition" not in packet["sections"]["incident"]


def test_a_description_goes_with_the_warning_only_when_recorded_as_needed(staff, cid):
    """The warning names the client; a description to recognise them goes only when the
    clinician records that it is needed (PROFILE-THREAT-WARN lists it with its reason)."""
    marsh = staff["marsh"]
    described = safety_event_record(user=marsh, client_id=cid["c1"], recognition="Tall, red beard, drives a "
                                    "green pickup", **THREAT)
    warned = safety_action_take(user=marsh, client_id=cid["c1"], event_id=described["id"], action="warn_person")
    packet = disclosure_document(user=marsh, client_id=cid["c1"], disclosure_id=warned["disclosure"]["id"])
    assert packet["sections"]["incident"]["recognition"] == "Tall, red beard, drives a green pickup"
    plain = safety_event_record(user=marsh, client_id=cid["c1"], **THREAT)
    warned = safety_action_take(user=marsh, client_id=cid["c1"], event_id=plain["id"], action="warn_person")
    packet = disclosure_document(user=marsh, client_id=cid["c1"], disclosure_id=warned["disclosure"]["id"])
    assert "recognition" not in packet["sections"]["incident"]
