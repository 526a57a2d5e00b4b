"""Ids for the valid API bodies of the exception workflows (tests/api/conftest.py).

A body that names an event or a legal request needs one that exists for client c1,
treated by marsh. It is made through the real services when the body is built inside
a test (its rows roll back with the test). At collection time (ctx clinician_id 0,
no database) the nil id stands in: those bodies are refused before any service runs.
"""

from __future__ import annotations

from tests.dates import practice_today

NIL = "00000000-0000-0000-0000-000000000000"


def _marsh_and_c1():
    from confide.apps.practice.models import User
    from confide.apps.records.models import ClientAccount
    from confide.services.accounts import login_digest

    return User.objects.get(username="marsh"), ClientAccount.objects.get(user__login_digest=login_digest("lvarga")).client_id


def made(ctx: dict, make) -> str:
    if not ctx.get("clinician_id"):
        return NIL
    marsh, c1 = _marsh_and_c1()
    return str(make(marsh, c1))


def threat_event(user, client_id):
    from confide.services.disclosures.safety import safety_event_record

    return safety_event_record(user=user, client_id=client_id, kind="threat",
                               threat="Said he would hurt his brother-in-law this weekend.",
                               person_at_risk={"name": "Sam Example", "contact": "253-555-0142"},
                               imminence="imminent", means="a hunting rifle at home")["id"]


def child_abuse_event(user, client_id):
    from confide.services.disclosures.mandated_reports import abuse_event_record

    return abuse_event_record(user=user, client_id=client_id, victim_kind="child", victim_age_now=9,
                              abuse_is_past=False, child_at_risk_now=True,
                              facts="The neighbour's son (9) has bruises he says his stepfather made.")["id"]


def signed_order(user, client_id):
    from confide.services.disclosures.legal import legal_request_record

    return legal_request_record(user=user, client_id=client_id, kind="court_order", data={
        "requester": {"name": "Pierce County Superior Court", "kind": "court"}, "court": "Pierce County Superior Court",
        "case_number": "26-2-0001", "judge": "Hon. R. Example", "signed_by_judge": True,
        "categories": ["billing"]})["id"]


def held_order(user, client_id):
    """A judge's order for progress notes that touch a promised topic (abortion): the
    release attempt holds it for the privacy officer."""

    from confide.core.errors import Refused
    from confide.services.charting import progress_note_create
    from confide.services.disclosures.legal import (
        legal_request_record,
        legal_request_release,
    )

    progress_note_create(user=user, client_id=client_id, session_date=practice_today(), text="Talked it through.",
                         topics=["abortion"])
    rid = legal_request_record(user=user, client_id=client_id, kind="court_order", data={
        "requester": {"name": "Pierce County Superior Court", "kind": "court"}, "court": "Pierce County Superior Court",
        "case_number": "26-2-0077", "judge": "Hon. R. Example", "signed_by_judge": True,
        "categories": ["progress_notes"]})["id"]
    try:
        legal_request_release(user=user, client_id=client_id, legal_request_id=rid)
    except Refused:
        pass  # held, as intended
    return rid


def subpoena(user, client_id):
    from confide.services.disclosures.legal import legal_request_record

    return legal_request_record(user=user, client_id=client_id, kind="subpoena", data={
        "requester": {"name": "Dana Counsel, Attorney at Law", "kind": "attorney"}, "case_number": "26-2-0002",
        "categories": ["billing", "diagnosis"]})["id"]


QPO = {"written_statement": True, "route": "agreed_and_presented", "qpo_limits_use_to_litigation": True,
       "qpo_requires_return_or_destruction": True, "document_ref": "Stipulated QPO filed 2026-10-01"}
