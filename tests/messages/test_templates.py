"""Promise 10: default templates name no clinician title, no practice type and no
clinical word; details appear only where the client opted in; the iCalendar event is
valid RFC 5545 (parsed back with icalendar)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from icalendar import Calendar

from confide.apps.practice.models import Practice, User
from confide.apps.records.models import Appointment
from confide.core.errors import Forbidden, InvalidInput
from confide.services.demo import data as demo_data
from confide.services.messages import (
    CHANNELS,
    contact_preferences_set,
    practice_messaging_set,
    practice_sender,
    reminder_preview,
    revealing_words,
)

ALL_NEUTRAL = {"voicemail": "name_callback", "text": "neutral", "email": "neutral", "postal": "home"}
ALL_DETAILS = {"voicemail": "details", "text": "details", "email": "details", "postal": "home"}
# Words a reader could take the practice's kind from, beyond the scanner's own list:
# what the demo practice and its people are called.
STAFF_WORDS = [s["full_name"] for s in demo_data.STAFF] + [s["licence"] for s in demo_data.STAFF if s["licence"]]
PRACTICE_WORDS = [demo_data.PRACTICE["name"], "Harbor Light", demo_data.PRACTICE["address"], "Room 1", "Room 2"]


def _treating(key: str) -> str:
    return next(c for c in demo_data.CLIENTS if c["key"] == key)["care_team"][0]["staff"]


def _previews(staff, cid, prefs) -> list[tuple[str, dict]]:
    """The preview of every demo client's next appointment, with `prefs` stated first."""
    out = []
    for c in demo_data.CLIENTS:
        user = staff[_treating(c["key"])]
        contact_preferences_set(user=user, client_id=cid[c["key"]], prefs=prefs)
        out.append((c["key"], reminder_preview(user=user, client_id=cid[c["key"]])))
    return out


def _client_words(key: str) -> list[str]:
    """What the client gave us (their own address may say anything): not the template's."""
    c = next(c for c in demo_data.CLIENTS if c["key"] == key)
    return [c["address"], c["legal_name"], c["preferred_name"]]


def _unfold(ics: str) -> str:
    """RFC 5545 3.1: a CRLF followed by one space or tab continues the line."""
    return re.sub(r"\r\n[ \t]", "", ics).replace("\\,", ",").replace("\\;", ";")


def _strip(text: str, words: list[str]) -> str:
    for w in sorted(words, key=len, reverse=True):
        text = text.replace(w, "")
    return text


def test_the_scanner_finds_what_it_looks_for():
    """A scan that finds nothing must be able to find something."""
    for sample in ["Harbor Light Counseling", "your therapy session", "Theo Marsh-Calloway, LMHC",
                   "Dr. Okafor", "a psychologist", "Recovery Center", "behavioral health", "pre-licensed (LMHCA)",
                   "mental health", "substance use", "your counselling appointment", "PsyD"]:
        assert revealing_words(sample), sample
    for sample in ["Appointment reminder", "HL Appointments", "Hi Lena, a reminder of your appointment",
                   "7705 South Alder Crest Drive", "please call 253-555-0100"]:
        assert not revealing_words(sample), sample


def test_every_default_template_reveals_nothing(staff, cid):
    """Every channel's default rendering, for every demo client's next appointment, and
    the iCalendar event: no revealing word, no clinician name or title, no practice name,
    address or room."""
    previews = _previews(staff, cid, ALL_NEUTRAL)
    assert len(previews) == len(demo_data.CLIENTS)
    scanned = 0
    for key, preview in previews:
        for channel in CHANNELS:
            entry = preview["channels"][channel]
            assert entry["allowed"] and not entry["details"], (key, channel, entry)
            for text in (entry["subject"] or "", entry["text"]):
                own = _strip(text, _client_words(key))
                assert revealing_words(own) == [], (key, channel, text)
                for word in STAFF_WORDS + PRACTICE_WORDS:
                    assert word.lower() not in own.lower(), (key, channel, word)
                scanned += 1
        ics = _unfold(preview["ics"])  # a folded line could split a word in two
        assert revealing_words(ics) == [], (key, ics)
        for word in STAFF_WORDS + PRACTICE_WORDS:
            assert word.lower() not in ics.lower(), (key, word)
        assert "LOCATION" not in ics and "ORGANIZER" not in ics and "ATTENDEE" not in ics
    assert scanned == len(demo_data.CLIENTS) * len(CHANNELS) * 2


