"""Ids for the valid API bodies of the consultation operations (tests/api/conftest.py).

Made through the real services for client c1, treated by marsh, when the body is
built inside a test (its rows roll back with the test). At collection time (ctx
clinician_id 0, no database) the nil id stands in: those bodies are refused before
any service runs.
"""

from __future__ import annotations

from tests.disclosures.bodies import NIL, _marsh_and_c1

NOTE_TEXT = "Lena reports her father Gabor called from 253-555-0112 on Sunday; GAD-7 down to 11."


def made(ctx: dict, make) -> str:
    if not ctx.get("clinician_id"):
        return NIL
    marsh, c1 = _marsh_and_c1()
    return str(make(marsh, c1))


def note(user, client_id) -> str:
    from confide.services.charting import progress_note_create

    return str(progress_note_create(user=user, client_id=client_id, session_date="2026-11-02", text=NOTE_TEXT))


def draft(user, client_id) -> str:
    from confide.services.disclosures.consultation import consultation_draft

    return consultation_draft(user=user, client_id=client_id, note_ids=[note(user, client_id)])["id"]


def released(user, client_id) -> str:
    from confide.services.disclosures.consultation import consultation_release

    draft_id = draft(user, client_id)
    consultation_release(user=user, client_id=client_id, draft_id=draft_id,
                         recipient={"name": "Dr. Priya Consult", "kind": "consultant"}, reviewed=True)
    return draft_id
