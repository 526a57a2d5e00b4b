"""Progress notes, prepared documents, intake and the client directory name the practice
in their reads: on a database distributed on the practice (Citus), every SELECT their
workflows send filters each tenant table it reads by `practice_id`, so it is a router
query on the practice's shard (tests/shards.py). The least counts are what PostgreSQL
captures too (the door's statement is bound on the server there, logged without text).

The UPDATEs and DELETEs the workflows send are read the same way (a row saved is
updated by its id and its practice: PracticeScoped)."""

from __future__ import annotations

from datetime import date

from confide.services import charting, directory, documents, intake
from tests.messages.conftest import outbox  # noqa: F401  (a fixture: the invitation's outbox of the test's own)
from tests.shards import assert_every_statement_names_the_practice, sent

SOAP = {"subjective": "Grief is heavy this week.", "objective": "Tearful, engaged.",
        "assessment": "Adjusting.", "plan": "Weekly sessions."}


def test_a_notes_life_names_the_practice_in_every_statement(staff, cid):
    """Written, saved, signed, amended and read by a licensed clinician; a pre-licensed
    clinician's note returned and co-signed by their supervisor."""
    marsh, lindqvist, okafor = staff["marsh"], staff["lindqvist"], staff["okafor"]
    with sent() as statements:
        charting.note_templates_in_use(marsh.practice_id)
        nid = charting.note_draft_start(user=marsh, client_id=cid["c1"], template="SOAP", sections=SOAP)
        charting.note_draft_save(user=marsh, note_id=nid, sections={**SOAP, "plan": "Fortnightly."})
        charting.notes_to_sign(user=marsh)
        charting.note_sign(user=marsh, note_id=nid)
        charting.note_addendum_add(user=marsh, note_id=nid, text="Spoke with the client's GP.")
        charting.note_get(user=marsh, note_id=nid)
        charting.notes_page(user=marsh, client_id=cid["c1"], limit=2)
        waiting = charting.note_draft_start(user=lindqvist, client_id=cid["c5"], template="SOAP", sections=SOAP)
        charting.note_sign(user=lindqvist, note_id=waiting)
        charting.awaiting_my_cosign(user=lindqvist)
        charting.cosign_queue(user=okafor)
        charting.note_return(user=okafor, note_id=waiting, comment="Add the safety check.")
        charting.note_draft_save(user=lindqvist, note_id=waiting, sections={**SOAP, "plan": "Safety check done."})
        charting.note_sign(user=lindqvist, note_id=waiting)
        charting.note_cosign(user=okafor, note_id=waiting)
        charting.note_get(user=lindqvist, note_id=waiting)
    assert_every_statement_names_the_practice(statements, at_least=30)


def test_finding_clients_names_the_practice_in_every_statement(staff, cid):
    """Lists, pages, search, a picker and emergency access, as each role finds clients."""
    marsh, okafor, desk, lena = staff["marsh"], staff["okafor"], staff["fontaine"], staff["lvarga"]
    with sent() as statements:
        for user in (marsh, okafor, lena):
            directory.client_list(user=user)
        page = directory.client_page(user=desk, limit=2)
        directory.client_page(user=desk, after=page["next"], limit=2)
        directory.client_page(user=okafor, limit=2)
        directory.client_search(user=marsh, query="Varga")
        directory.client_search(user=okafor, query="Vagra")
        directory.client_search(user=desk, query="Kerrigan")
        directory.client_pick(user=desk, client_id=cid["c1"])
        directory.emergency_search(user=marsh, query="Kerrigan",
                                   reason="Client in crisis at the front desk; their clinician is away.")
    assert_every_statement_names_the_practice(statements, at_least=12)


def test_intake_names_the_practice_in_every_statement(staff, cid, outbox):
    """A clinician's whole intake, the front desk's part, and a portal invitation."""
    marsh, desk = staff["marsh"], staff["fontaine"]
    with sent() as statements:
        client_id = intake.client_intake(
            user=marsh, identity={"legal_name": "Ines Marguerite Duval", "preferred_name": "Ines", "dob": "1990-03-04"},
            contact={"phone": "253-555-0177", "email": "ines@example.org"},
            preferences={"voicemail": "name_callback", "text": "none", "email": "neutral", "postal": "home"},
            billing={"self_pay": False, "payer": "Sound Care Alliance", "member_id": "SCA-1", "group": "G"},
            program="outpatient", emergency={"name": "Paul Duval", "relationship": "brother", "phone": "253-555-0178"},
            acknowledgements={"npp": {"how": "paper", "on": date.today().isoformat()}})
        intake.client_intake(user=desk, identity={"legal_name": "Lou Front"}, treating_id=marsh.pk)
        intake.portal_invite(user=marsh, client_id=client_id, relationship="self", username="ines.duval",
                             email="ines@example.org", base_url="http://confide.test")
    assert_every_statement_names_the_practice(statements, at_least=5)


def test_a_prepared_document_names_the_practice_in_every_statement(staff, cid):
    """The client asks for their accounting of disclosures, sees it being prepared, then
    opens it (the worker's render, outside any request, runs between)."""
    lena = staff["lvarga"]
    with sent() as statements:
        asked = documents.document_request(user=lena, client_id=cid["c1"], kind="accounting")
        documents.document_status(user=lena, document_id=asked["id"])
    assert documents.document_build(asked["id"]) == "ready"
    with sent() as opened:
        documents.document_status(user=lena, document_id=asked["id"])
        documents.document_pdf(user=lena, document_id=asked["id"])
    assert_every_statement_names_the_practice(statements + opened, at_least=3)
