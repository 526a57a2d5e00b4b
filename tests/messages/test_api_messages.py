"""The messages API: preferences (staff and the client's own), previews with a valid
iCalendar event, sends, the message log; bad input is a one-line 4xx that changes
nothing. (Existence secrecy and generic bad bodies for every route are covered by
tests/api, which enumerate these routes from the OpenAPI document.)"""

from __future__ import annotations

import json

import pytest
from icalendar import Calendar

from confide.config.env import ConfigError, load
from tests.api.conftest import API_PREFIX, one_line_json

CANARY = "Canary-Zq7xK"
NEUTRAL = {"voicemail": "name_callback", "text": "neutral", "email": "neutral", "postal": "home"}


def _post(client, url, body):
    return client.post(url, data=json.dumps(body) if not isinstance(body, bytes) else body,
                       content_type="application/json")


def _delta(before, after):
    return {k: after[k] - before[k] for k in after if after[k] != before[k]}


def test_client_reads_and_sets_their_own_preferences(staff, api_client):
    web = api_client(staff["lvarga"])
    assert web.get(f"{API_PREFIX}/me/contact-preferences").json() == {
        "voicemail": "details", "text": "neutral", "email": "neutral", "postal": "home", "alternate_address": None,
        "alternate_phone": None, "alternate_email": None, "timezone": None, "reminder_hours": None, "opt_in_details": ["voicemail"]}
    response = _post(web, f"{API_PREFIX}/me/contact-preferences", {**NEUTRAL, "voicemail": "none"})
    assert response.status_code == 200 and response.json()["voicemail"] == "none"


def test_staff_have_no_own_preferences(staff, api_client):
    response = api_client(staff["marsh"]).get(f"{API_PREFIX}/me/contact-preferences")
    assert response.status_code == 404 and one_line_json(response)["error"] == "not_found"


def test_front_desk_sets_and_reads_a_clients_preferences(staff, cid, api_client):
    web = api_client(staff["fontaine"])
    url = f"{API_PREFIX}/clients/{cid['c2']}/contact-preferences"
    assert _post(web, url, {**NEUTRAL, "email": "none"}).status_code == 200
    assert web.get(url).json()["email"] == "none"


def test_preview_send_and_list(staff, cid, api_client, outbox):
    web = api_client(staff["okafor"])
    preview = web.get(f"{API_PREFIX}/clients/{cid['c7']}/reminders/preview").json()
    assert preview["channels"]["voicemail"] == {"allowed": False, "reason": "refused: the client has not allowed voicemail",
                                                "to": None, "details": False, "subject": None, "text": None}
    assert Calendar.from_ical(preview["ics"]).walk("VEVENT")
    sent = _post(web, f"{API_PREFIX}/clients/{cid['c7']}/reminders",
                 {"channel": "text", "appointment_id": preview["appointment_id"]})
    assert sent.status_code == 201
    assert sent.json() == {"id": sent.json()["id"], "channel": "text", "status": "refused",
                           "reason": "refused: the client has not allowed text messages",
                           "appointment_id": preview["appointment_id"], "text": None}
    listed = web.get(f"{API_PREFIX}/clients/{cid['c7']}/messages").json()
    assert [(m["id"], m["status"]) for m in listed] == [(sent.json()["id"], "refused")]
    assert outbox() == []


@pytest.mark.parametrize("path,body,status,message", [
    ("contact-preferences", {**NEUTRAL, "postal": "alternate"}, 400,
     "contact preferences: postal 'alternate' needs an alternate_address"),
    ("contact-preferences", {**NEUTRAL, "postal": "alternate", "alternate_address": "  "}, 400,
     "contact preferences: alternate_address must hold 1 to 400 characters"),
    ("contact-preferences", {**NEUTRAL, "alternate_address": CANARY + "\u0007"}, 400,
     "contact preferences: alternate_address holds control characters"),
    ("contact-preferences", {**NEUTRAL, "why": CANARY}, 422, "why: extra inputs are not permitted"),
    ("contact-preferences", {**NEUTRAL, "text": True}, 422, None),
    ("contact-preferences", {**NEUTRAL, "voicemail": CANARY}, 422, None),
    ("reminders", {"channel": "fax"}, 422, None),
    ("reminders", {"channel": "email", "appointment_id": CANARY}, 400, "appointment_id: not a valid id"),
    ("reminders", {"channel": "email", "appointment_id": CANARY * 10}, 422, None),
])
def test_bad_input_is_one_line_and_changes_nothing(staff, cid, api_client, counts, outbox, path, body, status,
                                                   message):
    web = api_client(staff["marsh"])
    before = counts()
    response = _post(web, f"{API_PREFIX}/clients/{cid['c1']}/{path}", body)
    assert response.status_code == status, response.content
    error = one_line_json(response)
    assert CANARY.lower() not in response.content.decode().lower()
    if message:
        assert error["message"] == message
    assert _delta(before, counts()) == {} and outbox() == []


def test_bad_appointment_id_in_a_preview(staff, cid, api_client, counts):
    web = api_client(staff["marsh"])
    before = counts()
    response = web.get(f"{API_PREFIX}/clients/{cid['c1']}/reminders/preview", {"appointment_id": CANARY})
    assert response.status_code == 400 and one_line_json(response)["message"] == "appointment_id: not a valid id"
    assert _delta(before, counts()) == {}


@pytest.mark.parametrize("env,message", [
    ({"CONFIDE_MESSAGE_BACKEND": "pigeon"}, "CONFIDE_MESSAGE_BACKEND: expected one of file, smtp"),
    ({"CONFIDE_EMAIL_USE_TLS": "yes"}, "CONFIDE_EMAIL_USE_TLS: expected 0 or 1"),
    ({"CONFIDE_EMAIL_USE_TLS": "1", "CONFIDE_EMAIL_USE_SSL": "1"},
     "CONFIDE_EMAIL_USE_TLS and CONFIDE_EMAIL_USE_SSL: choose one"),
    ({"CONFIDE_EMAIL_FROM": "Harbor <x@y>"}, "CONFIDE_EMAIL_FROM: expected a plain address such as appointments@example.org"),
    ({"CONFIDE_EMAIL_PORT": "twenty-five"}, "CONFIDE_EMAIL_PORT: expected a whole number"),
])
def test_message_configuration_faults_are_one_line(monkeypatch, env, message):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as exc:
        load()
    assert str(exc.value) == message


def test_message_configuration_defaults_are_safe(monkeypatch, tmp_path):
    for name in ("CONFIDE_MESSAGE_BACKEND", "CONFIDE_MESSAGE_OUTBOX_DIR", "CONFIDE_EMAIL_HOST", "CONFIDE_EMAIL_FROM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CONFIDE_VAR_DIR", str(tmp_path))
    env = load()
    assert env.message_backend == "file"  # nothing leaves the machine until configured
    assert env.outbox_dir == tmp_path / "outbox"
    assert env.email["EMAIL_HOST"] == "localhost" and env.email["DEFAULT_FROM_EMAIL"] == "appointments@localhost"
    monkeypatch.setenv("CONFIDE_MESSAGE_BACKEND", "smtp")
    monkeypatch.setenv("CONFIDE_EMAIL_HOST", "mail.example.org")
    assert (load().message_backend, load().email["EMAIL_HOST"]) == ("smtp", "mail.example.org")
