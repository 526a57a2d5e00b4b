"""Messages that reveal nothing (DESIGN.md promise 10; RULES.md 1.9 CC-1, CC-3).

Contact preferences, per channel, stored in `Client.preferences_enc` (category
contact_preferences):

    voicemail: none | name_callback | details   (name_callback: first name and a call-back number only)
    text:      none | neutral | details
    email:     none | neutral | details
    postal:    none | home | alternate          (alternate: `alternate_address`, 45 CFR 164.522(b))
    alternate_address: text or null
    alternate_phone:   a confidential phone for voicemail and texts instead of the one on file, or null
    alternate_email:   a confidential email address instead of the one on file, or null
    timezone:          the zone the client reads times in (the portal), or null (the practice's)
    reminder_hours: 2 | 24 | 48 | 72 | null   (how long before an appointment the automatic
                                             reminder goes out, by email and text where
                                             allowed; null: no automatic reminder)

"details" is the client's opt-in to details on that channel: the clinician's name and
title, the practice's name (which says what kind of practice it is) and the room. Every
other level renders a neutral template that names no clinician, no title, no practice
type and no clinical word. Letters are always neutral: an envelope is read by whoever
takes in the mail. The iCalendar attachment travels by email, so the email level
governs it.

Asking for an alternative address or channel never asks why: a provider may not
require a reason (164.522(b)(2), CC-3), so there is no field for one.

Every outbound message asks the PDP (read the appointment, contact, identity and
preferences; then write the message record), is checked against the preferences
(a channel the client has not allowed is refused, with the reason in one line), is
recorded as a `Message` row (sent, refused or failed; body encrypted), and goes out
through the configured backend: `file` (the default: an outbox directory under var/,
each file sealed under the client's key; see services.outbox) or `smtp` (email through
Django's email settings; nothing is written for an email).
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import formataddr, make_msgid
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from icalendar import Alarm, Calendar, Event

from confide.apps.practice.models import Practice, User
from confide.apps.records.models import Appointment, Client, Message
from confide.core.errors import Forbidden, InvalidInput, NotFound
from confide.services import access
from confide.services.audit import audit_append, audited_transaction
from confide.services.demo import data as demo_data
from confide.services.keys import data_key_of
from confide.services.outbox import outbox_write
from confide.services.sealing import seal, unseal

log = logging.getLogger("confide.messages")

# --- the vocabulary of contact preferences ----------------------------------------

CHANNELS = ("voicemail", "text", "email", "postal")
LEVELS: dict[str, tuple[str, ...]] = {
    "voicemail": ("none", "name_callback", "details"),
    "text": ("none", "neutral", "details"),
    "email": ("none", "neutral", "details"),
    "postal": ("none", "home", "alternate"),
}
OPTIONAL_KEYS = ("alternate_phone", "alternate_email", "timezone")
PREFERENCE_KEYS = frozenset((*CHANNELS, "alternate_address", *OPTIONAL_KEYS, "reminder_hours"))
# The lead times a client may choose for automatic reminders (services.reminders).
REMINDER_HOURS = (2, 24, 48, 72)
# How a refusal names the channel.
CHANNEL_WORDS = {"voicemail": "voicemail", "text": "text messages", "email": "email", "postal": "postal mail"}
# Earlier vocabulary still read from stored documents: a yes/no per channel and the
# voicemail level "name_only". Anything else unknown reads as "none" (fail closed).
LEGACY = {"name_only": "name_callback", True: "neutral", False: "none", None: "none"}
MAX_ADDRESS = 400
MAX_PHONE = 40
MAX_EMAIL = 254
PHONE_SHAPE = re.compile(r"[0-9+().\- ]*[0-9][0-9+().\- ]*")
EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def preferences_normalize(raw) -> dict:
    """A stored preferences document in today's vocabulary. Missing or unknown values
    read as "none": a channel nobody allowed is never used."""
    raw = raw if isinstance(raw, dict) else {}
    out: dict = {}
    for channel in CHANNELS:
        value = raw.get(channel)
        if isinstance(value, bool) or value is None:
            value = LEGACY[value]
            if channel == "voicemail" and value == "neutral":
                value = "name_callback"  # a bare "yes" to voicemail allows the least revealing message
            if channel == "postal" and value == "neutral":
                value = "home"
        elif isinstance(value, str) and value in LEGACY:
            value = LEGACY[value]
        out[channel] = value if value in LEVELS[channel] else "none"
    address = raw.get("alternate_address")
    out["alternate_address"] = address if isinstance(address, str) and address.strip() else None
    for key in OPTIONAL_KEYS:  # kept only when given, so a document without them reads as before
        value = raw.get(key)
        if isinstance(value, str) and value.strip():
            out[key] = value
    if out["postal"] == "alternate" and out["alternate_address"] is None:
        out["postal"] = "none"  # nowhere safe to send it
    hours = raw.get("reminder_hours")
    out["reminder_hours"] = hours if hours in REMINDER_HOURS and not isinstance(hours, bool) else None
    return out


def preferences_check(prefs) -> dict:
    """Validate preferences given by a person (portal, API, front desk). One-line
    errors that name the field, never echo the value."""
    if not isinstance(prefs, dict):
        raise InvalidInput("contact preferences: expected an object")
    unknown = set(prefs) - PREFERENCE_KEYS
    if unknown:
        raise InvalidInput(f"contact preferences: unknown field {sorted(unknown)[0]!r}")
    for channel in CHANNELS:
        if channel not in prefs:
            raise InvalidInput(f"contact preferences: missing field {channel!r}")
        if not isinstance(prefs[channel], str) or prefs[channel] not in LEVELS[channel]:
            raise InvalidInput(f"contact preferences: {channel} must be one of {', '.join(LEVELS[channel])}")
    address = prefs.get("alternate_address")
    if address is not None:
        if not isinstance(address, str):
            raise InvalidInput("contact preferences: alternate_address must be text")
        address = address.strip()
        if not address or len(address) > MAX_ADDRESS:
            raise InvalidInput(f"contact preferences: alternate_address must hold 1 to {MAX_ADDRESS} characters")
        if any(ord(ch) < 32 and ch != "\n" for ch in address):
            raise InvalidInput("contact preferences: alternate_address holds control characters")
    if prefs["postal"] == "alternate" and not address:
        raise InvalidInput("contact preferences: postal 'alternate' needs an alternate_address")
    phone = _optional_line(prefs, "alternate_phone", MAX_PHONE)
    if phone and not PHONE_SHAPE.fullmatch(phone):
        raise InvalidInput("contact preferences: alternate_phone must be a phone number")
    email = _optional_line(prefs, "alternate_email", MAX_EMAIL)
    if email and not EMAIL_SHAPE.fullmatch(email):
        raise InvalidInput("contact preferences: alternate_email must be an email address")
    tz = _optional_line(prefs, "timezone", 64)
    if tz and tz not in _zones():
        raise InvalidInput("contact preferences: timezone must be a time zone such as America/Chicago")
    hours = prefs.get("reminder_hours")
    if hours is not None and (isinstance(hours, bool) or hours not in REMINDER_HOURS):
        raise InvalidInput("contact preferences: reminder_hours must be one of "
                           f"{', '.join(map(str, REMINDER_HOURS))} or null")
    optional = {k: v for k, v in (("alternate_phone", phone), ("alternate_email", email), ("timezone", tz)) if v}
    return {**{c: prefs[c] for c in CHANNELS}, "alternate_address": address or None, **optional,
            "reminder_hours": hours}


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _optional_line(prefs: dict, key: str, limit: int) -> str | None:
    value = prefs.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"contact preferences: {key} must be text")
    value = value.strip()
    if len(value) > limit or any(ord(ch) < 32 for ch in value):
        raise InvalidInput(f"contact preferences: {key} must be one line of at most {limit} characters")
    return value or None


def details_allowed(prefs: dict, channel: str) -> bool:
    """The client opted in to details on this channel (letters never carry details)."""
    return channel != "postal" and prefs.get(channel) == "details"


def preferences_view(prefs: dict) -> dict:
    """Preferences as shown: the stored levels plus the channels opted in to details."""
    return {**prefs, "opt_in_details": [c for c in CHANNELS if details_allowed(prefs, c)]}


# --- what a neutral message must never say ------------------------------------------

# Words that tell a reader what kind of care this is. Stems: "counsel" catches
# counseling, counselling and counselor.
REVEALING = re.compile(
    r"\b(counsel\w*|therap\w*|psych\w*|mental\w*|behaviou?ral\w*|recover\w*|addict\w*|substance\w*|rehab\w*|"
    r"detox\w*|sobri\w*|sober\w*|clinic\w*|treatment\w*|session\w*|diagnos\w*|trauma\w*|anxi\w*|depress\w*|"
    r"crisis|wellness|health\w*|emotion\w*|alcohol\w*|drugs?|abuse\w*|suicid\w*|intake|assessment\w*|"
    r"medication\w*|patient\w*|licens\w*|supervis\w*)\b", re.IGNORECASE)
# Professional titles and licences (besides User.LICENSED, which the check also uses).
TITLES = re.compile(r"\b(dr|phd|psyd|lmhca?|lcsw|licsw|lpc|lmft|msw|cadc|lcdc)\b\.?", re.IGNORECASE)


def revealing_words(text: str) -> list[str]:
    """The revealing words and titles in `text` (empty when it is neutral)."""
    found = [m.group(0) for m in REVEALING.finditer(text)] + [m.group(0) for m in TITLES.finditer(text)]
    lowered = text.lower()
    found += [t for t in User.LICENSED if re.search(rf"\b{re.escape(t.lower())}\b", lowered)]
    return found


# --- the practice's neutral identity --------------------------------------------------

_SMALL_WORDS = frozenset({"of", "the", "and", "for", "at", "in", "&", "a", "an", "llc", "inc", "pllc", "pc"})
MAX_SENDER = 60


def practice_sender(practice: Practice) -> str:
    """The neutral name messages come from. A practice can set its own (checked to be
    neutral); otherwise it is derived from the practice's name without its revealing
    words: "Harbor Light Counseling" -> "HL Appointments". A per-practice setting, not
    a constant, because one server may host several practices and each client should
    recognise their own; derived by default so a new practice is neutral from day one."""
    if practice.message_sender:
        return practice.message_sender
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'-]*", practice.name)
             if w.lower() not in _SMALL_WORDS and not revealing_words(w)]
    initials = "".join(w[0].upper() for w in words)[:4]
    return f"{initials} Appointments" if initials else "Appointments"


def practice_messaging_set(*, user: User, sender_name: str = "", callback_phone: str = "") -> dict:
    """The practice administrator sets the neutral sender name (blank: derived) and the
    call-back number reminders give. A sender name that reveals anything is refused."""
    if user.role != "practice_admin" or user.practice_id is None:
        raise Forbidden("only the practice administrator sets how messages are signed")
    if not isinstance(sender_name, str) or not isinstance(callback_phone, str):
        raise InvalidInput("messaging: expected text")
    sender_name, callback_phone = sender_name.strip(), callback_phone.strip()
    if len(sender_name) > MAX_SENDER or any(ord(ch) < 32 for ch in sender_name):
        raise InvalidInput(f"messaging: the sender name must be one line of at most {MAX_SENDER} characters")
    if sender_name and revealing_words(sender_name):
        raise InvalidInput("messaging: the sender name must not say what kind of practice this is or name a title")
    if callback_phone and (len(callback_phone) > 40 or not re.fullmatch(r"[0-9+().\- ]*[0-9][0-9+().\- ]*",
                                                                         callback_phone)):
        raise InvalidInput("messaging: the call-back number must be a phone number")
    with audited_transaction():
        practice = Practice.objects.select_for_update().get(pk=user.practice_id)
        practice.message_sender, practice.callback_phone = sender_name, callback_phone
        practice.save(update_fields=["message_sender", "callback_phone"])
        audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role, action="practice.messaging", purpose="HOPERAT",
                     client_ref="", decision=None, detail={"sender_derived": not sender_name})
    return {"sender": practice_sender(practice), "callback_phone": practice.callback_phone}


# --- contact preferences: read and set ------------------------------------------------

def contact_preferences_get(*, user: User, client_id) -> dict:
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"contact_preferences"}, detail={"view": "contact_preferences"}) as ok:
        client = Client.objects.only("id", "preferences_enc").get(id=ok.client.id, practice_id=ok.client.practice_id)
        raw = unseal(data_key_of(ok.client), Client, "preferences_enc", client.id, client.preferences_enc)
    return preferences_view(preferences_normalize(raw))


def contact_preferences_set(*, user: User, client_id, prefs: dict) -> dict:
    """Replace the client's contact preferences. The client (portal or API), the front
    desk or a treating clinician; whoever asks, no reason is asked for (CC-3). The
    whole document is given: a channel left out is an error, never silently changed."""
    clean = preferences_check(prefs)
    with access.governed(user=user, client_id=client_id, action="write", purpose=access.default_purpose(user),
                         categories={"contact_preferences"}, detail={"record": "contact_preferences"}) as ok:
        dek = data_key_of(ok.client)
        Client.objects.filter(practice_id=ok.client.practice_id, id=ok.client.id).update(
            preferences_enc=seal(dek, Client, "preferences_enc", ok.client.id, clean))
    return preferences_view(clean)


# --- rendering ------------------------------------------------------------------------

@dataclass(frozen=True)
class ReminderFacts:
    """What a reminder may draw on. Templates choose; the neutral ones use only the
    first name, the time, the sender and the call-back number."""

    appointment_id: str
    first_name: str
    full_name: str
    starts_at: datetime  # aware
    minutes: int
    tz: str
    clinician_name: str
    clinician_licence: str
    label: str
    room: str
    practice_name: str
    sender: str
    callback: str


def _when(facts: ReminderFacts) -> str:
    local = facts.starts_at.astimezone(ZoneInfo(facts.tz))
    hour = local.hour % 12 or 12
    return f"{local:%A}, {local:%B} {local.day} at {hour}:{local:%M} {'AM' if local.hour < 12 else 'PM'} {local:%Z}"


def _call(facts: ReminderFacts) -> str:
    return f"please call {facts.callback}" if facts.callback else "please call us"


def _with_whom(facts: ReminderFacts) -> str:
    who = facts.clinician_name + (f", {facts.clinician_licence}" if facts.clinician_licence else "")
    where = f" ({facts.room})" if facts.room else ""
    return f"with {who}, at {facts.practice_name}{where}"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str


def reminder_render(channel: str, facts: ReminderFacts, *, details: bool, address: str = "") -> Rendered:
    """The reminder for one channel. `details` only when the client opted in."""
    when, call = _when(facts), _call(facts)
    if channel == "voicemail":
        if not details:
            # name_callback: the name and a call-back number, nothing about an appointment
            return Rendered("", f"This is a message for {facts.first_name} from {facts.sender}; {call}.")
        return Rendered("", f"This is {facts.sender} calling for {facts.first_name} with a reminder of your appointment "
                            f"{_with_whom(facts)} on {when}. If you need to change it, {call}.")
    if channel == "text":
        if not details:
            return Rendered("", f"Hi {facts.first_name}, a reminder of your appointment on {when}. "
                                f"To change it, {call}. {facts.sender}")
        return Rendered("", f"Hi {facts.first_name}, a reminder of your appointment {_with_whom(facts)} on {when}. "
                            f"To change it, {call}. {facts.sender}")
    if channel == "email":
        if not details:
            return Rendered("Appointment reminder",
                            f"Hello {facts.first_name},\n\nThis is a reminder of your appointment on {when} "
                            f"({facts.minutes} minutes).\n\nTo change or cancel it, {call}.\n\n{facts.sender}\n")
        return Rendered(f"Your appointment at {facts.practice_name}",
                        f"Hello {facts.first_name},\n\nThis is a reminder of your appointment {_with_whom(facts)} "
                        f"on {when} ({facts.minutes} minutes).\n\nTo change or cancel it, {call}.\n\n"
                        f"{facts.sender}\n")
    if channel == "postal":
        # Always neutral: the envelope's return line is the sender name only.
        return Rendered("Appointment reminder",
                        f"{facts.sender}\n\n{facts.full_name}\n{address}\n\nDear {facts.first_name},\n\n"
                        f"This is a reminder of your appointment on {when} ({facts.minutes} minutes).\n"
                        f"To change or cancel it, {call}.\n\n{facts.sender}\n")
    raise InvalidInput(f"channel must be one of {', '.join(CHANNELS)}")


def _uid_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1] or "localhost"


def reminder_ics(facts: ReminderFacts, *, details: bool) -> str:
    """The reminder as an iCalendar (RFC 5545) event, neutral unless `details`. Times
    are UTC; no organizer, no attendee, no location unless the client opted in."""
    cal = Calendar()
    cal.add("prodid", "-//Appointments//Reminder//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{facts.appointment_id}@{_uid_domain()}")
    event.add("dtstamp", datetime.now(timezone.utc).replace(microsecond=0))
    start = facts.starts_at.astimezone(timezone.utc)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=facts.minutes))
    call = _call(facts)
    if details:
        event.add("summary", f"Appointment {_with_whom(facts)}")
        event.add("location", facts.practice_name + (f", {facts.room}" if facts.room else ""))
    else:
        event.add("summary", "Appointment")
    event.add("description", f"To change or cancel it, {call}. {facts.sender}")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "Appointment")
    alarm.add("trigger", timedelta(hours=-1))
    event.add_component(alarm)
    cal.add_component(event)
    return cal.to_ical().decode("utf-8")


# --- which channel may carry it -------------------------------------------------------

@dataclass(frozen=True)
class Route:
    allowed: bool
    reason: str  # one line; empty when allowed
    to: str
    details: bool


def channel_route(prefs: dict, contact: dict, channel: str) -> Route:
    """Whether `channel` may carry a message to this client, and where to. A channel
    the client has not allowed is refused and the refusal says why in one line."""
    level = prefs.get(channel, "none")
    if level == "none":
        return Route(False, f"refused: the client has not allowed {CHANNEL_WORDS[channel]}", "", False)
    # A confidential alternative the client gave (164.522(b)) replaces what is on file.
    if channel in ("voicemail", "text"):
        to, missing = prefs.get("alternate_phone") or contact.get("phone") or "", "phone number"
    elif channel == "email":
        to, missing = prefs.get("alternate_email") or contact.get("email") or "", "email address"
    elif level == "alternate":
        to, missing = prefs.get("alternate_address") or "", "alternative address"
    else:
        to, missing = contact.get("address") or "", "home address"
    if not to:
        return Route(False, f"refused: no {missing} on file for {CHANNEL_WORDS[channel]}", "", False)
    return Route(True, "", to, details_allowed(prefs, channel))


# --- backends -------------------------------------------------------------------------

@dataclass(frozen=True)
class Outgoing:
    message_id: str
    channel: str
    to: str
    subject: str
    text: str
    sender: str
    ics: str | None = None
    client_id: uuid.UUID | None = None  # whose key seals the outbox file (None: the installation's)


def _email_message(out: Outgoing, connection=None) -> EmailMessage:
    from_address = settings.DEFAULT_FROM_EMAIL
    msg = EmailMessage(subject=out.subject, body=out.text, from_email=formataddr((out.sender, from_address)),
                       to=[out.to], connection=connection,
                       headers={"Message-ID": make_msgid(domain=from_address.rsplit("@", 1)[-1] or "localhost")})
    if out.ics:
        msg.attach("appointment.ics", out.ics, "text/calendar")
    return msg


class FileBackend:
    """Writes each outgoing message to one sealed file in the outbox directory (mode
    0600 in a 0700 directory): an .eml for email, a .txt for a voicemail script, a text
    or a letter, readable with `confide outbox show` (services.outbox). Nothing leaves
    the machine; a person or a gateway takes it from there."""

    name = "file"

    def __init__(self, directory: Path | None = None):
        self.directory = Path(directory or settings.CONFIDE["MESSAGE_OUTBOX_DIR"])

    def deliver(self, out: Outgoing) -> str:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        if out.channel == "email":
            name, data = f"{stamp}-{out.message_id}-email.eml", _email_message(out).message().as_bytes()
        else:
            head = {"voicemail": f"Call: {out.to}\nLeave this message, word for word:",
                    "text": f"Text to: {out.to}\nFrom: {out.sender}",
                    "postal": "Letter (print and post):"}[out.channel]
            name, data = f"{stamp}-{out.message_id}-{out.channel}.txt", f"{head}\n\n{out.text}\n".encode("utf-8")
        outbox_write(name, data, client_id=out.client_id, directory=self.directory)
        return name


class SmtpBackend:
    """Email through Django's email settings (EMAIL_BACKEND, EMAIL_HOST, ...; see
    confide.config.env). There is no telephone or SMS gateway yet: voicemail scripts,
    texts and letters go to the outbox as with the file backend."""

    name = "smtp"

    def __init__(self, outbox: FileBackend | None = None):
        self.outbox = outbox or FileBackend()

    def deliver(self, out: Outgoing) -> str:
        if out.channel != "email":
            return self.outbox.deliver(out)
        msg = _email_message(out, connection=get_connection(fail_silently=False))
        msg.send(fail_silently=False)
        return msg.extra_headers["Message-ID"]


def message_backend():
    """The backend CONFIDE_MESSAGE_BACKEND names (read at each send, so a change of
    settings takes effect at once)."""
    return SmtpBackend() if settings.CONFIDE["MESSAGE_BACKEND"] == "smtp" else FileBackend()


# --- reminders: preview and send ------------------------------------------------------

# What a reminder reads: who (first name), where to (contact), when (appointment) and
# what the client allows (preferences). Attendance is asked for too, to skip a
# cancelled appointment, but only those who may see it get it (not the front desk).
REMINDER_READS = frozenset({"identity", "contact", "appointments", "contact_preferences"})


def _parse_appointment_id(raw) -> uuid.UUID | None:
    if raw is None or raw == "":
        return None
    try:
        return uuid.UUID(str(raw))
    except (ValueError, TypeError, AttributeError):
        raise InvalidInput("appointment_id: not a valid id") from None


def _check_channel(channel) -> str:
    if not isinstance(channel, str) or channel not in CHANNELS:
        raise InvalidInput(f"channel must be one of {', '.join(CHANNELS)}")
    return channel


@dataclass(frozen=True)
class _Loaded:
    facts: ReminderFacts
    prefs: dict
    contact: dict


def _load(client: Client, appointment_id: uuid.UUID | None, cats: frozenset[str]) -> _Loaded | None:
    """Decrypt what a reminder needs, inside the door. None when the client has no
    such upcoming appointment."""
    dek = data_key_of(client)
    now = datetime.now(timezone.utc)
    rows = Appointment.objects.filter(practice_id=client.practice_id, client_id=client.id, starts_at__gte=now,
                                      cancelled_at__isnull=True).select_related("clinician")
    if appointment_id is not None:
        rows = rows.filter(id=appointment_id)
    appt = None
    for row in rows.order_by("starts_at", "id"):
        if "attendance" in cats:
            status = (unseal(dek, Appointment, "attendance_enc", row.id, row.attendance_enc) or {}).get("status")
            if status not in (None, "scheduled"):
                continue
        appt = row
        break
    if appt is None:
        return None
    row = (Client.objects.only("id", "identity_enc", "contact_enc", "preferences_enc", "practice")
           .get(id=client.id, practice_id=client.practice_id))
    identity = unseal(dek, Client, "identity_enc", row.id, row.identity_enc) or {}
    contact = unseal(dek, Client, "contact_enc", row.id, row.contact_enc) or {}
    prefs = preferences_normalize(unseal(dek, Client, "preferences_enc", row.id, row.preferences_enc))
    details = unseal(dek, Appointment, "details_enc", appt.id, appt.details_enc) or {}
    practice = Practice.objects.get(pk=client.practice_id)
    legal = identity.get("legal_name") or ""
    facts = ReminderFacts(
        appointment_id=str(appt.id), first_name=identity.get("preferred_name") or (legal.split() or [""])[0],
        full_name=legal, starts_at=appt.starts_at, minutes=appt.minutes, tz=practice.timezone,
        clinician_name=appt.clinician.full_name, clinician_licence=appt.clinician.licence,
        label=details.get("label") or "", room=details.get("room") or "", practice_name=practice.name,
        sender=practice_sender(practice), callback=practice.callback_phone)
    return _Loaded(facts, prefs, contact)


def _read_for_reminder(user: User, client_id, appointment_id, detail: dict) -> tuple[Client, _Loaded]:
    """Through the door: read what a reminder needs, all of it or nothing."""
    complete, loaded, client = False, None, None
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories=REMINDER_READS | {"attendance"}, detail=detail) as ok:
        complete = REMINDER_READS <= ok.decision.categories
        if complete:
            client = ok.client
            loaded = _load(ok.client, appointment_id, ok.decision.categories)
    if not complete:
        # e.g. a biller: may read contact but not the calendar; nothing was decrypted
        raise NotFound()
    if loaded is None:
        raise NotFound("no upcoming appointment")
    return client, loaded


def reminder_preview(*, user: User, client_id, appointment_id=None) -> dict:
    """What each channel would carry for an upcoming appointment (the next one when no
    id is given), or why it would be refused, and the iCalendar event. Sends nothing."""
    appt_id = _parse_appointment_id(appointment_id)
    _client, loaded = _read_for_reminder(user, client_id, appt_id, {"view": "reminder_preview"})
    channels = {}
    for channel in CHANNELS:
        route = channel_route(loaded.prefs, loaded.contact, channel)
        rendered = reminder_render(channel, loaded.facts, details=route.details, address=route.to) if route.allowed \
            else None
        channels[channel] = {"allowed": route.allowed, "reason": route.reason or None, "to": route.to or None,
                             "details": route.details, "subject": rendered.subject if rendered else None,
                             "text": rendered.text if rendered else None}
    return {"appointment_id": loaded.facts.appointment_id, "channels": channels,
            "ics": reminder_ics(loaded.facts, details=details_allowed(loaded.prefs, "email"))}


def reminder_send(*, user: User, client_id, channel: str, appointment_id=None) -> dict:
    """Send a reminder of an upcoming appointment (the next one when no id is given)
    over one channel, if the client allowed it. Every attempt is recorded as a
    `Message` (sent, refused with its reason, or failed) and audited; a refused
    message is never handed to a backend."""
    channel = _check_channel(channel)
    appt_id = _parse_appointment_id(appointment_id)
    client, loaded = _read_for_reminder(user, client_id, appt_id, {"view": "reminder", "channel": channel})
    route = channel_route(loaded.prefs, loaded.contact, channel)
    rendered = reminder_render(channel, loaded.facts, details=route.details, address=route.to) if route.allowed \
        else None
    ics = reminder_ics(loaded.facts, details=route.details) if route.allowed and channel == "email" else None
    rid = uuid.uuid4()
    status, reason, ref = ("sent", "", "") if route.allowed else ("refused", route.reason, "")
    with access.governed(user=user, client_id=client.id, action="write", purpose=access.default_purpose(user),
                         categories={"messages"}, detail={"record": "message", "channel": channel}) as ok:
        backend = message_backend()
        if rendered is not None:
            try:
                ref = backend.deliver(Outgoing(message_id=str(rid), channel=channel, to=route.to,
                                               subject=rendered.subject, text=rendered.text,
                                               sender=loaded.facts.sender, ics=ics, client_id=client.id))
            except Exception as exc:  # noqa: BLE001 - any transport fault: record it, say it in one line
                status, reason = "failed", f"failed: the {backend.name} backend did not accept the message"
                log.warning("message not delivered ref=%s backend=%s class=%s", rid, backend.name,
                            type(exc).__name__)
        body = {"appointment_id": loaded.facts.appointment_id, "kind": "reminder", "to": route.to or None,
                "subject": rendered.subject if rendered else None, "text": rendered.text if rendered else None,
                "ics": bool(ics), "details": route.details, "reason": reason or None, "backend": backend.name,
                "ref": ref or None, "by": str(user.pk)}
        Message.objects.create(id=rid, practice_id=ok.client.practice_id, client_id=ok.client.id, channel=channel,
                               status=status, body_enc=seal(data_key_of(ok.client), Message, "body_enc", rid,
                                                            body))
    return {"id": str(rid), "channel": channel, "status": status, "reason": reason or None,
            "appointment_id": loaded.facts.appointment_id,
            "text": rendered.text if rendered and status == "sent" else None}


def messages_list(*, user: User, client_id) -> list[dict]:
    """Every message sent, refused or failed for this client, newest first."""
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"messages"}, detail={"view": "messages"}) as ok:
        dek = data_key_of(ok.client)
        out = []
        for m in Message.objects.filter(practice_id=ok.client.practice_id, client_id=ok.client.id
                                        ).order_by("-created_at", "-id"):
            body = unseal(dek, Message, "body_enc", m.id, m.body_enc) or {}
            out.append({"id": str(m.id), "at": m.created_at.isoformat(), "channel": m.channel, "status": m.status,
                        "reason": body.get("reason"), "to": body.get("to"), "subject": body.get("subject"),
                        "text": body.get("text"), "appointment_id": body.get("appointment_id")})
    return out


# --- the front desk -------------------------------------------------------------------

FRONT_DESK_SCRIPT = (
    "We can't confirm or deny whether anyone is a client here. If you'd like to leave a message, "
    "I can take your name and number, and if that person is a client, the message will be passed on."
)
FRONT_DESK_GUIDANCE = (
    "Give the same answer for every name, including people you know are clients.",
    "Do not look the name up while the caller is on the line, and do not say \"let me check\".",
    "Never confirm, move or describe an appointment to anyone but the client.",
    "Take the caller's name and number only; the clinical team decides whether to call back.",
)


def front_desk_script() -> dict:
    """The front desk's answer to "is this person a client?": one fixed script that
    neither confirms nor denies. It takes no name and looks nothing up, so it cannot
    differ between a client and a stranger (seeds: never acknowledge a client or an
    appointment to a third party; DESIGN.md promise 2)."""
    return {"script": FRONT_DESK_SCRIPT, "guidance": list(FRONT_DESK_GUIDANCE)}


# --- the demo -------------------------------------------------------------------------

def messaging_demo_setup(*, practice_id) -> None:
    """The demo practice's call-back number, set by its administrator; the sender name
    stays derived ("HL Appointments")."""
    admin = User.objects.get(practice_id=practice_id, role="practice_admin")
    practice_messaging_set(user=admin, callback_phone=demo_data.PRACTICE["phone"])
