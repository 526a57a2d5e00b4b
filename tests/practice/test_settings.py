"""The settings hub: the administrator reads the rules and promises in force with their
citations and marks, sets how messages are signed; nobody else opens it."""

from __future__ import annotations

import pytest

from confide.core.errors import Forbidden
from confide.services.practice.settings_hub import settings_overview
from tests.web.signin import signed_in


def test_overview_lists_packs_promises_and_state_rules_with_marks(staff):
    data = settings_overview(user=staff["haddad"])
    assert data["practice"]["jurisdiction"] == "US-WA" and data["practice"]["sender"]
    assert {p["id"] for p in data["promises"]} >= {"PRACTICE-PROMISE-REPRODUCTIVE", "PRACTICE-PROMISE-GENDER"}
    assert all(p["citation"] and p["mark"]["code"] for p in data["promises"])
    assert any(p["jurisdiction"] == "US" for p in data["packs"])
    assert data["state_rules"] and all(r["jurisdiction"] == "US-WA" and r["citation"] for r in data["state_rules"])
    assert {f["code"] for f in data["note_formats"]} == {"SOAP", "DAP", "BIRP", "free"}


@pytest.mark.parametrize("username", ["marsh", "okafor", "fontaine", "pellham"])
def test_only_the_admin_opens_settings(staff, username):
    with pytest.raises(Forbidden):
        settings_overview(user=staff[username])
    assert signed_in(staff[username]).get("/settings/").status_code == 404


def test_settings_page_shows_citations_and_saves_a_neutral_sender(staff):
    web = signed_in(staff["haddad"])
    page = web.get("/settings/")
    body = page.content.decode()
    assert page.status_code == 200 and "Our promises" in body and "Rule packs in force" in body
    assert "verified against the primary text" in body and ("45 CFR" in body or "RCW" in body)
    refused = web.post("/settings/", {"sender_name": "Harbor Counseling", "callback_phone": ""})
    assert refused.status_code == 400 and b"must not say what kind of practice" in refused.content
    saved = web.post("/settings/", {"sender_name": "Harbor Office", "callback_phone": "253-555-0100"})
    assert saved.status_code == 302
    assert b"Harbor Office" in web.get("/settings/").content
