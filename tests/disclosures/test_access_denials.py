"""The client's right of access (45 CFR 164.524; RULES.md 1.10): a practice promise never
withholds the client's own record; only the grounds of ACC-1 to ACC-3 do, a reviewable
denial goes to a second licensed professional (ACC-4), and every denial is a written,
plain-language letter (ACC-9)."""

from __future__ import annotations

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import ProgressNote
from confide.core.errors import Forbidden, InvalidInput, Refused
from confide.services import charting
from confide.services.disclosures import access_denials as ad
from confide.services.disclosures import record_requests as rr
from confide.services.disclosures.packet import (
    Basis,
    Recipient,
    disclosure_document,
    disclosure_packet_build,
)
from tests.dates import practice_today


def _promised_note(staff, client_id):
    charting.progress_note_create(user=staff["marsh"], client_id=client_id, session_date=practice_today(),
                                  text="Talked through the abortion decision Heron.", topics=["abortion"])
    return ProgressNote.objects.filter(client_id=client_id).order_by("-created_at").first()


def test_a_promise_never_withholds_the_clients_own_record(staff, cid):
    _promised_note(staff, cid["c1"])
    filed = rr.record_request_create(user=staff["lvarga"], client_id=cid["c1"])
    out = rr.record_request_fulfil(user=staff["marsh"], client_id=cid["c1"], request_id=filed["id"])
    assert "progress_notes" in out["disclosure"]["categories"]
    packet = disclosure_document(user=staff["marsh"], client_id=cid["c1"], disclosure_id=out["disclosure"]["id"])
    assert "Heron" in str(packet["sections"]["progress_notes"])
    assert not any(r.startswith("PRACTICE-PROMISE") for r in out["disclosure"]["rule_ids"])


def test_the_promise_still_guards_the_same_note_from_anyone_else(staff, cid):
    _promised_note(staff, cid["c1"])
    basis = Basis(kind="release", citation="45 CFR 164.508", description="Authorization",
                  scope=frozenset({"progress_notes"}))
    with pytest.raises(Refused) as err:
        disclosure_packet_build(user=staff["marsh"], client_id=cid["c1"],
                                recipient=Recipient(name="Dr. Vale", kind="provider"), purpose="TREAT",
                                basis=basis, categories={"progress_notes"})
    assert "PRACTICE-PROMISE-REPRODUCTIVE" in err.value.rule_ids


def test_an_unreviewable_ground_withholds_only_its_part_with_a_plain_letter(staff, cid):
    marsh = staff["marsh"]
    filed = rr.record_request_create(user=staff["lvarga"], client_id=cid["c1"])
    denial = ad.access_denial_record(user=marsh, client_id=cid["c1"], request_id=filed["id"],
                                     ground="legal_proceeding", categories=["legal"],
                                     reason="Prepared for the custody hearing.")
    assert denial["reviewable"] is False and denial["citation"] == "45 CFR 164.524(a)(1)(ii)"
    letter = denial["letter"]
    assert "legal" in letter and "court or other legal proceeding" in letter
    assert "Office for Civil Rights" in letter and "Everything else in your record is given to you." in letter
    assert "not give a right to have this decision reviewed" in letter
    out = rr.record_request_fulfil(user=marsh, client_id=cid["c1"], request_id=filed["id"])
    assert out["request"]["withheld"] == ["legal"]
    assert "legal" not in out["disclosure"]["categories"] and "progress_notes" in out["disclosure"]["categories"]
    charting.care_team_assign(user=marsh, client_id=cid["c1"], staff_id=staff["okafor"].pk)
    with pytest.raises(InvalidInput):
        ad.access_denial_review(user=staff["okafor"], client_id=cid["c1"], request_id=filed["id"],
                                outcome="overturned", reason="No.")
    # the client reads their own letter
    assert ad.access_denial_of(user=staff["lvarga"], client_id=cid["c1"], request_id=filed["id"])["letter"] == letter


def test_a_reviewable_denial_goes_to_a_second_licensed_professional_whose_decision_is_followed(staff, cid):
    marsh, okafor, lindqvist = staff["marsh"], staff["okafor"], staff["lindqvist"]
    charting.record_add(user=marsh, client_id=cid["c1"], kind="risk_assessment",
                        data={"level": "high", "summary": "Formulation Kestrel"})
    filed = rr.record_request_create(user=staff["lvarga"], client_id=cid["c1"])
    # a pre-licensed clinician cannot make the ACC-3 judgement
    charting.care_team_assign(user=marsh, client_id=cid["c1"], staff_id=lindqvist.pk)
    with pytest.raises(Forbidden):
        ad.access_denial_record(user=lindqvist, client_id=cid["c1"], request_id=filed["id"],
                                ground="endangers_life", categories=["risk_assessment"], reason="Risk.")
    denial = ad.access_denial_record(user=marsh, client_id=cid["c1"], request_id=filed["id"],
                                     ground="endangers_life", categories=["risk_assessment"],
                                     reason="Reading the risk formulation now would likely provoke self-harm.")
    assert denial["reviewable"] and "ask for this decision to be reviewed" in denial["letter"]
    out = rr.record_request_fulfil(user=marsh, client_id=cid["c1"], request_id=filed["id"])
    assert "risk_assessment" not in out["disclosure"]["categories"]
    # the one who denied may not review
    with pytest.raises(Forbidden):
        ad.access_denial_review(user=marsh, client_id=cid["c1"], request_id=filed["id"], outcome="upheld",
                                reason="Still right.")
    charting.care_team_assign(user=marsh, client_id=cid["c1"], staff_id=okafor.pk)
    before = AuditEvent.objects.count()
    reviewed = ad.access_denial_review(user=okafor, client_id=cid["c1"], request_id=filed["id"],
                                       outcome="overturned", reason="The risk is managed; she may read it.")
    assert AuditEvent.objects.count() > before
    assert reviewed["review"]["outcome"] == "overturned"
    assert reviewed["disclosure"]["categories"] == ["risk_assessment"]
    mine = rr.record_request_list(user=staff["lvarga"], client_id=cid["c1"])
    assert mine[0]["withheld"] == []


def test_a_denial_needs_a_ground_the_law_names(staff, cid):
    filed = rr.record_request_create(user=staff["lvarga"], client_id=cid["c1"])
    with pytest.raises(InvalidInput) as err:
        ad.access_denial_record(user=staff["marsh"], client_id=cid["c1"], request_id=filed["id"],
                                ground="practice_promise", categories=["progress_notes"], reason="Abortion.")
    assert str(err.value).startswith("ground: one of legal_proceeding")
    with pytest.raises(InvalidInput):
        ad.access_denial_record(user=staff["marsh"], client_id=cid["c1"], request_id=filed["id"],
                                ground="endangers_life", categories=["psychotherapy_notes"], reason="x")
