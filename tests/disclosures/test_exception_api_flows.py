"""The exception workflows over the JSON API: happy paths answer 201 with the
obligation visible, refusals answer 403 in one line naming the rules, bad input
answers one line and writes nothing, and tagging a note takes topics."""

from __future__ import annotations

import pytest

from confide.apps.records.models import TopicTag
from confide.services.topics import topic_digest
from tests.api.conftest import API_PREFIX, one_line_json

NIL = "00000000-0000-0000-0000-000000000000"


def _post(client, cid, path, body):
    return client.post(f"{API_PREFIX}/clients/{cid}/{path}", data=body, content_type="application/json")


def test_threat_then_warning_over_the_api(staff, cid, api_client):
    client = api_client(staff["marsh"])
    made = _post(client, cid["c1"], "safety-events", {
        "kind": "threat", "threat": "Will hurt his brother-in-law.", "imminence": "imminent",
        "person_at_risk": {"name": "Sam Example", "contact": "253-555-0142"}, "means": "rifle"})
    assert made.status_code == 201, made.content
    event = made.json()
    assert (event["state_rule"]["category"], event["state_rule"]["ver"]) == ("mandatory", "P")
    warned = _post(client, cid["c1"], "safety-events/actions", {"event_id": event["id"], "action": "warn_person"})
    assert warned.status_code == 201, warned.content
    body = warned.json()
    assert body["disclosure"]["obligations"][0]["kind"] == "notify_client"
    assert body["outstanding"] == ["notify_police"]
    listed = client.get(f"{API_PREFIX}/clients/{cid['c1']}/safety-events")
    assert listed.status_code == 200 and [e["id"] for e in listed.json()] == [event["id"]]


def test_crime_admission_refusal_is_one_line_403(staff, cid, api_client):
    client = api_client(staff["marsh"])
    event = _post(client, cid["c1"], "safety-events", {"kind": "crime_admission",
                                                       "statement": "Admits a burglary last year."}).json()
    assert event["not_a_basis"]["rule_id"] == "US-HIPAA-THERAPY-BAR"
    refused = _post(client, cid["c1"], "safety-events/actions",
                    {"event_id": event["id"], "action": "notify_police", "recipient": {"name": "Tacoma PD"}})
    assert refused.status_code == 403
    error = one_line_json(refused)
    assert error["error"] == "refused" and "US-HIPAA-THERAPY-BAR" in error["message"]
    assert "burglary" not in error["message"]


def test_mandated_report_and_not_reportable_over_the_api(staff, cid, api_client):
    client = api_client(staff["marsh"])
    past = _post(client, cid["c1"], "abuse-events", {"victim_kind": "child", "victim_age_now": 30,
                                                     "abuse_is_past": True, "facts": "Abused as a child."}).json()
    assert past["assessment"]["reportable"] is False
    refused = _post(client, cid["c1"], "abuse-reports", {"event_id": past["id"], "agency": {"name": "DCYF"}})
    assert refused.status_code == 403 and one_line_json(refused)["message"].startswith("not reportable:")
    now = _post(client, cid["c1"], "abuse-events", {"victim_kind": "child", "victim_age_now": 6,
                                                    "abuse_is_past": False, "facts": "A child is hit."}).json()
    made = _post(client, cid["c1"], "abuse-reports", {"event_id": now["id"], "agency": {"name": "DCYF"}})
    assert made.status_code == 201 and made.json()["disclosure"]["accountable"] is True


