"""The disclosure core: one door, minimum necessary, the accounting entry, refusals."""

from __future__ import annotations

import pytest

from confide.apps.records.models import Disclosure, Obligation, ProgressNote
from confide.core.errors import NotFound, Refused
from confide.services.disclosures.packet import (
    Basis,
    Recipient,
    disclosure_document,
    disclosure_packet_build,
)
from confide.services.topics import topics_tag

ORDER = Basis(kind="court_order", citation="45 CFR 164.512(e)(1)(i)", description="Order of the court, case 26-2-0001",
              scope=frozenset({"billing", "diagnosis"}), flags=frozenset({"signed_by_judge"}))
COURT = Recipient(name="Pierce County Superior Court", kind="court", address="930 Tacoma Ave S")


def test_court_order_releases_exactly_what_it_names(staff, cid):
    out = disclosure_packet_build(user=staff["marsh"], client_id=cid["c1"], recipient=COURT, purpose="HLEGAL",
                                  basis=ORDER, categories={"identity", "billing", "diagnosis", "progress_notes"})
    assert out["categories"] == ["billing", "diagnosis"]
    assert out["accountable"] is True
    assert [o["kind"] for o in out["obligations"]] == ["notify_client"]
    packet = disclosure_document(user=staff["marsh"], client_id=cid["c1"], disclosure_id=out["id"])
    assert set(packet["sections"]) == {"billing", "diagnosis"}
    pdf = disclosure_document(user=staff["marsh"], client_id=cid["c1"], disclosure_id=out["id"], fmt="pdf")
    assert pdf.startswith(b"%PDF")
    bundle = disclosure_document(user=staff["marsh"], client_id=cid["c1"], disclosure_id=out["id"], fmt="fhir")
    assert bundle["resourceType"] == "Bundle"
    assert Obligation.objects.filter(client_id=cid["c1"], status="open").count() == 1


def test_unrelated_clinician_gets_not_found_and_nothing_is_written(staff, cid):
    before = Disclosure.objects.count()
    with pytest.raises(NotFound):
        disclosure_packet_build(user=staff["marsh"], client_id=cid["c2"], recipient=COURT, purpose="HLEGAL",
                                basis=ORDER, categories={"billing"})
    assert Disclosure.objects.count() == before


def test_promise_blocks_a_disclosure_touching_its_topic(staff, cid):
    note = ProgressNote.objects.filter(client_id=cid["c1"]).first()
    topics_tag(practice_id=note.practice_id, client_id=note.client_id, record=note, category="progress_notes",
               topics=["abortion"])
    basis = Basis(kind="court_order", citation="45 CFR 164.512(e)(1)(i)", description="Order",
                  scope=frozenset({"progress_notes"}), flags=frozenset({"signed_by_judge"}))
    with pytest.raises(Refused) as err:
        disclosure_packet_build(user=staff["marsh"], client_id=cid["c1"], recipient=COURT, purpose="HLEGAL",
                                basis=basis, categories={"progress_notes"})
    assert "PRACTICE-PROMISE-REPRODUCTIVE" in err.value.rule_ids