def test_details_appear_only_where_the_client_opted_in(staff, cid):
    """The positive control: with details allowed, the same scan finds the clinician's
    title and the practice (so the neutral scan above can fail)."""
    for key, preview in _previews(staff, cid, ALL_DETAILS):
        for channel in ("voicemail", "text", "email"):
            entry = preview["channels"][channel]
            assert entry["details"] and revealing_words(entry["text"]), (key, channel)
            assert demo_data.PRACTICE["name"] in entry["text"]
        # a letter is neutral whatever the other channels allow
        assert not preview["channels"]["postal"]["details"]
        assert revealing_words(_strip(preview["channels"]["postal"]["text"], _client_words(key))) == []
        assert "LOCATION" in preview["ics"] and revealing_words(_unfold(preview["ics"]))


def test_one_channel_opted_in_leaves_the_others_neutral(staff, cid):
    contact_preferences_set(user=staff["marsh"], client_id=cid["c1"], prefs={**ALL_NEUTRAL, "text": "details"})
    preview = reminder_preview(user=staff["marsh"], client_id=cid["c1"])
    assert "LMHC" in preview["channels"]["text"]["text"]
    for channel in ("voicemail", "email", "postal"):
        assert "LMHC" not in preview["channels"][channel]["text"]
    assert "LMHC" not in preview["ics"]  # the event travels by email: the email level governs it


def test_voicemail_name_callback_says_name_and_number_only(staff, cid):
    preview = reminder_preview(user=staff["okafor"], client_id=cid["c2"])  # Des: name and call-back only
    assert preview["channels"]["voicemail"]["text"] == \
        "This is a message for Des from HL Appointments; please call 253-555-0100."


def test_text_and_email_defaults_read_as_written(staff, cid):
    preview = reminder_preview(user=staff["marsh"], client_id=cid["c1"])
    text = preview["channels"]["text"]["text"]
    assert re.fullmatch(r"Hi Lena, a reminder of your appointment on \w+day, \w+ \d+ at \d+:\d\d [AP]M P[SD]T\. "
                        r"To change it, please call 253-555-0100\. HL Appointments", text), text
    assert preview["channels"]["email"]["subject"] == "Appointment reminder"


# --- iCalendar ------------------------------------------------------------------------

def test_ics_parses_back_and_matches_the_appointment(staff, cid):
    preview = reminder_preview(user=staff["marsh"], client_id=cid["c1"])
    cal = Calendar.from_ical(preview["ics"])
    assert cal["VERSION"] == "2.0" and str(cal["PRODID"]) == "-//Appointments//Reminder//EN"
    events = cal.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    appt = Appointment.objects.get(id=preview["appointment_id"])
    assert event.decoded("DTSTART") == appt.starts_at
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=appt.minutes)
    assert str(event["SUMMARY"]) == "Appointment"
    assert str(event["UID"]).startswith(preview["appointment_id"] + "@")
    assert "253-555-0100" in str(event["DESCRIPTION"])
    alarms = event.walk("VALARM")
    assert len(alarms) == 1 and str(alarms[0]["DESCRIPTION"]) == "Appointment"
    # RFC 5545: CRLF line endings, lines folded at 75 octets
    raw = preview["ics"].encode()
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))


def test_preview_of_a_given_appointment(staff, cid):
    appts = list(Appointment.objects.filter(client_id=cid["c1"]).order_by("starts_at"))
    later = appts[-1]
    preview = reminder_preview(user=staff["marsh"], client_id=cid["c1"], appointment_id=str(later.id))
    assert preview["appointment_id"] == str(later.id)
    assert Calendar.from_ical(preview["ics"]).walk("VEVENT")[0].decoded("DTSTART") == later.starts_at


# --- the sender name ----------------------------------------------------------------------

@pytest.mark.parametrize("name,sender", [
    ("Harbor Light Counseling", "HL Appointments"),
    ("Inner Heart Therapy", "IH Appointments"),
    ("Cascade Recovery Center for Behavioral Health", "CC Appointments"),
    ("Counseling & Psychotherapy", "Appointments"),
])
def test_sender_is_derived_without_revealing_words(name, sender):
    practice = Practice(name=name)
    assert practice_sender(practice) == sender
    assert revealing_words(practice_sender(practice)) == []


def test_admin_sets_a_neutral_sender_only(staff):
    admin = staff["haddad"]
    for bad in ("Harbor Light Counseling", "Dr. Okafor's office", "Therapy Reminders"):
        with pytest.raises(InvalidInput):
            practice_messaging_set(user=admin, sender_name=bad, callback_phone="253-555-0100")
    with pytest.raises(InvalidInput):
        practice_messaging_set(user=admin, sender_name="HL", callback_phone="call me maybe")
    with pytest.raises(Forbidden):
        practice_messaging_set(user=staff["marsh"], sender_name="Front Office")
    out = practice_messaging_set(user=admin, sender_name="Front Office", callback_phone="253-555-0100")
    assert out == {"sender": "Front Office", "callback_phone": "253-555-0100"}
    assert User.objects.get(pk=admin.pk).practice.message_sender == "Front Office"
