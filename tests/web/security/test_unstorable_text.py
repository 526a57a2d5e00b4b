"""NUL bytes and lone surrogates in any text input: one line, 422, nothing changed, on
SQLite and PostgreSQL alike (PostgreSQL cannot store a NUL; no database stores a lone
surrogate as UTF-8)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.web.signin import signed_in

BAD_JSON = ['"Lena\\u0000"', '"\\ud800"', '"ok\\u0000 then"']


@pytest.mark.parametrize("text", BAD_JSON)
def test_api_bodies_with_unstorable_text_get_one_line_422(staff, api_client, cid, counts, text):
    api = api_client(staff["marsh"])
    before = counts()
    body = '{"identity": {"legal_name": %s}}' % text
    response = api.post("/api/v1/clients", data=body, content_type="application/json")
    assert response.status_code == 422
    data = response.json()
    assert data["error"] == "invalid_input" and "\n" not in data["message"]
    note = '{"session_date": "2026-01-05", "text": %s}' % text
    response = api.post(f"/api/v1/clients/{cid['c1']}/progress-notes", data=note, content_type="application/json")
    assert response.status_code == 422
    assert counts() == before


def test_raw_nul_in_a_json_body_gets_422(staff, api_client):
    api = api_client(staff["marsh"])
    body = json.dumps({"identity": {"legal_name": "x"}}).encode().replace(b"x", b"x\x00")
    response = api.post("/api/v1/clients", data=body, content_type="application/json")
    assert response.status_code == 422


@pytest.mark.parametrize("where", ["login", "query", "path", "search"])
def test_forms_queries_and_paths_with_nul_get_422(staff, where):
    if where == "login":
        response = Client().post("/login/", {"username": "marsh\x00", "password": "x\x00", "otp": ""})
    elif where == "query":
        response = Client().get("/login/?next=/%00")
    elif where == "path":
        response = Client().get("/clients/%00/")
    else:
        response = signed_in(staff["fontaine"]).get("/clients/?q=Lena%00")
    assert response.status_code == 422
    assert response.content.count(b"\n") == 0 and b"Traceback" not in response.content


def test_ordinary_text_still_passes(staff, api_client):
    api = api_client(staff["marsh"])
    response = api.post("/api/v1/clients", data={"identity": {"legal_name": "Zoë \u00e9 \u4e2d"}},
                        content_type="application/json")
    assert response.status_code in (200, 201)
