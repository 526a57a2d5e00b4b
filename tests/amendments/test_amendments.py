"""A client's request to amend their record (45 CFR 164.526; RULES.md 1.11): the
60-day clock and its one extension, acceptance (the amendment entry, an addendum on a
named note, the people owed a notice), denial on the allowed grounds only, the
client's statement of disagreement, the audit and existence secrecy."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.apps.practice.models import User
from confide.apps.records.models import AmendmentRequest, NoteAddendum, ProgressNote
from confide.core.errors import Forbidden, InvalidInput, NotFound
from confide.services.disclosures import amendments as am
from tests.dates import practice_today

TODAY = practice_today()


def _asked(staff, cid, **extra) -> dict:
    return am.amendment_request_create(user=staff["lvarga"], client_id=cid["c1"],
                                       change="My note says I drink daily; I drink once a week.",
                                       reason="It is wrong and my insurer may read it.", **extra)


def test_the_client_asks_and_it_lands_on_the_deciders_lists_with_its_60_day_clock(staff, cid):
    req = _asked(staff, cid, record="note of last Tuesday", notify=["Dr. Primary Care"])
    assert req["received_on"] == TODAY.isoformat() and req["status"] == "open"
    assert req["due_on"] == (TODAY + timedelta(days=60)).isoformat() and req["days_left"] == 60
    for decider in (staff["haddad"], staff["marsh"]):
        (listed,) = [r for r in am.amendment_requests_open(user=decider) if r["id"] == req["id"]]
        assert listed["due_on"] == req["due_on"] and not listed["overdue"]
        assert listed["client_ref"] and "Varga" not in str(listed) and "drink" not in str(listed)
    (mine,) = am.amendment_request_list(user=staff["lvarga"], client_id=cid["c1"])
    assert mine["change"].startswith("My note says") and mine["notify"] == ["Dr. Primary Care"]
    # The officer reads the request while it is open (not the chart).
    assert am.amendment_request_get(user=staff["haddad"], client_id=cid["c1"], request_id=req["id"])["id"]


def test_bad_input_is_one_line_and_changes_nothing(staff, cid):
    with pytest.raises(InvalidInput, match="^change: is empty$"):
        am.amendment_request_create(user=staff["lvarga"], client_id=cid["c1"], change=" ", reason="x")
    with pytest.raises(InvalidInput, match="^reason: at most"):
        am.amendment_request_create(user=staff["lvarga"], client_id=cid["c1"], change="x", reason="y" * 5000)
    with pytest.raises(InvalidInput, match="^notify"):
        am.amendment_request_create(user=staff["lvarga"], client_id=cid["c1"], change="x", reason="y",
                                    notify=[str(i) for i in range(20)])
    with pytest.raises((Forbidden, NotFound)):
        am.amendment_request_create(user=staff["pellham"], client_id=cid["c1"], change="x", reason="y")
    assert not AmendmentRequest.objects.exists()
    # The treating clinician records a written request that arrived.
    assert am.amendment_request_create(user=staff["marsh"], client_id=cid["c1"], change="x",
                                       reason="y")["filed_by"] == "staff"


def test_the_clock_is_extended_once_with_a_reason_the_client_sees(staff, cid):
    req = _asked(staff, cid)
    with pytest.raises(InvalidInput, match="reason"):
        am.amendment_request_extend(user=staff["marsh"], client_id=cid["c1"], request_id=req["id"], reason=" ")
    with pytest.raises(InvalidInput, match="days: 1 to 30"):
        am.amendment_request_extend(user=staff["marsh"], client_id=cid["c1"], request_id=req["id"],
                                    reason="Checking the old notes", days=45)
    out = am.amendment_request_extend(user=staff["marsh"], client_id=cid["c1"], request_id=req["id"],
                                      reason="Checking the old notes")
    assert out["extended_to"] == (TODAY + timedelta(days=90)).isoformat() and out["days_left"] == 90
    with pytest.raises(InvalidInput, match="already extended once"):
        am.amendment_request_extend(user=staff["haddad"], client_id=cid["c1"], request_id=req["id"],
                                    reason="again")
    (mine,) = am.amendment_request_list(user=staff["lvarga"], client_id=cid["c1"])
    assert mine["extension_reason"] == "Checking the old notes"


def test_an_extension_after_the_60_days_is_refused_and_the_request_shows_overdue(staff, cid):
    req = _asked(staff, cid)
    AmendmentRequest.objects.filter(id=req["id"]).update(received_on=TODAY - timedelta(days=61),
                                                         due_on=TODAY - timedelta(days=1))
    (listed,) = [r for r in am.amendment_requests_open(user=staff["haddad"]) if r["id"] == req["id"]]
    assert listed["overdue"] and listed["days_left"] == -1
    with pytest.raises(InvalidInput, match="before the 60 days run out"):
        am.amendment_request_extend(user=staff["haddad"], client_id=cid["c1"], request_id=req["id"], reason="late")


def test_accepting_appends_an_addendum_to_the_named_note_and_records_the_notices_owed(staff, cid):
    note = ProgressNote.objects.filter(client_id=cid["c1"], status="signed").first()
    assert note is not None
    req = _asked(staff, cid, notify=["Dr. Primary Care"])
    out = am.amendment_request_accept(user=staff["marsh"], client_id=cid["c1"], request_id=req["id"],
                                      note_id=str(note.id), notify_more=["Blue Insurer"])
    assert out["status"] == "accepted" and out["decision"]["addendum_id"]
    assert [n["to"] for n in out["notices"]] == ["Dr. Primary Care", "Blue Insurer"]
    assert all(n["status"] == "owed" for n in out["notices"])
    assert NoteAddendum.objects.filter(id=out["decision"]["addendum_id"], note=note).exists()
    with pytest.raises(InvalidInput, match="already decided"):
        am.amendment_request_deny(user=staff["marsh"], client_id=cid["c1"], request_id=req["id"],
                                  ground="accurate_complete", explanation="x")
    # The officer's door closes once nothing is open: the chart was never theirs.
    with pytest.raises(NotFound):
        am.amendment_request_get(user=staff["haddad"], client_id=cid["c1"], request_id=req["id"])


def test_the_officer_accepts_as_an_amendment_entry_but_never_writes_into_a_note(staff, cid):
    note = ProgressNote.objects.filter(client_id=cid["c1"], status="signed").first()
    req = _asked(staff, cid)
    with pytest.raises(InvalidInput, match="note_id"):
        am.amendment_request_accept(user=staff["haddad"], client_id=cid["c1"], request_id=req["id"],
                                    note_id=str(note.id))
    out = am.amendment_request_accept(user=staff["haddad"], client_id=cid["c1"], request_id=req["id"],
                                      amendment="Alcohol: once a week (corrected at the client's request).")
    assert out["decision"]["amendment"].startswith("Alcohol: once a week") and out["notices"] == []


def test_denial_only_on_the_allowed_grounds_then_the_client_may_disagree_once(staff, cid):
    req = _asked(staff, cid)
    with pytest.raises(InvalidInput, match="^ground: one of"):
        am.amendment_request_deny(user=staff["marsh"], client_id=cid["c1"], request_id=req["id"],
                                  ground="we_disagree", explanation="no")
    with pytest.raises(InvalidInput, match="statement of disagreement follows a denial"):
        am.amendment_disagreement_file(user=staff["lvarga"], client_id=cid["c1"], request_id=req["id"],
                                       statement="I disagree")
    out = am.amendment_request_deny(user=staff["marsh"], client_id=cid["c1"], request_id=req["id"],
                                    ground="accurate_complete", explanation="You told me daily in session.")
    assert out["status"] == "denied" and "164.526(a)(2)(iv)" in out["decision"]["ground_words"]
    assert out["may_disagree"]
    filed = am.amendment_disagreement_file(user=staff["lvarga"], client_id=cid["c1"], request_id=req["id"],
                                           statement="I said daily in a bad week, not every day.")
    assert filed["disagreement"]["text"].startswith("I said daily") and not filed["may_disagree"]
    with pytest.raises(InvalidInput, match="already filed"):
        am.amendment_disagreement_file(user=staff["lvarga"], client_id=cid["c1"], request_id=req["id"],
                                       statement="again")
    # Kept with the record: the treating clinician sees it with the request.
    (seen,) = am.amendment_request_list(user=staff["marsh"], client_id=cid["c1"])
    assert seen["disagreement"]["text"].startswith("I said daily")


def test_only_the_treating_clinician_or_the_officer_decides(staff, cid):
    req = _asked(staff, cid)
    others = User.objects.filter(practice_id=staff["marsh"].practice_id, role="clinician").exclude(
        care_team__client_id=cid["c1"])
    for other in others:
        with pytest.raises((Forbidden, NotFound)):
            am.amendment_request_accept(user=other, client_id=cid["c1"], request_id=req["id"])
    with pytest.raises(Forbidden):
        am.amendment_request_accept(user=staff["lvarga"], client_id=cid["c1"], request_id=req["id"])
    assert AmendmentRequest.objects.get(id=req["id"]).status == "open"


def test_a_request_one_may_not_see_answers_like_a_missing_one(staff, cid):
    req = _asked(staff, cid)
    for bad in (str(uuid.uuid4()), "not-an-id"):
        with pytest.raises(NotFound):
            am.amendment_request_get(user=staff["lvarga"], client_id=cid["c1"], request_id=bad)
    # Another client's record: the same answer as one that does not exist.
    with pytest.raises(NotFound):
        am.amendment_request_list(user=staff["lvarga"], client_id=cid["c2"])
    with pytest.raises(NotFound):
        am.amendment_request_list(user=staff["lvarga"], client_id=str(uuid.uuid4()))
    with pytest.raises(NotFound):
        am.amendment_request_get(user=staff["lvarga"], client_id=cid["c2"], request_id=req["id"])
    # The officer with nothing open for a client: as for one that does not exist.
    with pytest.raises(NotFound):
        am.amendment_request_get(user=staff["haddad"], client_id=cid["c2"], request_id=req["id"])


def test_every_step_is_audited_without_the_requests_words(staff, cid):
    before = AuditEvent.objects.count()
    req = _asked(staff, cid)
    am.amendment_request_extend(user=staff["marsh"], client_id=cid["c1"], request_id=req["id"], reason="More time")
    am.amendment_request_deny(user=staff["haddad"], client_id=cid["c1"], request_id=req["id"],
                              ground="not_created", explanation="The lab wrote it.")
    am.amendment_disagreement_file(user=staff["lvarga"], client_id=cid["c1"], request_id=req["id"],
                                   statement="I disagree.")
    events = list(AuditEvent.objects.order_by("seq")[before:]) if hasattr(AuditEvent, "seq") else list(
        AuditEvent.objects.all())[before:]
    steps = [str(e.__dict__) for e in events]
    for step in ("filed", "extended", "denied", "disagreement"):
        assert any(step in s for s in steps), step
    assert not any("drink" in s for s in steps)
