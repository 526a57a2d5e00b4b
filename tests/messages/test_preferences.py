"""Contact preferences (RULES.md 1.9 CC-1, CC-3): their vocabulary, who may state them,
and scenario S14 (all mail to a work address: accommodate, never ask why)."""

from __future__ import annotations

import inspect

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import Client
from confide.core.errors import InvalidInput, NotFound
from confide.services.demo import data as demo_data
from confide.services.keys import client_data_key
from confide.services.messages import (
    contact_preferences_get,
    contact_preferences_set,
    preferences_check,
    preferences_normalize,
)
from confide.services.sealing import unseal
from tests.api.conftest import API_PREFIX, one_line_json, openapi_document

NEUTRAL = {"voicemail": "name_callback", "text": "neutral", "email": "neutral", "postal": "home"}
WORK = "Attn: J. Doe, Pacific Freight Co., 900 Commerce Street, Tacoma, WA 98402"
CANARY = "Canary-Zq7xK"


def _stored(client_id) -> dict:
    row = Client.objects.get(id=client_id)
    return unseal(client_data_key(row.id), Client, "preferences_enc", row.id, row.preferences_enc)


# --- the vocabulary ---------------------------------------------------------------------

@pytest.mark.parametrize("raw,expected", [
    # the earlier vocabulary reads in today's words
    ({"voicemail": "name_only", "text": True, "email": False, "postal": "home"},
     {"voicemail": "name_callback", "text": "neutral", "email": "none", "postal": "home"}),
    ({"voicemail": True, "text": False, "email": True, "postal": True},
     {"voicemail": "name_callback", "text": "none", "email": "neutral", "postal": "home"}),
    # nothing stated, unknown words, or an alternative address that is missing: never used
    (None, {"voicemail": "none", "text": "none", "email": "none", "postal": "none"}),
    ({"voicemail": "shout it", "text": ["neutral"], "email": "details"}, {"voicemail": "none", "text": "none",
                                                                 "email": "details", "postal": "none"}),
    ({"voicemail": "none", "text": "none", "email": "none", "postal": "alternate", "alternate_address": "  "},
     {"voicemail": "none", "text": "none", "email": "none", "postal": "none"}),
])
def test_stored_preferences_normalize_failing_closed(raw, expected):
    out = preferences_normalize(raw)
    assert out["reminder_hours"] is None  # no lead time chosen: no automatic reminder
    assert {k: v for k, v in out.items() if k not in ("alternate_address", "reminder_hours")} == expected


@pytest.mark.parametrize("stored,read", [(24, 24), (2, 2), (72, 72), (5, None), ("24", None), (True, None)])
def test_stored_lead_time_reads_only_as_one_of_the_choices(stored, read):
    assert preferences_normalize({"email": "neutral", "reminder_hours": stored})["reminder_hours"] == read


def test_every_demo_client_is_in_todays_vocabulary():
    for c in demo_data.CLIENTS:
        assert preferences_check(c["contact_preferences"]) == preferences_normalize(c["contact_preferences"])


@pytest.mark.parametrize("prefs,message", [
    ("voicemail", "contact preferences: expected an object"),
    ({**NEUTRAL, "reason": CANARY}, "contact preferences: unknown field 'reason'"),
    ({k: v for k, v in NEUTRAL.items() if k != "text"}, "contact preferences: missing field 'text'"),
    ({**NEUTRAL, "voicemail": CANARY}, "contact preferences: voicemail must be one of none, name_callback, details"),
    ({**NEUTRAL, "text": True}, "contact preferences: text must be one of none, neutral, details"),
    ({**NEUTRAL, "postal": "alternate"}, "contact preferences: postal 'alternate' needs an alternate_address"),
    ({**NEUTRAL, "postal": "alternate", "alternate_address": "   "},
     "contact preferences: alternate_address must hold 1 to 400 characters"),
    ({**NEUTRAL, "alternate_address": CANARY * 50}, "contact preferences: alternate_address must hold 1 to 400 characters"),
    ({**NEUTRAL, "alternate_address": CANARY + "\x00"}, "contact preferences: alternate_address holds control characters"),
    ({**NEUTRAL, "alternate_address": 12}, "contact preferences: alternate_address must be text"),
])
def test_bad_preferences_are_one_line_and_change_nothing(staff, cid, counts, prefs, message):
    before, stored = counts(), _stored(cid["c1"])
    with pytest.raises(InvalidInput) as exc:
        contact_preferences_set(user=staff["marsh"], client_id=cid["c1"], prefs=prefs)
    assert str(exc.value) == message and "\n" not in str(exc.value) and CANARY not in str(exc.value)
    assert counts() == before  # refused before the door: not even an audit row
    assert _stored(cid["c1"]) == stored


