"""Bad input to every POST operation: a 4xx with one line of JSON {"error", "message"},
no traceback, never the submitted value (in the answer or in any log line), and no
change to any row of the records, practice and auditlog apps.

What may be written, decided precisely: a request rejected before its service reaches
the door (token, size, content type, parsing, schema validation, or a service's own
argument checks) writes nothing at all. A request that reaches the door is audited:
a malformed client id with a valid body is refused there, and writes exactly one
AuditEvent (a deny), like any id that names no client.
"""

from __future__ import annotations

import json
import logging

import pytest
from django.conf import settings
from django.test import Client

from confide.apps.practice.models import ApiToken
from tests.api.conftest import API_PREFIX, VALID_BODIES, api_operations, one_line_json, openapi_document

CANARY = "Canary-Zq7xK"  # put in submitted values; must never come back or reach a log
NOTHING: dict = {}
ONE_DENY = {"auditlog.AuditEvent": 1}

DOC = openapi_document()
POST_OPS = [(path[len(API_PREFIX):], op) for method, path, op in api_operations(DOC) if method == "POST"]
ALL_OPS = [(method, path[len(API_PREFIX):], op["operationId"]) for method, path, op in api_operations(DOC)]


def _schema(op) -> dict:
    ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return DOC["components"]["schemas"][ref.rsplit("/", 1)[1]]


def _raw(obj) -> bytes:
    return json.dumps(obj).encode()


def _wrong_type(value):
    return CANARY if isinstance(value, dict) else {CANARY: CANARY}


