"""Automatic appointment reminders (DESIGN.md promise 10).

A client chooses in their contact preferences how long before an appointment a reminder
goes out (`reminder_hours`: 2, 24, 48 or 72; none by default). Every minute the worker's
periodic task (services.background) calls `reminders_send_due`, which, for each upcoming
appointment whose lead time has come:

- sends one reminder over each automatic channel (email and text) the client allowed,
  and over no other: voicemail is a person's call and a letter takes days, so those stay
  manual (services.messages.reminder_send from the front desk);
- sends it through `services.messages.reminder_send`, so through the door (the PDP
  decides, the read and the message are audited), worded as the client's preferences
  say (neutral unless they opted in to details) and signed with the practice's neutral
  sender, recorded as a `Message`;
- never twice: a `ReminderDispatch` row is claimed (unique per appointment, time and
  channel) before anything is sent, so a second worker, a second tick or a crash and
  restart cannot send it again. A moved appointment is reminded of at its new time.

The sender is the practice's own "Automatic reminders" account (front-desk role, no
password, no second factor: nobody can sign in as it), so the audit log and the
client's record of who opened their chart say the reminders went out by themselves,
not that a person sent them.

Deciding *when* reads the lead time from the client's sealed preferences inside this
service (nothing leaves, nothing is shown); everything a reminder carries is read
through the door when it is sent.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta, timezone

from django.db import IntegrityError, transaction

from confide.apps.practice.models import User
from confide.apps.records.models import Appointment, Client, Message, ReminderDispatch
from confide.core.errors import NotFound
from confide.services.audit import OPERATOR, audit_append, audited_transaction
from confide.services.keys import data_key_of
from confide.services.messages import REMINDER_HOURS, preferences_normalize, reminder_send
from confide.services.sealing import unseal

log = logging.getLogger("confide.reminders")

AUTOMATIC_CHANNELS = ("email", "text")
SENDER_NAME = "Automatic reminders"


def reminder_sender(practice_id) -> User:
    """The practice's automatic-reminder account, made on first use (audited)."""
    username = f"auto-reminders-{str(practice_id).replace('-', '')[:20]}"
    user = User.objects.filter(username=username, practice_id=practice_id).first()
    if user is not None:
        return user
    with audited_transaction():
        user, made = User.objects.get_or_create(
            username=username, practice_id=practice_id,
            defaults={"role": "front_desk", "full_name": SENDER_NAME, "is_active": True})
        if made:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            audit_append(practice_id=practice_id, actor_id=OPERATOR, actor_role=OPERATOR, action="user.created",
                         purpose="HOPERAT", detail={"user": user.pk, "role": "front_desk", "automatic": True})
    return user


def _lead_hours(client: Client) -> tuple[int | None, dict]:
    prefs = preferences_normalize(unseal(data_key_of(client), Client, "preferences_enc", client.id,
                                         client.preferences_enc))
    return prefs["reminder_hours"], prefs


def reminders_send_due(now: datetime | None = None) -> dict:
    """Send every automatic reminder whose time has come; counts by outcome."""
    now = now or datetime.now(timezone.utc)
    horizon = now + timedelta(hours=max(REMINDER_HOURS))
    upcoming = (Appointment.objects.filter(starts_at__gt=now, starts_at__lte=horizon, cancelled_at__isnull=True)
                .order_by("starts_at").only("id", "client_id", "practice_id", "starts_at"))
    by_client: dict = defaultdict(list)
    for appt in upcoming:
        by_client[appt.client_id].append(appt)
    counts = {"sent": 0, "refused": 0, "failed": 0, "skipped": 0}
    if not by_client:
        return counts
    clients = Client.objects.filter(id__in=list(by_client)).only("id", "practice_id", "preferences_enc")
    senders: dict = {}
    for client in clients:
        hours, prefs = _lead_hours(client)
        if hours is None:
            continue
        channels = [c for c in AUTOMATIC_CHANNELS if prefs.get(c, "none") != "none"]
        for appt in by_client[client.id]:
            if appt.starts_at - timedelta(hours=hours) > now:
                continue
            for channel in channels:
                outcome = _send_one(client, appt, channel, senders)
                counts[outcome] += 1
    return counts


def _send_one(client: Client, appt: Appointment, channel: str, senders: dict) -> str:
    if ReminderDispatch.objects.filter(practice_id=client.practice_id, appointment_id=appt.id,
                                       starts_at=appt.starts_at, channel=channel).exists():
        return "skipped"
    try:
        with transaction.atomic():
            claim = ReminderDispatch.objects.create(practice_id=client.practice_id, client_id=client.id,
                                                    appointment_id=appt.id, starts_at=appt.starts_at,
                                                    channel=channel)
    except IntegrityError:
        return "skipped"  # another worker claimed it first
    if client.practice_id not in senders:
        senders[client.practice_id] = reminder_sender(client.practice_id)
    try:
        result = reminder_send(user=senders[client.practice_id], client_id=client.id, channel=channel,
                               appointment_id=str(appt.id))
    except NotFound:
        # Cancelled or no longer "scheduled" since the query, or the door refused: the
        # claim stays (it is never retried) and says so.
        ReminderDispatch.objects.filter(practice_id=claim.practice_id, pk=claim.pk).update(status="refused")
        return "refused"
    status = result["status"] if result["status"] in ("sent", "refused", "failed") else "failed"
    message = Message.objects.filter(pk=result["id"], practice_id=client.practice_id).first()
    ReminderDispatch.objects.filter(practice_id=claim.practice_id, pk=claim.pk).update(status=status, message=message)
    if status != "sent":
        log.warning("automatic reminder not sent ref=%s status=%s", result["id"], status)
    return status


__all__ = ["reminders_send_due", "reminder_sender", "AUTOMATIC_CHANNELS"]
