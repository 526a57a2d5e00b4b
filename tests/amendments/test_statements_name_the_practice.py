"""Every read of a request to amend names the practice (Citus: a router query on the
practice's shard): the client files and reads it, the deciders list, read, extend,
accept and deny it, the client disagrees or asks for the denial to go along, the
decider rebuts, and a later disclosure of the disputed note carries the dispute.

The UPDATEs and DELETEs the workflows send are read the same way (a row saved is
updated by its id and its practice: PracticeScoped)."""

from __future__ import annotations

from confide.apps.records.models import ProgressNote
from confide.services.disclosures import amendments as am
from confide.services.disclosures.packet import Basis, Recipient, disclosure_packet_build
from tests.shards import assert_every_statement_names_the_practice, sent

ORDER = Basis(kind="court_order", citation="45 CFR 164.512(e)(1)(i)", description="Order of the court, case 26-2-0001",
              scope=frozenset({"progress_notes"}), flags=frozenset({"signed_by_judge"}))
COURT = Recipient(name="Pierce County Superior Court", kind="court", address="930 Tacoma Ave S")


def _ask(user, client_id, **extra) -> dict:
    return am.amendment_request_create(user=user, client_id=client_id,
                                       change="My note says I drink daily; I drink once a week.",
                                       reason="It is wrong and my insurer may read it.", **extra)


def test_a_request_to_amend_from_filing_to_the_travelling_dispute_names_the_practice_in_every_statement(staff, cid):
    client, marsh, officer, client_id = staff["lvarga"], staff["marsh"], staff["haddad"], cid["c1"]
    note = ProgressNote.objects.filter(client_id=client_id, status="signed").order_by("session_date").first()
    with sent() as statements:
        # filed by the client, read by them and by both deciders, extended, accepted
        req = _ask(client, client_id, notify=["Dr. Primary Care"])
        ids = {"client_id": client_id, "request_id": req["id"]}
        assert [r["id"] for r in am.amendment_request_list(user=client, client_id=client_id)] == [req["id"]]
        assert am.amendment_request_get(user=client, **ids)["status"] == "open"
        for decider in (marsh, officer):
            assert req["id"] in {r["id"] for r in am.amendment_requests_open(user=decider)}
            assert am.amendment_request_get(user=decider, **ids)["open"]
        am.amendment_request_extend(user=marsh, **ids, reason="Checking the old notes")
        accepted = am.amendment_request_accept(user=marsh, **ids, notify_more=["Blue Insurer"])
        assert [n["status"] for n in accepted["notices"]] == ["owed", "owed"]
        # denied on the note; the client disagrees, the officer reads it, the clinician rebuts
        denied = am.amendment_request_deny(user=marsh, **{**ids, "request_id": _ask(client, client_id)["id"]},
                                           ground="accurate_complete", explanation="You told me daily.",
                                           note_id=str(note.id))
        disputed = {"client_id": client_id, "request_id": denied["id"]}
        am.amendment_disagreement_file(user=client, **disputed, statement="I said daily of one bad week.")
        assert am.amendment_request_get(user=officer, **disputed)["may_rebut"]
        am.amendment_rebuttal_file(user=marsh, **disputed, text="The note records the client's own words.")
        # another denied; the client asks for it to go along; the decider declines to rebut a third
        other = am.amendment_request_deny(user=marsh, client_id=client_id, request_id=_ask(client, client_id)["id"],
                                          ground="accurate_complete", explanation="Accurate.")
        am.amendment_include_with_disclosures(user=client, client_id=client_id, request_id=other["id"])
        third = am.amendment_request_deny(user=marsh, client_id=client_id, request_id=_ask(client, client_id)["id"],
                                          ground="accurate_complete", explanation="Accurate.")
        am.amendment_disagreement_file(user=client, client_id=client_id, request_id=third["id"], statement="No.")
        am.amendment_rebuttal_decline(user=marsh, client_id=client_id, request_id=third["id"])
        # a later disclosure of the notes carries the disputes
        out = disclosure_packet_build(user=marsh, client_id=client_id, recipient=COURT, purpose="HLEGAL",
                                      basis=ORDER, categories={"progress_notes"})
        assert am.NOTICE_KIND in out["notices"]
    assert_every_statement_names_the_practice(statements, at_least=80)
