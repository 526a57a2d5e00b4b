"""The client's own request (issue 3, exception 6; RULES.md 1.10, S1): everything but
psychotherapy notes, and the 30-day clock with one extension of up to 30 days."""

from __future__ import annotations

from datetime import timedelta

import pytest

from confide.apps.records.models import Disclosure, RecordRequest
from confide.core.errors import InvalidInput, NotFound
from confide.services import charting
from confide.services.disclosures import record_requests as rr
from confide.services.disclosures.packet import disclosure_document
from tests.dates import practice_today

TODAY = practice_today()


def test_s1_the_clients_own_request_everything_but_psychotherapy_notes(staff, cid):
    marsh = staff["marsh"]
    charting.psychotherapy_note_create(user=marsh, client_id=cid["c1"], session_date=TODAY, text="Process note Ibis.")
    filed = rr.record_request_create(user=staff["lvarga"], client_id=cid["c1"], format="pdf")  # via the portal/API
    assert (filed["filed_by"], filed["received_on"], filed["due_on"]) == (
        "client", TODAY.isoformat(), (TODAY + timedelta(days=30)).isoformat())
    assert filed["open"] and filed["days_left"] == 30 and not filed["overdue"]
    out = rr.record_request_fulfil(user=marsh, client_id=cid["c1"], request_id=filed["id"], delivery="portal")
    disclosure = out["disclosure"]
    assert "psychotherapy_notes" not in disclosure["categories"]
    assert {"identity", "contact", "diagnosis", "medications", "progress_notes", "treatment_plan", "appointments",
            "billing", "progress_summary"} <= set(disclosure["categories"])
    assert disclosure["rule_ids"] == ["US-HIPAA-ACCESS-REQUEST"]
    assert disclosure["accountable"] is False  # 164.528(a)(1)(ii): the client's own access
    packet = disclosure_document(user=marsh, client_id=cid["c1"], disclosure_id=disclosure["id"])
    assert "Ibis" not in str(packet) and packet["recipient"]["kind"] == "client"
    assert packet["basis"]["kind"] == "client_request" and packet["purpose"] == "PATRQT"
    done = out["request"]
    assert done["fulfilled_at"] and not done["open"] and done["disclosure_id"] == disclosure["id"]
    with pytest.raises(InvalidInput) as err:
        rr.record_request_fulfil(user=marsh, client_id=cid["c1"], request_id=filed["id"])
    assert str(err.value) == "request: already fulfilled"
    # the client sees the request as fulfilled
    mine = rr.record_request_list(user=staff["lvarga"], client_id=cid["c1"])
    assert [(r["id"], r["open"]) for r in mine] == [(filed["id"], False)]


def test_the_clock_written_request_received_earlier_overdue_then_fulfilled(staff, cid):
    marsh = staff["marsh"]
    late = rr.record_request_create(user=marsh, client_id=cid["c1"], format="paper",
                                    received_on=TODAY - timedelta(days=35))
    fresh = rr.record_request_create(user=marsh, client_id=cid["c6"], format="fhir",
                                     received_on=TODAY - timedelta(days=10))
    assert late["filed_by"] == "staff" and late["overdue"] and late["days_left"] == -5
    overdue = rr.record_requests_overdue(user=marsh)
    assert [r["id"] for r in overdue] == [late["id"]] and overdue[0]["client_name"] == "Lena"
    assert [r["id"] for r in rr.record_requests_open(user=marsh)] == [late["id"], fresh["id"]]
    # an extension is given within the first 30 days only
    with pytest.raises(InvalidInput) as err:
        rr.record_request_extend(user=marsh, client_id=cid["c1"], request_id=late["id"], reason="Scanning.")
    assert str(err.value) == "request: an extension must be given within the first 30 days"
    rr.record_request_fulfil(user=marsh, client_id=cid["c1"], request_id=late["id"], delivery="mail")
    assert rr.record_requests_overdue(user=marsh) == []


def test_one_extension_of_up_to_30_days_with_the_reason(staff, cid):
    marsh = staff["marsh"]
    req = rr.record_request_create(user=marsh, client_id=cid["c1"], format="pdf",
                                   received_on=TODAY - timedelta(days=20))
    out = rr.record_request_extend(user=marsh, client_id=cid["c1"], request_id=req["id"],
                                   reason="Records from the prior provider are still being scanned.", days=30)
    assert out["extended_to"] == (TODAY + timedelta(days=40)).isoformat() and out["days_left"] == 40
    assert out["extension_reason"] == "Records from the prior provider are still being scanned."
    with pytest.raises(InvalidInput) as err:
        rr.record_request_extend(user=marsh, client_id=cid["c1"], request_id=req["id"], reason="Again.", days=5)
    assert str(err.value) == "request: already extended once (45 CFR 164.524(b)(2))"
    # past the first 30 days but within the extension: not overdue
    row = RecordRequest.objects.get(id=req["id"])
    row.received_on, row.due_on = TODAY - timedelta(days=45), TODAY - timedelta(days=15)
    row.extended_to = TODAY + timedelta(days=15)
    row.save()
    assert rr.record_requests_overdue(user=marsh) == []
    assert rr.record_requests_open(user=marsh)[0]["days_left"] == 15


