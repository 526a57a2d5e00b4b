"""Sending reminders: a channel the client has not allowed is refused with its reason
and nothing leaves; every attempt is a Message row (body encrypted) and audited; the
file backend and the SMTP backend (over Django's locmem backend) carry what is allowed."""

from __future__ import annotations

import email
import stat
import uuid
from datetime import datetime, timedelta, timezone
from email import policy

import pytest
from icalendar import Calendar

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import Appointment, Message
from confide.core.errors import InvalidInput, NotFound
from confide.services.demo import data as demo_data
from confide.services.intake import client_create
from confide.services.keys import client_data_key
from confide.services.messages import (
    contact_preferences_set,
    messages_list,
    reminder_send,
    revealing_words,
)
from confide.services.outbox import outbox_read
from confide.services.scheduling import appointment_create
from confide.services.sealing import unseal

NOOR = next(c for c in demo_data.CLIENTS if c["key"] == "c7")
LENA = next(c for c in demo_data.CLIENTS if c["key"] == "c1")


def _body(message: Message) -> dict:
    return unseal(client_data_key(message.client_id), Message, "body_enc", message.id, message.body_enc)


def _delta(before: dict, after: dict) -> dict:
    return {k: after[k] - before[k] for k in after if after[k] != before[k]}


# --- c7 Noor: no voicemail, no texts, mail to her PO box --------------------------------

@pytest.mark.parametrize("channel,reason", [
    ("voicemail", "refused: the client has not allowed voicemail"),
    ("text", "refused: the client has not allowed text messages"),
])
def test_noor_refuses_voicemail_and_text_and_nothing_is_sent(staff, cid, outbox, smtp, counts, channel, reason):
    before = counts()
    out = reminder_send(user=staff["okafor"], client_id=cid["c7"], channel=channel)
    assert out["status"] == "refused" and out["reason"] == reason and out["text"] is None
    assert outbox() == [] and smtp == []  # nothing reached either backend
    # one Message (refused, with its reason) and two audited decisions: read, then write
    assert _delta(before, counts()) == {"records.Message": 1, "auditlog.AuditEvent": 2}
    message = Message.objects.get(id=out["id"])
    assert (message.channel, message.status) == (channel, "refused")
    body = _body(message)
    assert body["reason"] == reason and body["text"] is None and body["to"] is None
    assert reason.encode() not in bytes(message.body_enc)  # the body is encrypted
    events = list(AuditEvent.objects.order_by("-seq")[:2])
    assert [(e.action, e.decision, e.categories) for e in events] == [
        ("write", "permit", ["messages"]),
        ("read", "permit", ["appointments", "attendance", "contact", "contact_preferences", "identity"])]


def test_noor_letters_go_to_her_alternative_address(staff, cid, outbox):
    out = reminder_send(user=staff["okafor"], client_id=cid["c7"], channel="postal")
    assert out["status"] == "sent"
    [letter] = outbox()
    text = outbox_read(letter).decode()
    assert NOOR["contact_preferences"]["alternate_address"] in text
    assert NOOR["address"] not in text and NOOR["address"].split(",")[0] not in text
    assert _body(Message.objects.get(id=out["id"]))["to"] == NOOR["contact_preferences"]["alternate_address"]


def test_noor_email_is_sent_neutral_over_smtp(staff, cid, smtp):
    out = reminder_send(user=staff["okafor"], client_id=cid["c7"], channel="email")
    assert out["status"] == "sent"
    [mail] = smtp
    assert mail.to == [NOOR["email"]]
    assert mail.from_email == '"HL Appointments" <appointments@localhost>' or \
        mail.from_email == "HL Appointments <appointments@localhost>"
    assert mail.subject == "Appointment reminder"
    raw = mail.message().as_string()
    parsed = email.message_from_string(raw, policy=policy.default)
    for part in parsed.walk():
        if part.get_content_maintype() != "multipart":
            assert revealing_words(part.get_content()) == [], part.get_content()
    assert revealing_words(" ".join(f"{k}: {v}" for k, v in parsed.items())) == []
    [(name, ics, mimetype)] = mail.attachments
    assert (name, mimetype) == ("appointment.ics", "text/calendar")
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Appointment" and str(event["UID"]).startswith(out["appointment_id"])


# --- S14: a letter to the work address --------------------------------------------------

