"""Progress notes: drafts from templates, signing locks them, addenda correct them,
and only signed notes reach a packet."""

from __future__ import annotations

import pytest

from confide.apps.records.models import NoteAddendum, ProgressNote
from confide.core.errors import InvalidInput, NotFound
from confide.services import charting
from confide.services.charting.notes import compose_text
from confide.services.keys import client_data_key
from confide.services.projection import project_chart
from confide.apps.records.models import Client

SOAP = {"subjective": "Slept better this week.", "objective": "Calm, engaged.",
        "assessment": "Sleep goal improving.", "plan": "Continue the worry log."}


def _draft(staff, cid, sections=SOAP, template="SOAP"):
    return charting.note_draft_start(user=staff["marsh"], client_id=cid["c1"], session_date="2026-12-01",
                                     template=template, sections=sections)


def test_a_draft_saves_and_composes_its_sections(staff, cid):
    nid = _draft(staff, cid, sections={})
    saved = charting.note_draft_save(user=staff["marsh"], note_id=nid, sections=SOAP)
    assert saved["status"] == "draft"
    note = charting.note_get(user=staff["marsh"], note_id=nid)
    assert note["sections"] == SOAP
    assert note["text"].startswith("Subjective: Slept better this week.\n\nObjective: Calm, engaged.")
    assert ProgressNote.objects.get(id=nid).status == "draft"


def test_templates_have_their_own_sections(staff, cid):
    with pytest.raises(InvalidInput, match="unknown section 'subjective'"):
        _draft(staff, cid, sections={"subjective": "x"}, template="BIRP")
    nid = _draft(staff, cid, sections={"note": "A free note."}, template="free")
    assert charting.note_get(user=staff["marsh"], note_id=nid)["text"] == "A free note."
    assert compose_text("DAP", {"data": "d", "plan": "p"}) == "Data: d\n\nPlan: p"


def test_the_practice_chooses_its_templates(staff, cid):
    with pytest.raises(InvalidInput):
        charting.note_templates_set(user=staff["marsh"], templates=["SOAP"])
    assert charting.note_templates_set(user=staff["haddad"], templates=["DAP", "SOAP"]) == ["SOAP", "DAP"]
    assert charting.note_templates_in_use(staff["marsh"].practice_id) == ["SOAP", "DAP"]
    with pytest.raises(InvalidInput, match="does not use the BIRP template"):
        _draft(staff, cid, sections={}, template="BIRP")


def test_a_signed_note_never_changes(staff, cid):
    nid = _draft(staff, cid)
    assert charting.note_sign(user=staff["marsh"], note_id=nid) == "signed"
    before = ProgressNote.objects.get(id=nid)
    with pytest.raises(InvalidInput, match="signed and locked"):
        charting.note_draft_save(user=staff["marsh"], note_id=nid, sections={**SOAP, "plan": "changed"})
    with pytest.raises(InvalidInput, match="already signed"):
        charting.note_sign(user=staff["marsh"], note_id=nid)
    after = ProgressNote.objects.get(id=nid)
    assert bytes(after.body_enc) == bytes(before.body_enc)
    assert after.signed_at == before.signed_at and after.status == "signed"
    signature = charting.note_get(user=staff["marsh"], note_id=nid)["signature"]
    assert signature["signed_by"] == staff["marsh"].full_name and len(signature["sha256"]) == 64


def test_an_empty_note_cannot_be_signed(staff, cid):
    nid = _draft(staff, cid, sections={})
    with pytest.raises(InvalidInput, match="empty"):
        charting.note_sign(user=staff["marsh"], note_id=nid)


def test_addenda_correct_a_signed_note_with_author_and_time(staff, cid):
    nid = _draft(staff, cid)
    with pytest.raises(InvalidInput, match="addenda are for signed notes"):
        charting.note_addendum_add(user=staff["marsh"], note_id=nid, text="too early")
    charting.note_sign(user=staff["marsh"], note_id=nid)
    charting.note_addendum_add(user=staff["marsh"], note_id=nid, text="Correction: the log is daily.")
    note = charting.note_get(user=staff["marsh"], note_id=nid)
    assert note["text"].endswith("Plan: Continue the worry log.")  # unchanged
    [addendum] = note["addenda"]
    assert addendum["text"] == "Correction: the log is daily." and addendum["author"] == staff["marsh"].full_name
    assert addendum["at"] is not None
    assert NoteAddendum.objects.filter(note_id=nid).count() == 1


def test_only_the_author_edits_signs_and_sees_a_draft(staff, cid):
    nid = charting.note_draft_start(user=staff["okafor"], client_id=cid["c2"], template="SOAP")
    with pytest.raises(NotFound):  # no relationship to the chart at all
        charting.note_draft_save(user=staff["marsh"], note_id=nid, sections=SOAP)
    with pytest.raises(NotFound):
        charting.note_get(user=staff["marsh"], note_id=nid)
    with pytest.raises(NotFound):
        charting.note_sign(user=staff["marsh"], note_id="not-a-note")


def test_a_clinician_with_no_relationship_cannot_start_a_note(staff, cid):
    with pytest.raises(NotFound):
        charting.note_draft_start(user=staff["lindqvist"], client_id=cid["c1"], template="SOAP")


def test_history_pages_by_keyset_newest_first(staff, cid):
    ids = []
    for day in ("2026-11-01", "2026-11-02", "2026-11-03", "2026-11-03", "2026-11-04"):
        ids.append(charting.progress_note_create(user=staff["marsh"], client_id=cid["c1"], session_date=day,
                                                 text=f"note of {day}"))
    seen, before = [], None
    while True:
        page = charting.notes_page(user=staff["marsh"], client_id=cid["c1"], before=before, limit=2)
        seen += [n["id"] for n in page["notes"]]
        assert len(page["notes"]) <= 2
        before = page["next"]
        if before is None:
            break
    total = ProgressNote.objects.filter(client_id=cid["c1"]).count()
    assert len(seen) == len(set(seen)) == total
    dates = [ProgressNote.objects.get(id=i).session_date for i in seen]
    assert dates == sorted(dates, reverse=True)
    assert set(map(str, ids)) <= set(seen)
    with pytest.raises(InvalidInput):
        charting.notes_page(user=staff["marsh"], client_id=cid["c1"], before="garbage")


def test_drafts_and_unsigned_notes_never_leave(staff, cid):
    draft = _draft(staff, cid)
    signed = _draft(staff, cid)
    charting.note_sign(user=staff["marsh"], note_id=signed)
    charting.note_addendum_add(user=staff["marsh"], note_id=signed, text="Added later.")
    client = Client.objects.get(id=cid["c1"])
    chart = project_chart(staff["marsh"], client, client_data_key(client.id), frozenset({"progress_notes"}))
    ids = {n["id"] for n in chart["progress_notes"]}
    assert str(signed) in ids and str(draft) not in ids
    [mine] = [n for n in chart["progress_notes"] if n["id"] == str(signed)]
    assert mine["addenda"][0]["text"] == "Added later."
    assert ProgressNote.objects.filter(client_id=cid["c1"]).exclude(status="signed").exists()
    assert len(ids) == ProgressNote.objects.filter(client_id=cid["c1"], status="signed").count()