def _cases(op):
    """(case id, body bytes, content type, expected status, expected rows written)."""
    op_id = op["operationId"]
    valid = VALID_BODIES[op_id]({"clinician_id": 0})  # clinician id fixed up per request
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    first_text = next(k for k, v in valid.items() if isinstance(v, str)) if any(
        isinstance(v, str) for v in valid.values()) else None
    cases = [
        ("oversized", b'{"x": "' + CANARY.encode() * (limit // len(CANARY) + 1) + b'"}', "application/json", 413, NOTHING),
        ("invalid utf-8", b'{"x": "' + CANARY.encode() + b'\xff\xfe"}', "application/json", 400, NOTHING),
        ("invalid json", b'{"x": "' + CANARY.encode() + b'",', "application/json", 400, NOTHING),
        ("NaN is not JSON", _raw(valid)[:-1] + b', "x": NaN}', "application/json", 400, NOTHING),
        ("infinite number", _raw(valid)[:-1] + b', "x": 1e400}', "application/json", 400, NOTHING),
        ("nested too deeply", b"[" * 100 + b"]" * 100, "application/json", 400, NOTHING),
        ("very deep nesting", b"[" * 200_000 + b"]" * 200_000, "application/json", 400, NOTHING),
        ("text/plain", _raw(valid), "text/plain", 415, NOTHING),
        ("form-encoded", f"x={CANARY}".encode(), "application/x-www-form-urlencoded", 415, NOTHING),
        ("no content type", _raw(valid), "", 415, NOTHING),
        ("unknown field", _raw({**valid, "unexpected": CANARY}), "application/json", 422, NOTHING),
        ("missing fields", b"{}", "application/json", 422, NOTHING),
        ("empty body", b"", "application/json", 422, NOTHING),
        ("array body", _raw([valid]), "application/json", 422, NOTHING),
        ("string body", _raw(CANARY), "application/json", 422, NOTHING),
    ]
    if first_text:
        cases.append(("lone surrogate", _raw({**valid, first_text: "\ud800" + CANARY}), "application/json", 422, NOTHING))
        cases.append(("NUL", _raw({**valid, first_text: CANARY + "\x00"}), "application/json", 422, NOTHING))
    for field, value in valid.items():
        cases.append((f"wrong type {field}", _raw({**valid, field: _wrong_type(value)}), "application/json", 422, NOTHING))
    for field in _schema(op).get("required", []):
        cases.append((f"null {field}", _raw({**valid, field: None}), "application/json", 422, NOTHING))
    cases += SERVICE_CHECKS.get(op_id, [])
    return cases


# Rejected by the service's own argument checks, before the door: nothing written.
SERVICE_CHECKS = {
    "ProgressNoteCreateApi": [("blank text", _raw({"session_date": "2026-11-02", "text": "   "}), "application/json",
                               400, NOTHING)],
    "RecordAddApi": [
        ("record unknown key", _raw({"kind": "diagnosis", "data": {"code": "F41.1", "description": "x", "zz": CANARY}}),
         "application/json", 400, NOTHING),
        ("record missing key", _raw({"kind": "diagnosis", "data": {"code": CANARY}}), "application/json", 400, NOTHING),
        ("record unknown kind", _raw({"kind": CANARY, "data": {}}), "application/json", 422, NOTHING),
        # free-form `data` passes the schema, so the parser must refuse what cannot be stored
        ("NaN inside data", b'{"kind": "diagnosis", "data": {"code": NaN, "description": "x"}}', "application/json",
         400, NOTHING),
        ("1e400 inside data", b'{"kind": "diagnosis", "data": {"code": 1e400, "description": "x"}}',
         "application/json", 400, NOTHING),
        ("lone surrogate inside data", _raw({"kind": "diagnosis", "data": {"code": "\udfff", "description": CANARY}}),
         "application/json", 422, NOTHING),
        ("deep nesting inside data", b'{"kind": "diagnosis", "data": {"code": ' + b"[" * 40 + b"]" * 40
         + b', "description": "x"}}', "application/json", 400, NOTHING),
    ],
    "AppointmentCreateApi": [
        ("naive time", _raw({"clinician_id": 0, "starts_at": "2026-12-01T15:00:00"}), "application/json", 400, NOTHING),
        ("time out of range", _raw({"clinician_id": 0, "starts_at": "9999-12-31T23:59:59-12:00"}), "application/json",
         422, NOTHING),
        ("huge clinician id", _raw({"clinician_id": 10**30, "starts_at": "2026-12-01T15:00:00+00:00"}),
         "application/json", 422, NOTHING),
        ("not a clinician", _raw({"clinician_id": -7, "starts_at": "2026-12-01T15:00:00+00:00"}), "application/json",
         422, NOTHING),
    ],
    "ConsultationDraftCreateApi": [
        ("note id not an id", _raw({"note_ids": [CANARY]}), "application/json", 400, NOTHING),
        ("the same note twice", _raw({"note_ids": ["00000000-0000-0000-0000-000000000001"] * 2}), "application/json",
         400, NOTHING),
        ("too many notes", _raw({"note_ids": ["00000000-0000-0000-0000-000000000001"] * 21}), "application/json",
         422, NOTHING),
        ("unknown mode", _raw({"note_ids": ["00000000-0000-0000-0000-000000000001"], "mode": CANARY}),
         "application/json", 422, NOTHING),
    ],
    "ConsultationReleaseApi": [
        ("not reviewed", _raw({"draft_id": "00000000-0000-0000-0000-000000000001", "reviewed": False,
                               "recipient": {"name": "Dr. Priya Consult"}}), "application/json", 400, NOTHING),
        ("not a consultant", _raw({"draft_id": "00000000-0000-0000-0000-000000000001", "reviewed": True,
                                   "recipient": {"name": CANARY, "kind": "family"}}), "application/json", 422, NOTHING),
    ],
    "BreakGlassOpenApi": [("reason too short once stripped", _raw({"reason": "   " + "x" * 9 + "   "}),
                           "application/json", 400, NOTHING)],
    "ClientCreateApi": [
        ("empty legal name", _raw({"identity": {"legal_name": ""}}), "application/json", 422, NOTHING),
        # found by schemathesis: values with nothing to index were a 500
        ("phone without digits", _raw({"identity": {"legal_name": "Testa"}, "contact": {"phone": "\u00a4 ext. no digits"}}),
         "application/json", 400, NOTHING),
        ("name without letters", _raw({"identity": {"legal_name": "\u00af--"}}), "application/json", 400, NOTHING),
        ("blank email", _raw({"identity": {"legal_name": "Testa"}, "contact": {"email": "   "}}), "application/json",
         400, NOTHING),
    ],
}

CASES = [(path, op["operationId"], *case) for path, op in POST_OPS for case in _cases(op)]
CLIENT_POSTS = [(path, op["operationId"]) for path, op in POST_OPS if "{client_id}" in path]


@pytest.fixture
def logs(monkeypatch):
    """Every line the configured log handlers actually write during the test (after
    their filters), whatever the logger. Pytest's own capture handlers and the null
    handlers (which write nothing) are left out."""
    lines: list[str] = []
    handlers = set(logging.root.handlers)
    for logger in logging.root.manager.loggerDict.values():
        handlers |= set(getattr(logger, "handlers", []))
    for handler in handlers:
        if isinstance(handler, logging.NullHandler) or type(handler).__module__.startswith("_pytest"):
            continue

        def emit(record, _handler=handler, _emit=handler.emit):
            lines.append(_handler.format(record))
            _emit(record)
        monkeypatch.setattr(handler, "emit", emit)
    return lines


def _fix_clinician(body: bytes, clinician_id: int) -> bytes:
    return body.replace(b'"clinician_id": 0,', f'"clinician_id": {clinician_id},'.encode())


def _post(client, url, body: bytes, content_type: str, **extra):
    return client.generic("POST", url, data=body, content_type=content_type, **extra)


def _check(response, status, counts_before, counts_after, expected_rows, logs):
    assert response.status_code == status, (response.status_code, response.content)
    body = one_line_json(response)
    assert CANARY.lower() not in response.content.decode().lower(), body
    assert all(CANARY not in line for line in logs), [line for line in logs if CANARY in line]
    written = {k: counts_after[k] - counts_before[k] for k in counts_after if counts_after[k] != counts_before[k]}
    assert written == expected_rows, written
    return body


@pytest.mark.parametrize("path,op_id,case,body,content_type,status,rows", CASES,
                         ids=[f"{o}-{c}" for _, o, c, *_ in CASES])
def test_bad_body(staff, cid, api_client, counts, logs, path, op_id, case, body, content_type, status, rows):
    user = staff["marsh"]  # treating clinician of c1: only the input is wrong
    client = api_client(user)
    url = API_PREFIX + path.replace("{client_id}", str(cid["c1"]))
    body = _fix_clinician(body, user.pk)
    before = counts()
    response = _post(client, url, body, content_type)
    _check(response, status, before, counts(), rows, logs)


@pytest.mark.parametrize("client_id", ["not-a-uuid", "%20", "a" * 5000, "%C3%A9", "..", "0", CANARY])
@pytest.mark.parametrize("path,op_id", CLIENT_POSTS)
def test_malformed_client_id_reaches_the_door_and_is_denied(staff, api_client, counts, logs, path, op_id, client_id):
    user = staff["marsh"]
    body = _raw(VALID_BODIES[op_id]({"clinician_id": user.pk}))
    client = api_client(user)
    before = counts()
    response = _post(client, API_PREFIX + path.replace("{client_id}", client_id), body, "application/json")
    assert _check(response, 404, before, counts(), ONE_DENY, logs) == {"error": "not_found", "message": "not found"}


def test_invalid_content_length(staff, cid, api_client, counts, logs):
    client = api_client(staff["marsh"])
    before = counts()
    response = _post(client, f"{API_PREFIX}/clients/{cid['c1']}/progress-notes", b"{}",
                     "application/json", CONTENT_LENGTH="abc")
    assert _check(response, 413, before, counts(), NOTHING, logs)["error"] == "payload_too_large"


def test_a_body_at_the_limit_is_not_too_large(staff, cid, api_client, counts, logs):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = b'{"x": "' + b"y" * (limit - 9) + b'"}'
    assert len(body) == limit
    client = api_client(staff["marsh"])
    before = counts()
    response = _post(client, f"{API_PREFIX}/clients/{cid['c1']}/progress-notes", body,
                     "application/json")
    _check(response, 422, before, counts(), NOTHING, logs)  # read and refused for its content, not its size


# --- bad queries on GET operations ---------------------------------------------------

@pytest.mark.parametrize("query,status", [({}, 422), ({"q": ""}, 400), ({"q": "   "}, 400),
                                          ({"q": CANARY * 30}, 400)])
def test_bad_search(staff, api_client, counts, logs, query, status):
    client = api_client(staff["marsh"])
    before = counts()
    response = client.get(f"{API_PREFIX}/clients/search", query)
    # a refused search never reaches a listing, so nothing is audited either
    _check(response, status, before, counts(), NOTHING, logs)


# --- tokens ----------------------------------------------------------------------------

def _bad_auth(staff):
    from confide.services.tokens import token_revoke
    from tests.conftest import issue_token

    revoked = issue_token(staff["marsh"])
    token_revoke(user=staff["marsh"], token=revoked)
    disabled_user = staff["lindqvist"]
    disabled = issue_token(disabled_user)
    disabled_user.is_active = False
    disabled_user.save(update_fields=["is_active"])
    return {
        "none": None,
        "empty bearer": "Bearer ",
        "wrong token": f"Bearer cfd_{CANARY}",
        "over-long token": "Bearer " + CANARY * 40,
        "basic scheme": "Basic bWFyc2g6cGFzc3dvcmQ=",
        "token without scheme": revoked,
        "revoked token": f"Bearer {revoked}",
        "disabled user": f"Bearer {disabled}",
    }


AUTH_KINDS = ["none", "empty bearer", "wrong token", "over-long token", "basic scheme", "token without scheme",
              "revoked token", "disabled user"]


@pytest.mark.parametrize("kind", AUTH_KINDS)
@pytest.mark.parametrize("method,path,op_id", ALL_OPS, ids=[f"{m} {p}" for m, p, _ in ALL_OPS])
def test_missing_or_invalid_token_is_401(staff, cid, counts, logs, method, path, op_id, kind):
    header = _bad_auth(staff)[kind]
    client = Client(**({"HTTP_AUTHORIZATION": header} if header is not None else {}))
    url = API_PREFIX + path.replace("{client_id}", str(cid["c1"])).replace("{token_id}", "1")
    before = counts()
    if method == "POST":
        # even a body that would not parse: the token is checked first
        response = _post(client, url, b'{"x": "' + CANARY.encode() + b'",', "application/json")
    elif method == "DELETE":
        response = client.delete(url)
    else:
        response = client.get(url, {"q": CANARY} if op_id == "ClientSearchApi" else {})
    body = _check(response, 401, before, counts(), NOTHING, logs)
    assert body == {"error": "unauthorized", "message": "missing or invalid token"}


def test_tokens_are_stored_hashed(staff, api_client):
    api_client(staff["marsh"])
    assert ApiToken.objects.exclude(token_hash__regex=r"^[0-9a-f]{64}$").count() == 0


# --- unknown paths and methods answer as the API does -----------------------------------

@pytest.mark.parametrize("method,url,status", [
    ("GET", f"{API_PREFIX}/no-such-thing", 404),
    ("GET", f"{API_PREFIX}/clients/x/y/z", 404),
    ("DELETE", f"{API_PREFIX}/clients", 405),
    ("PUT", f"{API_PREFIX}/me", 405),
])
def test_unknown_paths_and_methods(staff, api_client, counts, logs, method, url, status):
    client = api_client(staff["marsh"])
    before = counts()
    response = client.generic(method, url)
    _check(response, status, before, counts(), NOTHING, logs)
    if status == 405:
        assert response["Allow"]
