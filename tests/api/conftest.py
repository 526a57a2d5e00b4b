"""Fixtures for the HTTP tests: signed-in web sessions (OTP-verified for staff), row
counts of every model, the OpenAPI document, and the client-naming routes."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

API_PREFIX = "/api/v1"
OPENAPI_URL = f"{API_PREFIX}/openapi.json"
AUDITED_APPS = ("records", "practice", "auditlog")
PORTAL_ROLES = ("client", "representative")

# Valid bodies of every POST operation, by operation id. `ctx` gives
# the caller's practice clinician (appointments name one).
VALID_BODIES = {
    "ClientCreateApi": lambda ctx: {"identity": {"legal_name": "Testa Newclient", "dob": "1990-01-02"},
                                    "contact": {"email": "testa@example.com"}},
    "ProgressNoteCreateApi": lambda ctx: {"session_date": "2026-11-02", "text": "Worked on the exposure ladder."},
    "PsychotherapyNoteCreateApi": lambda ctx: {"session_date": "2026-11-02", "text": "My impressions only."},
    "RecordAddApi": lambda ctx: {"kind": "diagnosis", "data": {"code": "F41.1", "description": "GAD"}},
    "AppointmentCreateApi": lambda ctx: {"clinician_id": ctx["clinician_id"], "starts_at": "2026-12-01T15:00:00+00:00",
                                         "minutes": 50, "room": "2"},
    "BreakGlassOpenApi": lambda ctx: {"reason": "Client in crisis at the front desk, need the safety plan."},
}


def openapi_document() -> dict:
    """The OpenAPI document exactly as served (no token needed to read it)."""
    response = Client().get(OPENAPI_URL)
    assert response.status_code == 200, response.status_code
    return response.json()


def api_operations(doc: dict) -> list[tuple[str, str, dict]]:
    """(METHOD, path, operation) for every operation in the document."""
    return [(method.upper(), path, op) for path, ops in sorted(doc["paths"].items())
            for method, op in sorted(ops.items())]


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def web_client_routes() -> list[tuple[str, str]]:
    """(route, url name) of every web URL pattern with a <str:client_id> converter,
    found by walking the resolver (the API is enumerated from its own document)."""
    out = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith("api/"):
            continue
        if "<str:client_id>" in route:
            out.append((route, pattern.name))
    return sorted(out)


def route_url(route: str, client_id: str) -> str:
    return "/" + route.replace("<str:client_id>", client_id)


@pytest.fixture
def counts(db):
    """counts() -> {model label: row count} for every model of records, practice, auditlog."""
    models = [m for label in AUDITED_APPS for m in apps.get_app_config(label).get_models()]

    def snapshot() -> dict[str, int]:
        return {m._meta.label: m.objects.count() for m in models}
    return snapshot


def otp_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:  # e.g. the other practice's clinician: enrol one
        device = TOTPDevice.objects.create(user=user, name="test authenticator", confirmed=True)
    return device


@pytest.fixture
def web_client(db):
    """web_client(user) -> a django test Client with a signed-in session. Staff sessions
    are OTP-verified exactly as django_otp.login does it (the device's persistent id in
    the session); test_web_login_with_totp checks that the real /login/ form yields the
    same session key. The CSRF cookie is fetched first so that every later page answers
    without a first-visit Set-Cookie."""

    def make(user) -> Client:
        from django_otp import DEVICE_ID_SESSION_KEY

        client = Client()
        client.force_login(user)
        if user.role not in PORTAL_ROLES:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = otp_device(user).persistent_id
            session.save()
        client.get("/login/")  # sets the csrftoken cookie once
        return client
    return make


def one_line_json(response) -> dict:
    """The body of an error: one line of JSON, exactly {"error", "message"}."""
    assert response["Content-Type"] == "application/json", response["Content-Type"]
    raw = response.content.decode("utf-8")
    assert "\n" not in raw and "\r" not in raw, raw
    assert "Traceback" not in raw and 'File "' not in raw, raw
    body = json.loads(raw)
    assert set(body) == {"error", "message"}, body
    assert isinstance(body["error"], str) and isinstance(body["message"], str)
    return body
