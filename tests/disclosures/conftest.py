"""Fixtures for the disclosure workflows (insurers, minors, record requests, obligations,
the legal exceptions): fresh clients built
through the real services, and row counters."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.apps.practice.models import Practice
from confide.services import charting, intake, scheduling
from confide.services.accounts import user_create
from tests.dates import practice_today


def years_ago(years: int, days: int = 10) -> date:
    """A date of birth making someone `years` old (and `days` past the birthday)."""
    today = practice_today() - timedelta(days=days)
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def past(days: int, hour: int = 17) -> datetime:
    return datetime.combine(practice_today() - timedelta(days=days), time(hour), tzinfo=timezone.utc)


@pytest.fixture
def rows():
    """rows(*models) -> counts of each model plus the audit log."""

    def count(*models) -> dict[str, int]:
        out = {m.__name__: m.objects.count() for m in models}
        out["AuditEvent"] = AuditEvent.objects.count()
        return out
    return count


@pytest.fixture
def insured_client(staff):
    """A new adult client of marsh's, insured by Cascadia, with a diagnosis, a
    medication, a plan, a progress note, a psychotherapy note and three attended
    sessions. Returns (client id, [appointment ids])."""
    marsh = staff["marsh"]
    cid = intake.client_create(user=marsh, identity={"legal_name": "Ilse Testbridge", "dob": "1990-03-04"},
                                billing={"payer": "Cascadia Health Plan", "member_id": "CHP-100200300",
                                         "self_pay": False})
    charting.record_add(user=marsh, client_id=cid, kind="diagnosis", data={"code": "F41.1", "description": "GAD"})
    charting.record_add(user=marsh, client_id=cid, kind="medication", data={"name": "sertraline", "dose": "50 mg"})
    charting.record_add(user=marsh, client_id=cid, kind="treatment_plan", data={
        "summary": "CBT for worry", "goals": [{"text": "Sleep through the night", "progress": 2}]})
    charting.progress_note_create(user=marsh, client_id=cid, session_date=practice_today() - timedelta(days=7),
                                 text="Session note text Zebrafinch.")
    charting.psychotherapy_note_create(user=marsh, client_id=cid, session_date=practice_today() - timedelta(days=7),
                                      text="Process note Quetzal.")
    appts = [scheduling.appointment_create(user=marsh, client_id=cid, clinician_id=marsh.pk, starts_at=past(d),
                                        status="attended") for d in (21, 14, 7)]
    return cid, appts


@pytest.fixture
def make_minor(staff):
    """make_minor(age, consent, parents=("mum",)) -> (client id, {username: User}).
    A client of marsh's, `age` years old, with `minor_consent` = consent ("self" or
    "parent"), a plan with goals, a risk assessment, a progress note, a psychotherapy
    note, two attended sessions, and a representative login per parent."""

    def make(age: int, consent: str, parents=("mum",)):
        marsh = staff["marsh"]
        cid = intake.client_create(user=marsh, identity={"legal_name": "Robin Testkid", "preferred_name": "Robin",
                                                          "dob": years_ago(age).isoformat()},
                                    fact={"minor_consent": consent})
        charting.record_add(user=marsh, client_id=cid, kind="diagnosis", data={"code": "F32.1", "description": "MDD"})
        charting.record_add(user=marsh, client_id=cid, kind="treatment_plan", data={
            "summary": "Detailed formulation Marmoset.", "goals": [{"text": "Go back to swim team", "progress": 2}]})
        charting.record_add(user=marsh, client_id=cid, kind="risk_assessment",
                           data={"level": "moderate", "summary": "Riding on car roofs at night"})
        charting.progress_note_create(user=marsh, client_id=cid, session_date=practice_today() - timedelta(days=3),
                                     text="What Robin said in session Axolotl.")
        charting.psychotherapy_note_create(user=marsh, client_id=cid, session_date=practice_today() - timedelta(days=3),
                                          text="Process note Pangolin.")
        for d in (10, 3):
            scheduling.appointment_create(user=marsh, client_id=cid, clinician_id=marsh.pk, starts_at=past(d),
                                       status="attended")
        accounts = {}
        for name in parents:
            user = user_create(actor=None, practice=marsh.practice, username=f"{name}-{str(cid)[:8]}",
                               role="representative", password="x-irrelevant-x")
            intake.client_account_link(user=marsh, client_id=cid, account=user, relationship="representative")
            accounts[name] = user
        return cid, accounts
    return make




def set_jurisdiction(user, jurisdiction: str) -> None:
    Practice.objects.filter(id=user.practice_id).update(jurisdiction=jurisdiction)
    user.practice.jurisdiction = jurisdiction


def last_audit() -> AuditEvent:
    return AuditEvent.objects.order_by("-seq").first()
