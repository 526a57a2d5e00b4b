"""Scheduling's reads name the practice: booking one session and a weekly series,
rescheduling (the room kept, joined in the practice), cancelling one and the rest of a
series, attendance; an automatic reminder sent; the client's access report and the
topics a disclosure touches; and a client shredded once the operator's command found it.
Each filters every tenant table it reads by `practice_id`, joined tables included: on a
database distributed on the practice (Citus) each is a router query on the practice's
shard. The statements of other domains' services (their own tests read them) are left
out: see tests/billing/test_statements_name_the_practice.py.

The UPDATEs and DELETEs the workflows send are read the same way (a row saved is
updated by its id and its practice: PracticeScoped)."""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta

from confide.apps.records.models import Appointment, Client, ClientKey
from confide.services import scheduling
from confide.services.messages import contact_preferences_set
from confide.services.reminders import _send_one
from confide.services.reports import access_report, my_client_id
from confide.services.shredding import client_shred
from confide.services.topics import topics_touching
from tests.dates import practice_today
from tests.shards import assert_every_statement_names_the_practice, sent, unconfined


def _future_day(days: int) -> date:
    """A Tuesday well ahead, away from the demo's own sessions."""
    day = date.today() + timedelta(days=days)
    return day + timedelta(days=(1 - day.weekday()) % 7)


def test_booking_workflows_name_the_practice_in_every_statement(staff, cid):
    desk, marsh = staff["fontaine"], staff["marsh"]
    day = _future_day(150)
    with sent() as statements:
        one = scheduling.appointment_create(user=desk, client_id=cid["c1"], clinician_id=marsh.pk, room="Room 3",
                                            appointment_type="Session",
                                            starts_at=scheduling.wall_clock(marsh.practice_id, day, time(9, 0)))
        scheduling.appointment_reschedule(user=desk, appointment_id=one,
                                          starts_at=scheduling.wall_clock(marsh.practice_id, day, time(10, 0)))
        scheduling.appointment_reschedule(user=marsh, appointment_id=one, room=None, modality="telehealth",
                                          starts_at=scheduling.wall_clock(marsh.practice_id, day, time(11, 0)))
        scheduling.appointment_cancel(user=desk, appointment_id=one, reason="Client has a work trip")
        ids = scheduling.series_create(user=desk, client_id=cid["c1"], clinician_id=marsh.pk, first_day=day,
                                       at=time(7, 0), count=4, room="Room 2")
        assert scheduling.series_cancel(user=desk, appointment_id=ids[2], reason="Moving away") == 2
        held = scheduling.appointment_create(user=marsh, client_id=cid["c1"], starts_at=scheduling.wall_clock(
            marsh.practice_id, practice_today() - timedelta(days=3), time(7, 0)))
        scheduling.attendance_record(user=marsh, appointment_id=held, status="attended")
    assert Appointment.objects.get(id=one).cancelled_at is not None
    assert_every_statement_names_the_practice(statements, at_least=15)


def test_a_reminder_sent_names_the_practice_in_every_statement(staff, cid):
    marsh = staff["marsh"]
    contact_preferences_set(user=staff["lvarga"], client_id=cid["c1"],
                            prefs={"voicemail": "details", "text": "neutral", "email": "neutral", "postal": "home",
                                   "reminder_hours": 24})
    rid = scheduling.appointment_create(user=marsh, client_id=cid["c1"], starts_at=scheduling.wall_clock(
        marsh.practice_id, practice_today() + timedelta(days=2), time(6, 0)))
    # What the periodic task found (its reads span every practice: the task runs outside any).
    appt = Appointment.objects.only("id", "client_id", "practice_id", "starts_at").get(id=rid)
    client = Client.objects.only("id", "practice_id", "preferences_enc").get(id=cid["c1"])
    with sent() as statements:
        assert _send_one(client, appt, "email", {}) == "sent"
        assert _send_one(client, appt, "email", {}) == "skipped"
    assert_every_statement_names_the_practice(statements, at_least=3)


def test_the_access_report_and_topics_name_the_practice_in_every_statement(staff, cid):
    lena, marsh = staff["lvarga"], staff["marsh"]
    with sent() as statements:
        assert my_client_id(lena) == cid["c1"]
        assert access_report(user=lena, client_id=cid["c1"]) is not None
        assert access_report(user=marsh, client_id=cid["c1"]) is not None
        topics_touching(marsh.practice_id, cid["c1"], {"diagnosis", "progress_notes", "incident"},
                        incident_id=uuid.uuid4())
    assert_every_statement_names_the_practice(statements, at_least=4)


def test_shredding_names_the_practice_once_the_operator_s_lookup_found_the_client(other_practice):
    client_id = other_practice["client_id"]
    with sent() as statements:
        client_shred(client_id=client_id)
    assert not ClientKey.objects.filter(client_id=client_id).exists()
    lookup, *rest = statements
    # The operator's command names a client alone (installation-wide): its one lookup reads every shard.
    assert unconfined(lookup) == ["records_client records_client"]
    assert_every_statement_names_the_practice(rest, at_least=1)
