"""Automatic reminders: at the lead time the client chose, by the worker's periodic task
(run here by django-tasks-db's own worker, in this process), only over the automatic
channels the client allowed, neutral unless they opted in to details, from the
practice's neutral sender, audited as the practice's automatic-reminder account, and
never twice."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from django_tasks_db.models import DBTaskResult

from confide.apps.auditlog.models import AuditEvent
from confide.apps.practice.models import User
from confide.apps.records.models import Appointment, Message, ReminderDispatch
from confide.core.errors import InvalidInput
from confide.services.background import periodic, periodic_enqueue_once, tasks_run_pending
from confide.services.keys import client_data_key
from confide.services.messages import contact_preferences_set, revealing_words
from confide.services.outbox import outbox_read
from confide.services.reminders import SENDER_NAME, reminders_send_due
from confide.services.scheduling import appointment_cancel, appointment_create
from confide.services.sealing import unseal

LENA_PREFS = {"voicemail": "details", "text": "neutral", "email": "neutral", "postal": "home"}


@pytest.fixture(autouse=True)
def _clear_calendar(request):
    """Dr Marsh's demo sessions in the next four days are cancelled first, so that the
    times these tests book are free whatever the day and hour the suite runs at."""
    if "staff" not in request.fixturenames:
        return
    staff = request.getfixturevalue("staff")
    now = datetime.now(timezone.utc)
    for appointment_id in Appointment.objects.filter(
            clinician=staff["marsh"], cancelled_at__isnull=True, starts_at__gte=now - timedelta(hours=2),
            starts_at__lte=now + timedelta(days=4)).values_list("id", flat=True):
        appointment_cancel(user=staff["marsh"], appointment_id=appointment_id, reason="clearing the test's week")


def _book(staff, cid, hours: float) -> str:
    starts = (datetime.now(timezone.utc) + timedelta(hours=hours)).replace(second=0, microsecond=0)
    return str(appointment_create(user=staff["marsh"], client_id=cid["c1"], clinician_id=staff["marsh"].pk,
                                  starts_at=starts))


def _lead(staff, cid, hours, **prefs) -> None:
    """Lena chooses her lead time; what the demo's own calendar then has due goes out
    first, so that each test sees only the appointments it books."""
    contact_preferences_set(user=staff["lvarga"], client_id=cid["c1"],
                            prefs={**LENA_PREFS, **prefs, "reminder_hours": hours})
    reminders_send_due()


def _sent(appointment_id: str) -> list[Message]:
    ids = ReminderDispatch.objects.filter(appointment_id=appointment_id).values_list("message_id", flat=True)
    return list(Message.objects.filter(id__in=list(ids)).order_by("channel"))


def _body(message: Message) -> dict:
    return unseal(client_data_key(message.client_id), Message, "body_enc", message.id, message.body_enc)


def _run_periodic() -> None:
    """What the worker does each minute: enqueue the periodic task, then run it (the
    database backend's own worker, in batch mode, in this process)."""
    assert periodic_enqueue_once()
    assert tasks_run_pending() >= 1
    result = DBTaskResult.objects.filter(task_path__endswith="background.periodic").latest("enqueued_at")
    assert result.status == "SUCCESSFUL", result.traceback


def test_due_reminder_goes_out_by_itself_on_allowed_channels_once(staff, cid, outbox):
    _lead(staff, cid, 24)
    before = set(outbox())
    due = _book(staff, cid, 20)      # inside the 24 hours: due now
    later = _book(staff, cid, 30)    # not yet
    _run_periodic()

    sent = _sent(due)
    # email and text (both allowed); voicemail and letters are never automatic
    assert [(m.channel, m.status) for m in sent] == [("email", "sent"), ("text", "sent")]
    assert _sent(later) == []
    files = sorted(set(outbox()) - before)
    assert [f.name for f in files] == sorted(_body(m)["ref"] for m in sent)
    for message in sent:
        body = _body(message)
        assert body["appointment_id"] == due and body["details"] is False
        assert not revealing_words(body["text"]) and "Marsh" not in body["text"]  # neutral: no clinician
        assert "HL Appointments" in body["text"]  # the practice's neutral sender
    email = next(f for f in files if f.name.endswith(".eml"))
    raw = outbox_read(email).decode()
    assert "HL Appointments" in raw and "Lena" in raw and "Counseling" not in raw

    # audited as the practice's automatic-reminder account, not as a person
    sender = User.objects.get(pk=_body(sent[0])["by"])
    assert sender.full_name == SENDER_NAME and sender.role == "front_desk" and not sender.has_usable_password()
    events = AuditEvent.objects.filter(actor=str(sender.pk))
    actions = list(events.values_list("action", flat=True))
    assert set(actions) == {"read", "write"} and actions.count("read") == actions.count("write") >= 2

    # never twice: the next minutes send nothing more
    _run_periodic()
    assert reminders_send_due()["sent"] == 0
    assert len(set(outbox()) - before) == 2 and len(_sent(due)) == 2

    # when the later one's time comes, it goes out too
    assert reminders_send_due(now=datetime.now(timezone.utc) + timedelta(hours=7))["sent"] >= 2
    assert len(_sent(later)) == 2


def test_only_the_channels_the_client_allowed(staff, cid, outbox):
    _lead(staff, cid, 48, email="none", text="neutral")
    due = _book(staff, cid, 3)
    _run_periodic()
    assert [(m.channel, m.status) for m in _sent(due)] == [("text", "sent")]

    _lead(staff, cid, 48, email="none", text="none")
    before = set(outbox())
    other = _book(staff, cid, 5)
    _run_periodic()
    assert _sent(other) == [] and set(outbox()) == before


def test_details_only_for_a_client_who_opted_in(staff, cid, outbox):
    _lead(staff, cid, 2, email="details", text="none")
    due = _book(staff, cid, 1)
    reminders_send_due()
    [message] = _sent(due)
    body = _body(message)
    assert body["details"] is True and "Marsh" in body["text"]  # her choice: the clinician's name


def test_no_lead_time_chosen_means_no_automatic_reminder(staff, cid, outbox):
    _lead(staff, cid, None)
    due = _book(staff, cid, 1)
    assert reminders_send_due()["sent"] == 0 and _sent(due) == []


def test_cancelled_and_moved_appointments(staff, cid, outbox):
    _lead(staff, cid, 24, text="none")
    cancelled = _book(staff, cid, 10)
    appointment_cancel(user=staff["marsh"], appointment_id=cancelled, reason="client asked")
    moved = _book(staff, cid, 12)
    reminders_send_due()
    assert _sent(cancelled) == [] and len(_sent(moved)) == 1
    # moved to a new time inside the window: reminded of the new time, once
    Appointment.objects.filter(id=moved).update(starts_at=datetime.now(timezone.utc) + timedelta(hours=15))
    assert reminders_send_due()["sent"] == 1
    assert reminders_send_due()["sent"] == 0
    assert ReminderDispatch.objects.filter(appointment_id=moved).count() == 2


def test_a_claimed_reminder_is_not_sent_by_another_worker(staff, cid, outbox):
    _lead(staff, cid, 24, text="none")
    due = _book(staff, cid, 2)
    appt = Appointment.objects.get(id=due)
    ReminderDispatch.objects.create(practice_id=appt.practice_id, client_id=appt.client_id, appointment_id=appt.id,
                                    starts_at=appt.starts_at, channel="email")  # another worker got there first
    before = set(outbox())
    assert reminders_send_due()["sent"] == 0 and set(outbox()) == before


@pytest.mark.parametrize("hours", [0, 1, 25, "24", True, 24.5])
def test_lead_time_must_be_one_of_the_choices(staff, cid, hours):
    with pytest.raises(InvalidInput) as err:
        _lead(staff, cid, hours)
    assert str(err.value) == "contact preferences: reminder_hours must be one of 2, 24, 48, 72 or null"


def test_the_task_is_a_django_task_on_the_database_backend():
    assert periodic.get_backend().__class__.__name__ == "DatabaseBackend"


def test_a_confidential_alternative_is_where_it_goes(staff, cid, outbox):
    _lead(staff, cid, 24, text="none", alternate_email="lena.private@example.net")
    due = _book(staff, cid, 4)
    reminders_send_due()
    [message] = _sent(due)
    body = _body(message)
    assert (message.channel, message.status, body["to"]) == ("email", "sent", "lena.private@example.net")
    raw = outbox_read(outbox.directory / body["ref"]).decode()
    assert "To: lena.private@example.net" in raw
