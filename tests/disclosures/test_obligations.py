"""Telling the client afterwards: each exception's obligation stays open and visible
until met (how the client was told) or waived (why telling would be unsafe or
unlawful), one line, stored encrypted."""

from __future__ import annotations

from datetime import timedelta

import pytest

from confide.apps.records.models import Obligation
from confide.core.errors import InvalidInput, NotFound
from confide.services.disclosures import insurers, obligations
from tests.dates import practice_today


@pytest.fixture
def report(staff, cid):
    """A managed-care report for Lena: one open notify_client obligation."""
    out = insurers.managed_care_report_build(user=staff["marsh"], client_id=cid["c1"], payer="Cascadia Health Plan")
    return out["obligations"][0]["id"]


def test_the_obligation_is_open_and_visible_with_what_was_disclosed(staff, cid, report):
    listed = obligations.obligation_list(user=staff["marsh"], client_id=cid["c1"])
    assert [o["id"] for o in listed] == [report]
    ob = listed[0]
    assert (ob["kind"], ob["status"], ob["overdue"]) == ("notify_client", "open", False)
    assert ob["due_on"] == (practice_today() + timedelta(days=14)).isoformat()
    assert ob["disclosure"]["recipient"]["name"] == "Cascadia Health Plan"
    assert ob["disclosure"]["basis"] == "payer_agreement"
    board = obligations.obligations_open(user=staff["marsh"])
    assert [(o["id"], o["client_name"]) for o in board] == [(report, "Lena")]
    # the supervisor of another clinician, the biller and the admin see nothing of it
    for username in ("okafor", "pellham", "haddad", "lindqvist"):
        assert obligations.obligations_open(user=staff[username]) == []


def test_overdue_obligations_come_first_and_stay_until_closed(staff, cid, report):
    Obligation.objects.filter(id=report).update(due_on=practice_today() - timedelta(days=1))
    insurers.managed_care_report_build(user=staff["marsh"], client_id=cid["c1"], payer="Cascadia Health Plan")
    board = obligations.obligations_open(user=staff["marsh"])
    assert [o["overdue"] for o in board] == [True, False] and board[0]["id"] == report


def test_met_records_how_the_client_was_told(staff, cid, report):
    out = obligations.obligation_close(user=staff["marsh"], client_id=cid["c1"], obligation_id=report, status="met",
                                       detail="Told Lena in session that the plan received a report. Kestrel.")
    assert out["status"] == "met" and out["how_told"].endswith("Kestrel.") and out["closed_at"]
    row = Obligation.objects.get(id=report)
    assert row.closed_by == staff["marsh"] and b"Kestrel" not in bytes(row.detail_enc)
    assert obligations.obligation_list(user=staff["marsh"], client_id=cid["c1"]) == []
    closed = obligations.obligation_list(user=staff["marsh"], client_id=cid["c1"], include_closed=True)
    assert [o["status"] for o in closed] == ["met"]
    with pytest.raises(InvalidInput) as err:
        obligations.obligation_close(user=staff["marsh"], client_id=cid["c1"], obligation_id=report,
                                     status="waived", detail="x")
    assert str(err.value) == "obligation: already closed"


def test_waived_records_why_and_the_client_does_not_read_the_why(staff, cid, report):
    obligations.obligation_close(user=staff["marsh"], client_id=cid["c1"], obligation_id=report, status="waived",
                                 detail="Telling her now would be unsafe: documented risk from a household member.")
    mine = obligations.obligation_list(user=staff["lvarga"], client_id=cid["c1"], include_closed=True)
    assert [(o["status"], o["why_not"]) for o in mine] == [("waived", None)]
    staff_view = obligations.obligation_list(user=staff["marsh"], client_id=cid["c1"], include_closed=True)
    assert staff_view[0]["why_not"].startswith("Telling her now would be unsafe")


@pytest.mark.parametrize("kw,message", [
    ({"status": "done"}, "status: met or waived"),
    ({"status": "met", "detail": ""}, "detail: one line (up to 500 characters) saying how the client was told"),
    ({"status": "waived", "detail": "   "},
     "detail: one line (up to 500 characters) saying why telling the client would be unsafe or unlawful"),
    ({"status": "waived", "detail": "two\nlines"},
     "detail: one line (up to 500 characters) saying why telling the client would be unsafe or unlawful"),
    ({"status": "met", "detail": "x" * 501}, "detail: one line (up to 500 characters) saying how the client was told"),
    ({"obligation_id": "nope"}, "obligation_id: not an id"),
])
def test_close_bad_input_writes_nothing_and_stays_open(staff, cid, report, rows, kw, message):
    args = {"status": "met", "detail": "Told her.", "obligation_id": report, **kw}
    before = rows(Obligation)
    with pytest.raises(InvalidInput) as err:
        obligations.obligation_close(user=staff["marsh"], client_id=cid["c1"], **args)
    assert str(err.value) == message
    assert rows(Obligation) == before
    assert Obligation.objects.get(id=report).status == "open"


@pytest.mark.parametrize("username", ["lvarga", "lindqvist", "pellham", "okafor"])
def test_only_a_treating_clinician_closes(staff, cid, report, username):
    with pytest.raises(NotFound):
        obligations.obligation_close(user=staff[username], client_id=cid["c1"], obligation_id=report, status="met",
                                     detail="Told her.")
    assert Obligation.objects.get(id=report).status == "open"


def test_an_obligation_of_another_client_is_not_found(staff, cid, report):
    with pytest.raises(NotFound):
        obligations.obligation_close(user=staff["marsh"], client_id=cid["c6"], obligation_id=report, status="met",
                                     detail="Told her.")


@pytest.mark.parametrize("username,key", [("lindqvist", "c1"), ("lvarga", "c6"), ("haddad", "c1")])
def test_no_relationship_sees_no_obligations(staff, cid, username, key):
    with pytest.raises(NotFound):
        obligations.obligation_list(user=staff[username], client_id=cid[key])
