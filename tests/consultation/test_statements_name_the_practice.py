"""Every read of a consultation names the practice (Citus: a router query on the
practice's shard): the overview, a draft disguised from the chart, its review and
list, the release through the packet builder and the released packet.

The UPDATEs and DELETEs the workflows send are read the same way (a row saved is
updated by its id and its practice: PracticeScoped)."""

from __future__ import annotations

from confide.services.disclosures.consultation import (
    consultation_draft,
    consultation_get,
    consultation_list,
    consultation_overview,
    consultation_packet,
    consultation_release,
)
from tests.consultation.helpers import make_notes
from tests.shards import assert_every_statement_names_the_practice, sent

CONSULTANT = {"name": "Dr. Priya Consult", "kind": "consultant"}


def test_a_consultation_from_draft_to_packet_names_the_practice_in_every_statement(staff, cid):
    marsh, client_id = staff["marsh"], cid["c1"]
    note_ids = make_notes(marsh, client_id)
    with sent() as statements:
        overview = consultation_overview(user=marsh, client_id=client_id)
        assert set(note_ids) <= {n["id"] for n in overview["notes"]}
        draft = consultation_draft(user=marsh, client_id=client_id, note_ids=note_ids)
        assert consultation_get(user=marsh, client_id=client_id, draft_id=draft["id"])["status"] == "draft"
        assert [d["id"] for d in consultation_list(user=marsh, client_id=client_id)] == [draft["id"]]
        released = consultation_release(user=marsh, client_id=client_id, draft_id=draft["id"],
                                        recipient=CONSULTANT, reviewed=True)
        assert released["disclosure"]["id"]
        assert consultation_packet(user=marsh, client_id=client_id, draft_id=draft["id"]).startswith(
            "Consultation case from")
        assert consultation_packet(user=marsh, client_id=client_id, draft_id=draft["id"],
                                   fmt="pdf").startswith(b"%PDF")
    assert_every_statement_names_the_practice(statements, at_least=25)
