"""The privacy officer (the practice administrator, 45 CFR 164.530(a)(1)) decides a
judge's order held because a practice promise stands in its way: release under the
order (through the one way out, the accounting noting the conflict) or a legal step
with a date to revisit. They read the legal request, never the chart."""

from __future__ import annotations

from datetime import timedelta

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import Disclosure, LegalRequest
from confide.core.errors import Forbidden, InvalidInput, NotFound, Refused
from confide.services.charting import chart_open, progress_note_create
from confide.services.disclosures.accounting import accounting_of_disclosures
from confide.services.disclosures.legal import (
    held_legal_requests,
    legal_request_decide,
    legal_request_record,
    legal_request_release,
    legal_requests_list,
)
from confide.services.disclosures.packet import (
    Basis,
    Recipient,
    disclosure_document,
    disclosure_packet_build,
)
from confide.services.practice_time import local_today
from tests.api.conftest import API_PREFIX, one_line_json
from tests.dates import practice_today

TODAY = practice_today()  # the practice's own date, as the service checks it
COURT = {"name": "Pierce County Superior Court", "kind": "court"}


def _held_order(staff, cid, key="c1"):
    """A judge's order for progress notes, one of them tagged abortion: held for the
    privacy officer by PRACTICE-PROMISE-REPRODUCTIVE."""
    progress_note_create(user=staff["marsh"], client_id=cid[key], session_date=TODAY, text="Talked it through.",
                         topics=["abortion"])
    req = legal_request_record(user=staff["marsh"], client_id=cid[key], kind="court_order", data={
        "requester": COURT, "court": COURT["name"], "case_number": "26-2-0077", "judge": "Hon. R. Example",
        "signed_by_judge": True, "categories": ["progress_notes"]})
    with pytest.raises(Refused):
        legal_request_release(user=staff["marsh"], client_id=cid[key], legal_request_id=req["id"])
    assert LegalRequest.objects.get(id=req["id"]).status == "on_hold"
    return req["id"]


def test_the_held_order_is_on_the_privacy_officers_list_and_a_legal_step_keeps_it_held(staff, cid):
    rid = _held_order(staff, cid)
    (listed,) = [r for r in held_legal_requests(user=staff["haddad"]) if r["id"] == rid]
    assert listed["promise_conflicts"] == ["PRACTICE-PROMISE-REPRODUCTIVE"] and listed["revisit_on"] is None
    before = Disclosure.objects.filter(client_id=cid["c1"]).count()
    revisit = (TODAY + timedelta(days=21)).isoformat()
    out = legal_request_decide(user=staff["haddad"], client_id=cid["c1"], legal_request_id=rid,
                               outcome="legal_step", step="motion_to_quash", revisit_on=revisit)
    assert out["disclosure"] is None and out["legal_request"]["status"] == "on_hold"
    assert Disclosure.objects.filter(client_id=cid["c1"]).count() == before
    assert AuditEvent.objects.filter(actor=str(staff["haddad"].pk), action="write", purpose="HOPERAT").exists()
    # The clinician sees the outcome on the request.
    (view,) = [r for r in legal_requests_list(user=staff["marsh"], client_id=cid["c1"]) if r["id"] == rid]
    assert view["privacy_officer"][0]["step"] == "motion_to_quash"
    assert any("motion to quash" in line and revisit in line for line in view["explanation"])
    (listed,) = [r for r in held_legal_requests(user=staff["haddad"]) if r["id"] == rid]
    assert listed["revisit_on"] == revisit


def test_release_under_the_order_goes_out_once_and_the_accounting_notes_the_promise(staff, cid):
    rid = _held_order(staff, cid)
    out = legal_request_decide(user=staff["haddad"], client_id=cid["c1"], legal_request_id=rid, outcome="release",
                               note="Counsel advises the order is valid; quash unlikely.")
    assert out["legal_request"]["status"] == "released"
    assert out["disclosure"]["categories"] == ["progress_notes"] and out["disclosure"]["accountable"]
    assert out["disclosure"]["rule_ids"] == ["INT-PRIVACY-OFFICER-ORDER"]
    # The summary the privacy officer gets back names categories, never content.
    assert "Talked it through" not in str(out)
    (entry,) = [e for e in accounting_of_disclosures(user=staff["marsh"], client_id=cid["c1"])["entries"]
                if e["id"] == out["disclosure"]["id"]]
    assert entry["required"] and "PRACTICE-PROMISE-REPRODUCTIVE" in entry["basis"]["description"]
    assert "privacy officer" in entry["basis"]["description"]
    (view,) = [r for r in legal_requests_list(user=staff["marsh"], client_id=cid["c1"]) if r["id"] == rid]
    assert view["status"] == "released" and view["privacy_officer"][0]["outcome"] == "release"
    assert any("despite the practice promise" in line for line in view["explanation"])
    assert rid not in [r["id"] for r in held_legal_requests(user=staff["haddad"])]
    with pytest.raises(InvalidInput):
        legal_request_decide(user=staff["haddad"], client_id=cid["c1"], legal_request_id=rid, outcome="release")


