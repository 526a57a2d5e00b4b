"""A pre-licensed clinician's note waits in the supervisor's co-sign queue, counts as
unsigned until co-signed, and leaves no disclosure until then."""

from __future__ import annotations

import pytest

from confide.apps.records.models import Client, ProgressNote
from confide.core.errors import InvalidInput
from confide.services import charting
from confide.services.keys import client_data_key
from confide.services.projection import project_chart

SOAP = {"subjective": "Grief is heavy this week.", "objective": "Tearful, engaged.",
        "assessment": "Adjusting.", "plan": "Weekly sessions."}


def _signed_by_lindqvist(staff, cid):
    nid = charting.note_draft_start(user=staff["lindqvist"], client_id=cid["c5"], template="SOAP", sections=SOAP)
    assert charting.note_sign(user=staff["lindqvist"], note_id=nid) == "awaiting_cosign"
    return nid


def _leaves(staff, cid, nid) -> bool:
    client = Client.objects.get(id=cid["c5"])
    chart = project_chart(staff["okafor"], client, client_data_key(client.id), frozenset({"progress_notes"}))
    return str(nid) in {n["id"] for n in chart["progress_notes"]}


def test_the_note_waits_for_the_supervisor_then_is_signed(staff, cid):
    nid = _signed_by_lindqvist(staff, cid)
    assert str(nid) in {n["id"] for n in charting.cosign_queue(user=staff["okafor"])}
    assert str(nid) in {n["id"] for n in charting.awaiting_my_cosign(user=staff["lindqvist"])}
    assert not _leaves(staff, cid, nid)
    with pytest.raises(InvalidInput, match="signed and locked"):
        charting.note_draft_save(user=staff["lindqvist"], note_id=nid, sections=SOAP)

    assert charting.note_cosign(user=staff["okafor"], note_id=nid) == "signed"
    note = ProgressNote.objects.get(id=nid)
    assert note.cosigned_by == staff["okafor"] and note.cosigned_at is not None
    assert str(nid) not in {n["id"] for n in charting.cosign_queue(user=staff["okafor"])}
    assert _leaves(staff, cid, nid)
    signature = charting.note_get(user=staff["lindqvist"], note_id=nid)["signature"]
    assert signature["cosigned_by"] == staff["okafor"].full_name
    with pytest.raises(InvalidInput, match="not waiting"):
        charting.note_cosign(user=staff["okafor"], note_id=nid)


def test_the_supervisor_returns_it_with_a_comment(staff, cid):
    nid = _signed_by_lindqvist(staff, cid)
    with pytest.raises(InvalidInput):
        charting.note_return(user=staff["okafor"], note_id=nid, comment="  ")
    assert charting.note_return(user=staff["okafor"], note_id=nid, comment="Add the safety check.") == "returned"
    note = charting.note_get(user=staff["lindqvist"], note_id=nid)
    assert note["review"]["comment"] == "Add the safety check." and note["status"] == "returned"
    assert str(nid) in {n["id"] for n in charting.notes_to_sign(user=staff["lindqvist"])}
    charting.note_draft_save(user=staff["lindqvist"], note_id=nid, sections={**SOAP, "plan": "Safety check done."})
    assert charting.note_sign(user=staff["lindqvist"], note_id=nid) == "awaiting_cosign"
    assert not _leaves(staff, cid, nid)


def test_only_a_supervisor_of_the_author_cosigns(staff, cid):
    nid = _signed_by_lindqvist(staff, cid)
    for who in ("lindqvist", "marsh"):
        with pytest.raises(Exception) as err:
            charting.note_cosign(user=staff[who], note_id=nid)
        assert err.type.__name__ in ("InvalidInput", "NotFound")
    assert ProgressNote.objects.get(id=nid).status == "awaiting_cosign"


def test_a_licensed_clinicians_note_needs_no_cosign(staff, cid):
    nid = charting.note_draft_start(user=staff["marsh"], client_id=cid["c1"], template="SOAP", sections=SOAP)
    assert charting.note_sign(user=staff["marsh"], note_id=nid) == "signed"
    assert charting.cosign_queue(user=staff["marsh"]) == []


def test_the_one_step_create_also_waits_for_cosign(staff, cid):
    nid = charting.progress_note_create(user=staff["lindqvist"], client_id=cid["c5"], session_date="2026-12-01",
                                        text="Imported note.")
    assert ProgressNote.objects.get(id=nid).status == "awaiting_cosign"


def test_the_demo_leaves_one_note_in_the_queue(staff):
    queue = charting.cosign_queue(user=staff["okafor"])
    assert [n["author"] for n in queue] == [staff["lindqvist"].full_name]