# --- who may state them -------------------------------------------------------------------

@pytest.mark.parametrize("username", ["lvarga", "fontaine", "marsh"])  # the client, the front desk, the clinician
def test_the_client_front_desk_and_clinician_set_preferences(staff, cid, username):
    out = contact_preferences_set(user=staff[username], client_id=cid["c1"], prefs={**NEUTRAL, "email": "details"})
    assert out == {**NEUTRAL, "email": "details", "alternate_address": None, "reminder_hours": None, "opt_in_details": ["email"]}
    assert _stored(cid["c1"]) == {**NEUTRAL, "email": "details", "alternate_address": None, "reminder_hours": None}
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.decision, event.categories) == ("write", "permit", ["contact_preferences"])
    assert contact_preferences_get(user=staff["marsh"], client_id=cid["c1"])["email"] == "details"


@pytest.mark.parametrize("username,key", [
    ("marsh", "c2"),         # a clinician, another clinician's client
    ("haddad", "c1"),        # the practice admin
    ("pellham", "c1"),       # the biller: contact, not preferences
    ("okafor", "c5"),        # a supervisor reads a supervisee's client, does not write
    ("lvarga", "c6"),        # one client for another
    ("acastellanos", "c3"),  # a parent
])
def test_unrelated_callers_get_not_found_and_nothing_changes(staff, cid, username, key):
    stored = _stored(cid[key])
    with pytest.raises(NotFound):
        contact_preferences_set(user=staff[username], client_id=cid[key], prefs=NEUTRAL)
    assert _stored(cid[key]) == stored
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.decision) == ("write", "deny")


def test_another_practice_gets_not_found(staff, cid, other_practice):
    with pytest.raises(NotFound):
        contact_preferences_get(user=other_practice["clinician"], client_id=cid["c1"])


# --- S14: all mail to a work address ---------------------------------------------------

def test_s14_mail_to_a_work_address_is_accommodated_without_asking_why(staff, cid, api_client, counts):
    """RULES.md section 9, S14 (CC-1, CC-3): the client asks for all mail to go to their
    work address. It must be accommodated and nothing may ask why."""
    # nothing in the request can ask why: the input schema has the channels, the address and the lead time only
    schema = openapi_document()["components"]["schemas"]["ContactPreferencesIn"]
    assert set(schema["properties"]) == {"voicemail", "text", "email", "postal", "alternate_address",
                                         "alternate_phone", "alternate_email", "timezone", "reminder_hours"}
    assert set(schema.get("required", [])) == {"voicemail", "text", "email", "postal"}
    # and a reason offered anyway is not taken
    web = api_client(staff["lvarga"])
    refused = web.post(f"{API_PREFIX}/me/contact-preferences", content_type="application/json",
                       data={**NEUTRAL, "postal": "alternate", "alternate_address": WORK, "reason": "privacy"})
    assert refused.status_code == 422 and one_line_json(refused)["message"] == "reason: extra inputs are not permitted"
    # the client states it, with no reason, and it is accommodated at once
    before = counts()
    response = web.post(f"{API_PREFIX}/me/contact-preferences", content_type="application/json",
                        data={**NEUTRAL, "postal": "alternate", "alternate_address": WORK})
    assert response.status_code == 200, response.content
    assert response.json()["postal"] == "alternate" and response.json()["alternate_address"] == WORK
    after = counts()
    assert {k: after[k] - before[k] for k in after if after[k] != before[k]} == {"auditlog.AuditEvent": 1}
    # every later letter goes to work, never home (tests/messages/test_send.py sends one)
    assert web.get(f"{API_PREFIX}/me/contact-preferences").json()["alternate_address"] == WORK
    assert _stored(cid["c1"])["alternate_address"] == WORK


def test_front_desk_records_the_same_request_by_phone(staff, cid):
    """The same request taken by the front desk: stored as given; the service has no
    parameter for a reason, so none can be demanded."""
    out = contact_preferences_set(user=staff["fontaine"], client_id=cid["c6"],
                                  prefs={**NEUTRAL, "postal": "alternate", "alternate_address": WORK})
    assert out["postal"] == "alternate" and out["alternate_address"] == WORK
    assert set(inspect.signature(contact_preferences_set).parameters) == {"user", "client_id", "prefs"}