def test_s14_letters_follow_the_work_address(staff, cid, outbox):
    work = "Pacific Freight Co., 900 Commerce Street, Tacoma, WA 98402"
    contact_preferences_set(user=staff["lvarga"], client_id=cid["c1"],
                            prefs={"voicemail": "none", "text": "none", "email": "none", "postal": "alternate",
                                   "alternate_address": work})
    assert reminder_send(user=staff["fontaine"], client_id=cid["c1"], channel="postal")["status"] == "sent"
    [letter] = outbox()
    assert work in outbox_read(letter).decode() and LENA["address"] not in outbox_read(letter).decode()
    for channel in ("voicemail", "text", "email"):
        assert reminder_send(user=staff["fontaine"], client_id=cid["c1"], channel=channel)["status"] == "refused"
    assert len(outbox()) == 1


# --- the file backend -------------------------------------------------------------------

def test_file_backend_writes_one_private_file_per_message(staff, cid, outbox):
    out = reminder_send(user=staff["marsh"], client_id=cid["c1"], channel="email")
    [eml] = outbox()
    assert eml.name.endswith(f"-{out['id']}-email.eml")
    assert stat.S_IMODE(eml.stat().st_mode) == 0o600
    assert stat.S_IMODE(outbox.directory.stat().st_mode) == 0o700
    parsed = email.message_from_bytes(outbox_read(eml), policy=policy.default)
    assert parsed["To"] == LENA["email"] and parsed["Subject"] == "Appointment reminder"
    assert "HL Appointments" in parsed["From"]
    attachment = next(p for p in parsed.walk() if p.get_content_type() == "text/calendar")
    assert Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    assert _body(Message.objects.get(id=out["id"]))["ref"] == eml.name


def test_voicemail_script_is_limited_to_the_preference(staff, cid, outbox):
    out = reminder_send(user=staff["okafor"], client_id=cid["c2"], channel="voicemail")  # Des: name_callback
    assert out["text"] == "This is a message for Des from HL Appointments; please call 253-555-0100."
    [script] = outbox()
    assert outbox_read(script).decode().endswith(out["text"] + "\n")
    # Lena allowed details on voicemail: the clinician and the practice may be named
    detailed = reminder_send(user=staff["marsh"], client_id=cid["c1"], channel="voicemail")
    assert "Theo Marsh-Calloway, LMHC" in detailed["text"]