def test_court_flow_over_the_api(staff, cid, api_client):
    client = api_client(staff["marsh"])
    held = _post(client, cid["c1"], "legal-requests", {
        "kind": "subpoena", "requester": {"name": "Dana Counsel", "kind": "attorney"}, "categories": ["billing"]})
    assert held.status_code == 201 and held.json()["status"] == "on_hold"
    rid = held.json()["id"]
    refused = _post(client, cid["c1"], "legal-requests/releases", {"legal_request_id": rid})
    assert refused.status_code == 403 and "on hold" in one_line_json(refused)["message"]
    letter = _post(client, cid["c1"], "legal-requests/privilege-letters", {"legal_request_id": rid})
    assert letter.status_code == 201 and letter.json()["disclosure"] is None
    assured = _post(client, cid["c1"], "legal-requests/assurances", {
        "legal_request_id": rid, "kind": "qpo",
        "details": {"written_statement": True, "route": "agreed_and_presented", "qpo_limits_use_to_litigation": True,
                    "qpo_requires_return_or_destruction": True, "document_ref": "Stipulated QPO"}})
    assert assured.status_code == 200 and assured.json()["status"] == "ready"
    released = _post(client, cid["c1"], "legal-requests/releases", {"legal_request_id": rid})
    assert released.status_code == 201 and released.json()["disclosure"]["categories"] == ["billing"]
    listed = client.get(f"{API_PREFIX}/clients/{cid['c1']}/legal-requests").json()
    assert [r["status"] for r in listed] == ["released"]


def test_progress_note_takes_topics(staff, cid, api_client):
    client = api_client(staff["marsh"])
    made = _post(client, cid["c1"], "progress-notes", {"session_date": "2026-11-02", "text": "Talked about her show.",
                                                        "topics": ["drag_performance"]})
    assert made.status_code == 201, made.content
    tag = TopicTag.objects.get(record_id=made.json()["id"])
    assert tag.category == "progress_notes" and tag.record_model == "ProgressNote"
    assert tag.digest == topic_digest(staff["marsh"].practice_id, tag.client_id, "drag_performance")


# Rejected by the services' own checks, before the door: one line, nothing written.
BAD = [
    ("progress-notes", {"session_date": "2026-11-02", "text": "x", "topics": ["Drag Show"]}, 400),
    ("progress-notes", {"session_date": "2026-11-02", "text": "x", "topics": ["a"] * 21}, 422),
    ("safety-events", {"kind": "threat", "threat": "   ", "person_at_risk": {"name": "X"}}, 400),
    ("safety-events", {"kind": "threat", "threat": "x"}, 400),
    ("safety-events", {"kind": "crime_admission", "statement": "x", "person_at_risk": {"name": "X"}}, 400),
    ("safety-events/actions", {"event_id": NIL, "action": "notify_police"}, 400),
    ("safety-events/actions", {"event_id": NIL, "action": "warn_person", "purpose": "ETREAT"}, 400),
    ("safety-events/actions", {"event_id": NIL, "action": "phone_mother"}, 422),
    ("abuse-events", {"victim_kind": "child", "abuse_is_past": True, "facts": "x"}, 400),
    ("abuse-events", {"victim_kind": "child", "victim_age_now": 34, "abuse_is_past": True,
                      "child_at_risk_now": True, "facts": "x"}, 400),
    ("abuse-reports", {"event_id": NIL, "agency": {"name": "DCYF"}, "notify_exception": "PR_is_abuser"}, 400),
    ("legal-requests", {"kind": "subpoena", "requester": {"name": "D", "kind": "attorney"},
                        "categories": ["everything"]}, 400),
    ("legal-requests", {"kind": "subpoena", "requester": {"name": "D", "kind": "attorney"}, "categories": ["billing"],
                        "date_from": "2024-02-01", "date_to": "2024-01-01"}, 400),
    ("legal-requests", {"kind": "court_order", "requester": {"name": "D", "kind": "court"},
                        "categories": ["billing"]}, 400),
    ("legal-requests/assurances", {"legal_request_id": NIL, "kind": "notice",
                                   "details": {"written_statement": True, "document_ref": "x",
                                               "notice_sent_on": "2026-01-01", "objection_deadline": "2999-01-01",
                                               "notice_describes_litigation": True, "objections": "none_filed"}},
     400),
    ("legal-requests/assurances", {"legal_request_id": NIL, "kind": "qpo", "details": {"written_statement": True}},
     400),
]


@pytest.mark.parametrize("path,body,status", BAD, ids=[f"{p}-{i}" for i, (p, _, _) in enumerate(BAD)])
def test_bad_input_is_one_line_and_writes_nothing(staff, cid, api_client, counts, path, body, status):  # noqa: F811
    client = api_client(staff["marsh"])
    before = counts()
    response = _post(client, cid["c1"], path, body)
    assert response.status_code == status, response.content
    one_line_json(response)
    assert counts() == before