@pytest.mark.parametrize("kw,message", [
    ({"reason": ""}, "reason: one line (up to 500 characters) saying why more time is needed"),
    ({"reason": "two\nlines"}, "reason: one line (up to 500 characters) saying why more time is needed"),
    ({"days": 31}, "days: 1 to 30"),
    ({"days": 0}, "days: 1 to 30"),
    ({"request_id": "nope"}, "request_id: not an id"),
])
def test_extension_bad_input_writes_nothing(staff, cid, rows, kw, message):
    req = rr.record_request_create(user=staff["marsh"], client_id=cid["c1"], format="pdf")
    args = {"reason": "Scanning.", "days": 10, "request_id": req["id"], **kw}
    before = rows(RecordRequest)
    with pytest.raises(InvalidInput) as err:
        rr.record_request_extend(user=staff["marsh"], client_id=cid["c1"], **args)
    assert str(err.value) == message
    assert rows(RecordRequest) == before
    assert RecordRequest.objects.get(id=req["id"]).extended_to is None


@pytest.mark.parametrize("kw,message", [
    ({"format": "docx"}, "format: one of pdf, fhir, paper"),
    ({"received_on": (TODAY + timedelta(days=1)).isoformat()}, "received_on: a day within the past year"),
    ({"received_on": "yesterday"}, "received_on: expected a date as YYYY-MM-DD"),
])
def test_create_bad_input_writes_nothing(staff, cid, rows, kw, message):
    before = rows(RecordRequest)
    with pytest.raises(InvalidInput) as err:
        rr.record_request_create(user=staff["marsh"], client_id=cid["c1"], **{"format": "pdf", **kw})
    assert str(err.value) == message
    assert rows(RecordRequest) == before


def test_the_client_files_but_does_not_extend_fulfil_or_backdate(staff, cid):
    lena = staff["lvarga"]
    with pytest.raises(InvalidInput):
        rr.record_request_create(user=lena, client_id=cid["c1"], format="pdf", received_on=TODAY)
    req = rr.record_request_create(user=lena, client_id=cid["c1"], format="pdf")
    with pytest.raises(NotFound):
        rr.record_request_extend(user=lena, client_id=cid["c1"], request_id=req["id"], reason="I am in no hurry.")
    before = Disclosure.objects.count()
    with pytest.raises(NotFound):
        rr.record_request_fulfil(user=lena, client_id=cid["c1"], request_id=req["id"])
    assert Disclosure.objects.count() == before


@pytest.mark.parametrize("username,key", [("lindqvist", "c1"), ("lvarga", "c6"), ("haddad", "c1"),
                                          ("acastellanos", "c3")])
def test_no_relationship_no_request(staff, cid, username, key):
    with pytest.raises(NotFound):
        rr.record_request_create(user=staff[username], client_id=cid[key], format="pdf")
    with pytest.raises(NotFound):
        rr.record_request_list(user=staff[username], client_id=cid[key])


def test_the_open_clock_lists_only_clients_the_caller_may_list(staff, cid):
    rr.record_request_create(user=staff["marsh"], client_id=cid["c1"], format="pdf")
    rr.record_request_create(user=staff["okafor"], client_id=cid["c2"], format="pdf")
    assert {r["client_name"] for r in rr.record_requests_open(user=staff["marsh"])} == {"Lena"}
    assert {r["client_name"] for r in rr.record_requests_open(user=staff["okafor"])} == {"Des"}
    for username in ("haddad", "pellham", "fontaine", "lindqvist", "acastellanos"):
        assert rr.record_requests_open(user=staff[username]) == []
    # a client's own list is their own request
    assert {r["client_name"] for r in rr.record_requests_open(user=staff["lvarga"])} == {"Lena"}


def test_a_request_of_another_client_is_not_found(staff, cid):
    req = rr.record_request_create(user=staff["marsh"], client_id=cid["c6"], format="pdf")
    with pytest.raises(NotFound):
        rr.record_request_fulfil(user=staff["marsh"], client_id=cid["c1"], request_id=req["id"])