def test_a_failing_smtp_server_is_recorded_as_failed(staff, cid, settings, tmp_path):
    """A real SMTP connection to a port nobody listens on: the attempt is recorded as
    failed with a one-line reason, and the caller is told."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    settings.CONFIDE = {**settings.CONFIDE, "MESSAGE_BACKEND": "smtp", "MESSAGE_OUTBOX_DIR": tmp_path}
    out = reminder_send(user=staff["marsh"], client_id=cid["c1"], channel="email")
    assert out["status"] == "failed" and out["reason"] == "failed: the smtp backend did not accept the message"
    assert Message.objects.get(id=out["id"]).status == "failed"


# --- refusals for want of an address, or of any preference ------------------------------

def test_a_client_who_stated_nothing_is_sent_nothing(staff, outbox):
    cid = client_create(user=staff["marsh"], identity={"legal_name": "Pat Quietly"},
                        contact={"email": "pat@example.com", "phone": "253-555-0190", "address": "1 Elm St"})
    appointment_create(user=staff["marsh"], client_id=cid, clinician_id=staff["marsh"].pk,
                       starts_at=datetime.now(timezone.utc) + timedelta(days=3))
    for channel, words in (("voicemail", "voicemail"), ("text", "text messages"), ("email", "email"),
                           ("postal", "postal mail")):
        out = reminder_send(user=staff["marsh"], client_id=cid, channel=channel)
        assert (out["status"], out["reason"]) == ("refused", f"refused: the client has not allowed {words}")
    assert outbox() == []


def test_no_address_on_file_is_a_refusal_too(staff, cid, outbox):
    cid_new = client_create(user=staff["marsh"], identity={"legal_name": "Sam Nomail"},
                            preferences={"voicemail": "none", "text": "neutral", "email": "neutral", "postal": "home"})
    appointment_create(user=staff["marsh"], client_id=cid_new, clinician_id=staff["marsh"].pk,
                       starts_at=datetime.now(timezone.utc) + timedelta(days=3))
    assert reminder_send(user=staff["marsh"], client_id=cid_new, channel="email")["reason"] == \
        "refused: no email address on file for email"
    assert reminder_send(user=staff["marsh"], client_id=cid_new, channel="postal")["reason"] == \
        "refused: no home address on file for postal mail"
    assert outbox() == []


# --- who may send ---------------------------------------------------------------------

def test_front_desk_sends_and_lists(staff, cid, outbox):
    out = reminder_send(user=staff["fontaine"], client_id=cid["c1"], channel="text")
    assert out["status"] == "sent" and len(outbox()) == 1
    listed = messages_list(user=staff["fontaine"], client_id=cid["c1"])
    assert listed[0]["id"] == out["id"] and listed[0]["to"] == LENA["phone"]
    # the client reads their own message log too
    assert messages_list(user=staff["lvarga"], client_id=cid["c1"])[0]["id"] == out["id"]


# Those of the callers below who may read the message log, though not send.
READS_MESSAGES = {("okafor", "c5"), ("lvarga", "c1")}


@pytest.mark.parametrize("username,key", [
    ("marsh", "c2"),         # a clinician, another clinician's client
    ("lindqvist", "c1"),     # a clinician with no relationship
    ("haddad", "c1"),        # the practice admin
    ("pellham", "c1"),       # the biller: contact, but not the calendar or the preferences
    ("okafor", "c5"),        # a supervisor reads a supervisee's client; sends nothing
    ("lvarga", "c6"),        # one client for another
    ("lvarga", "c1"),        # a client does not send reminders on the practice's behalf
    ("acastellanos", "c3"),  # a parent
])
def test_unrelated_staff_get_not_found_and_nothing_is_sent(staff, cid, outbox, smtp, counts, username, key):
    before = counts()
    for channel in ("email", "text", "postal", "voicemail"):
        with pytest.raises(NotFound) as exc:
            reminder_send(user=staff[username], client_id=cid[key], channel=channel)
        assert str(exc.value) == "not found"
    assert outbox() == [] and smtp == []
    written = _delta(before, counts())
    assert set(written) == {"auditlog.AuditEvent"}  # the denials, audited; no Message
    if (username, key) in READS_MESSAGES:
        messages_list(user=staff[username], client_id=cid[key])
    else:
        with pytest.raises(NotFound):
            messages_list(user=staff[username], client_id=cid[key])


def test_other_practice_and_unknown_ids_get_the_same_not_found(staff, cid, other_practice, outbox):
    for user, client_id in ((other_practice["clinician"], cid["c1"]), (staff["marsh"], uuid.uuid4()),
                            (staff["marsh"], "not-a-uuid")):
        with pytest.raises(NotFound) as exc:
            reminder_send(user=user, client_id=client_id, channel="email")
        assert str(exc.value) == "not found"
    assert outbox() == []


def test_another_clients_or_a_past_appointment_is_not_found(staff, cid, outbox, counts):
    others = Appointment.objects.filter(client_id=cid["c3"]).values_list("id", flat=True)  # June, also marsh's
    past = Appointment.objects.filter(client_id=cid["c1"]).order_by("starts_at").first()
    for appointment_id in (others[0], past.id, uuid.uuid4()):
        before = counts()
        with pytest.raises(NotFound) as exc:
            reminder_send(user=staff["marsh"], client_id=cid["c1"], channel="email", appointment_id=appointment_id)
        assert str(exc.value) == "no upcoming appointment"
        assert _delta(before, counts()) == {"auditlog.AuditEvent": 1}  # the read, audited; nothing else
    assert outbox() == []


@pytest.mark.parametrize("kwargs,message", [
    ({"channel": "carrier pigeon"}, "channel must be one of voicemail, text, email, postal"),
    ({"channel": None}, "channel must be one of voicemail, text, email, postal"),
    ({"channel": "email", "appointment_id": "Canary-Zq7xK"}, "appointment_id: not a valid id"),
])
def test_bad_input_is_one_line_and_writes_nothing(staff, cid, outbox, counts, kwargs, message):
    before = counts()
    with pytest.raises(InvalidInput) as exc:
        reminder_send(user=staff["marsh"], client_id=cid["c1"], **kwargs)
    assert str(exc.value) == message
    assert counts() == before and outbox() == []