def test_the_privacy_officer_never_reads_the_chart_or_the_packet(staff, cid):
    rid = _held_order(staff, cid)
    out = legal_request_decide(user=staff["haddad"], client_id=cid["c1"], legal_request_id=rid, outcome="release")
    with pytest.raises(NotFound):
        disclosure_document(user=staff["haddad"], client_id=cid["c1"], disclosure_id=out["disclosure"]["id"])
    with pytest.raises(NotFound):
        chart_open(user=staff["haddad"], client_id=cid["c1"], purpose="HOPERAT")


def test_without_the_officers_decision_the_order_does_not_leave(staff, cid):
    """The flag alone is the privacy officer's: a clinician cannot decide, and the
    admin's disclose rule needs the decision flag."""
    rid = _held_order(staff, cid)
    with pytest.raises(NotFound):
        legal_request_decide(user=staff["marsh"], client_id=cid["c1"], legal_request_id=rid, outcome="release")
    with pytest.raises(Forbidden):
        held_legal_requests(user=staff["marsh"])
    basis = Basis(kind="court_order", citation="45 CFR 164.512(e)(1)(i)", description="Order",
                  scope=frozenset({"progress_notes"}), flags=frozenset({"signed_by_judge"}))
    with pytest.raises(NotFound):
        disclosure_packet_build(user=staff["haddad"], client_id=cid["c1"], purpose="HLEGAL", basis=basis,
                                recipient=Recipient(name=COURT["name"], kind="court"), categories={"progress_notes"})
    assert LegalRequest.objects.get(id=rid).status == "on_hold"


@pytest.mark.parametrize("kwargs, message", [
    ({"outcome": "legal_step", "step": "motion_to_quash"}, "revisit_on: required"),
    ({"outcome": "legal_step", "step": "motion_to_quash", "revisit_on": "today"}, "revisit_on: give a date"),
    ({"outcome": "legal_step", "step": "ignore_it", "revisit_on": "2099-01-01"}, "step: one of"),
    ({"outcome": "release", "step": "motion_to_quash"}, "step: only a legal step"),
    ({"outcome": "obey"}, "outcome: release or legal_step"),
])
def test_bad_decisions_are_one_line_and_change_nothing(staff, cid, kwargs, message):
    rid = _held_order(staff, cid)
    before = LegalRequest.objects.get(id=rid).body_enc
    if kwargs.get("revisit_on") == "today":  # the practice's today, not UTC's
        kwargs = {**kwargs, "revisit_on": local_today(staff["haddad"].practice_id).isoformat()}
    with pytest.raises(InvalidInput) as err:
        legal_request_decide(user=staff["haddad"], client_id=cid["c1"], legal_request_id=rid, **kwargs)
    assert str(err.value).startswith(message) and "\n" not in str(err.value)
    assert LegalRequest.objects.get(id=rid).body_enc == before


def test_an_order_not_held_for_a_promise_is_not_the_officers_to_decide(staff, cid):
    req = legal_request_record(user=staff["marsh"], client_id=cid["c1"], kind="court_order", data={
        "requester": COURT, "court": COURT["name"], "judge": "Hon. R. Example", "signed_by_judge": True,
        "categories": ["billing"]})
    with pytest.raises(InvalidInput):
        legal_request_decide(user=staff["haddad"], client_id=cid["c1"], legal_request_id=req["id"], outcome="release")
    assert LegalRequest.objects.get(id=req["id"]).status == "ready"


def test_the_decision_over_the_api(staff, cid, api_client):
    rid = _held_order(staff, cid)
    officer = api_client(staff["haddad"])
    listed = officer.get(f"{API_PREFIX}/privacy-officer/legal-requests")
    assert listed.status_code == 200 and rid in [r["id"] for r in listed.json()]
    url = f"{API_PREFIX}/clients/{cid['c1']}/legal-requests/decisions"
    bad = officer.post(url, data={"legal_request_id": rid, "outcome": "legal_step", "step": "motion_to_quash"},
                       content_type="application/json")
    assert bad.status_code == 400 and "revisit_on" in one_line_json(bad)["message"]
    clinician = api_client(staff["marsh"]).post(url, data={"legal_request_id": rid, "outcome": "release"},
                                                content_type="application/json")
    assert clinician.status_code == 404
    done = officer.post(url, data={"legal_request_id": rid, "outcome": "release"}, content_type="application/json")
    assert done.status_code == 201 and done.json()["disclosure"]["categories"] == ["progress_notes"]
    assert done.json()["legal_request"]["status"] == "released"
