"""Fixtures for the HTTP tests: signed-in web sessions (OTP-verified for staff), row
counts of every model, the OpenAPI document, and the client-naming routes."""

from __future__ import annotations

import base64
import json
import time
import uuid
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.consultation import bodies as consultation_bodies
from tests.disclosures import bodies

API_PREFIX = "/api/v1"
OPENAPI_URL = f"{API_PREFIX}/openapi.json"
PORTAL_ROLES = ("client", "representative")

# Duty to warn, mandated reports, courts (tests/disclosures/bodies.py makes the records
# their ids name).
EXCEPTIONS_B_BODIES = {
    "SafetyEventRecordApi": lambda ctx: {"kind": "threat", "threat": "Said he would hurt his brother-in-law.",
                                         "person_at_risk": {"name": "Sam Example", "contact": "253-555-0142"},
                                         "imminence": "imminent", "means": "a hunting rifle at home"},
    "SafetyActionTakeApi": lambda ctx: {"event_id": bodies.made(ctx, bodies.threat_event), "action": "warn_person"},
    "AbuseEventRecordApi": lambda ctx: {"victim_kind": "child", "victim_age_now": 9, "abuse_is_past": False,
                                        "child_at_risk_now": True, "facts": "The neighbour's son has bruises."},
    "AbuseReportMakeApi": lambda ctx: {"event_id": bodies.made(ctx, bodies.child_abuse_event),
                                       "agency": {"name": "DCYF intake", "address": "1-866-363-4276"}},
    "LegalRequestRecordApi": lambda ctx: {"kind": "subpoena", "requester": {"name": "Dana Counsel", "kind": "attorney"},
                                          "case_number": "26-2-0002", "categories": ["billing"]},
    "LegalRequestAssuranceApi": lambda ctx: {"legal_request_id": bodies.made(ctx, bodies.subpoena), "kind": "qpo",
                                             "details": dict(bodies.QPO)},
    "LegalRequestReleaseApi": lambda ctx: {"legal_request_id": bodies.made(ctx, bodies.signed_order)},
    "PrivilegeLetterApi": lambda ctx: {"legal_request_id": bodies.made(ctx, bodies.subpoena)},
    # the privacy officer's decision (haddad, the practice admin) on an order held for a promise
    "LegalRequestDecisionApi": lambda ctx: {"legal_request_id": bodies.made(ctx, bodies.held_order),
                                            "outcome": "release"},
}

# Valid bodies of every POST operation, by operation id. `ctx` gives
# the caller's practice clinician (appointments name one).
def _practice_today():
    """Today where the demo practice is (UTC's date is tomorrow there in the evening).
    Read from the demo's data, not the database: bodies are also built at collection."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from confide.services.demo import data as demo_data

    return datetime.now(ZoneInfo(demo_data.PRACTICE["timezone"])).date()


VALID_BODIES = {
    "ClientCreateApi": lambda ctx: {"identity": {"legal_name": "Testa Newclient", "dob": "1990-01-02"},
                                    "contact": {"email": "testa@example.com"}},
    "ProgressNoteCreateApi": lambda ctx: {"session_date": "2026-11-02", "text": "Worked on the exposure ladder."},
    "PsychotherapyNoteCreateApi": lambda ctx: {"session_date": "2026-11-02", "text": "My impressions only."},
    "RecordAddApi": lambda ctx: {"kind": "diagnosis", "data": {"code": "F41.1", "description": "GAD"}},
    "AppointmentCreateApi": lambda ctx: {"clinician_id": ctx["clinician_id"], "starts_at": "2026-12-01T15:00:00+00:00",
                                         "minutes": 50, "room": "Room 2"},
    "BreakGlassOpenApi": lambda ctx: {"reason": "Client in crisis at the front desk, need the safety plan."},
    # the privacy officer's finding (confide.api.ops_privacy): names a grant, no client (shape only)
    "BreakGlassFindingApi": lambda ctx: {"grant_id": "00000000-0000-0000-0000-000000000005",
                                         "finding": "inappropriate", "note": "No emergency; spoke with them."},
    # scheduling (confide.api.ops_scheduling): a weekly series at an hour nobody books; the
    # operations on one appointment name none in their path here (shape only)
    "SeriesCreateApi": lambda ctx: {"clinician_id": ctx["clinician_id"], "first_day": (
        date.today() + timedelta(days=30)).isoformat(), "time": "06:15", "count": 3},
    "AppointmentRescheduleApi": lambda ctx: {"starts_at": "2026-12-01T15:00:00+00:00"},
    "AppointmentCancelApi": lambda ctx: {"reason": "Client is unwell"},
    "AttendanceRecordApi": lambda ctx: {"status": "attended"},
    "RoomCreateApi": lambda ctx: {"name": "Room 9"},
    "AppointmentTypeCreateApi": lambda ctx: {"label": "Check-in", "minutes": 30},
    # messages (confide.api.ops_messages)
    "ContactPreferencesSetApi": lambda ctx: {"voicemail": "name_callback", "text": "neutral", "email": "neutral",
                                             "postal": "home"},
    "MyContactPreferencesSetApi": lambda ctx: {"voicemail": "none", "text": "none", "email": "neutral",
                                               "postal": "alternate", "alternate_address": "PO Box 12, Tacoma WA"},
    "ReminderSendApi": lambda ctx: {"channel": "email"},
    **EXCEPTIONS_B_BODIES,
    # insurers, minors, record requests, obligations (issue 3, exceptions 1, 2, 6). The last three name
    # no client in their path: their bodies give the shape only (ids of nothing).
    "PayerAgreementSetApi": lambda ctx: {"payer": "Evergreen Mutual Health", "requires_medications": True,
                                         "managed_care_reports": False, "reference": "EMH-2026"},
    "ChargeAddApi": lambda ctx: {"date_of_service": "2026-11-02", "cpt": "90834", "fee": "150.00", "units": 1},
    "SelfPayRestrictionRequestApi": lambda ctx: {"how": "written"},
    "SelfPayRestrictionEndApi": lambda ctx: {"how": "client_written"},
    "ClaimBuildApi": lambda ctx: {"payer": "Cascadia Health Plan"},
    "BillingClaimCreateApi": lambda ctx: {"payer": "Cascadia Health Plan", "first": "2026-11-01",
                                          "last": "2026-11-30"},
    "ChargesRecordApi": lambda ctx: {"items": [{"appointment_id": "00000000-0000-0000-0000-000000000001",
                                                "cpt": "90834", "fee": "150.00"}]},
    "ManagedCareReportBuildApi": lambda ctx: {"payer": "Cascadia Health Plan"},
    "GroundRulesRecordApi": lambda ctx: {"notes": "Agreed with the client and the parent at intake.",
                                         "shared_categories": ["risk_assessment"],
                                         "items": [{"label": "Risky behaviour", "category": "risk_assessment"}]},
    "RecordRequestCreateApi": lambda ctx: {"format": "pdf"},
    "RecordRequestExtendApi": lambda ctx: {"client_id": "00000000-0000-0000-0000-000000000001",
                                           "request_id": "00000000-0000-0000-0000-000000000002",
                                           "reason": "Records from the prior provider are still being scanned."},
    "RecordRequestFulfilApi": lambda ctx: {"client_id": "00000000-0000-0000-0000-000000000001",
                                           "request_id": "00000000-0000-0000-0000-000000000002",
                                           "delivery": "portal"},
    # formal accounting requests and agency suspensions (confide.api.ops_accounting_requests):
    # the privacy officer's steps name no client in their path (shape only)
    "AccountingRequestCreateApi": lambda ctx: {"years": 6},
    "AccountingRequestExtendApi": lambda ctx: {"client_id": "00000000-0000-0000-0000-000000000001",
                                               "request_id": "00000000-0000-0000-0000-000000000002",
                                               "reason": "Records are archived off site."},
    "AccountingRequestPrepareApi": lambda ctx: {"client_id": "00000000-0000-0000-0000-000000000001",
                                                "request_id": "00000000-0000-0000-0000-000000000002"},
    "AccountingRequestSendApi": lambda ctx: {"client_id": "00000000-0000-0000-0000-000000000001",
                                             "request_id": "00000000-0000-0000-0000-000000000002"},
    # amendment requests (confide.api.ops_amendments): the decision and the statement name
    # no client in their path (shape only)
    "AmendmentRequestCreateApi": lambda ctx: {"change": "I drink once a week, not daily.",
                                              "reason": "The note is wrong.", "notify": ["Dr. Primary Care"]},
    "AmendmentRequestDecideApi": lambda ctx: {"client_id": "00000000-0000-0000-0000-000000000001",
                                              "request_id": "00000000-0000-0000-0000-000000000002",
                                              "decision": "deny", "ground": "accurate_complete",
                                              "explanation": "The note records what was said in session."},
    "AmendmentDisagreementApi": lambda ctx: {"client_id": "00000000-0000-0000-0000-000000000001",
                                             "request_id": "00000000-0000-0000-0000-000000000002",
                                             "statement": "I said it of one bad week only."},
    "AmendmentRebuttalApi": lambda ctx: {"client_id": "00000000-0000-0000-0000-000000000001",
                                         "request_id": "00000000-0000-0000-0000-000000000002",
                                         "text": "The note records the client's own words in session."},
    "AmendmentIncludeApi": lambda ctx: {"client_id": "00000000-0000-0000-0000-000000000001",
                                        "request_id": "00000000-0000-0000-0000-000000000002"},
    "AmendmentRebuttalDeclineApi": lambda ctx: {"client_id": "00000000-0000-0000-0000-000000000001",
                                                "request_id": "00000000-0000-0000-0000-000000000002"},
    "SuspensionRecordApi": lambda ctx: {"agency": "Tacoma Police Department", "agency_kind": "law_enforcement",
                                        "statement": "oral",
                                        "ends_on": (_practice_today() + timedelta(days=10)).isoformat()},
    "SuspensionWrittenApi": lambda ctx: {"ends_on": (_practice_today() + timedelta(days=90)).isoformat()},
    "SuspensionEndApi": lambda ctx: {"on": _practice_today().isoformat()},
    # charting (confide.api.ops_charting); the note operations name no client in their
    # path: their bodies give the shape only (ids of nothing).
    "NoteDraftStartApi": lambda ctx: {"template": "SOAP", "session_date": "2026-11-02",
                                      "sections": {"subjective": "Slept better."}},
    "NoteDraftSaveApi": lambda ctx: {"note_id": "00000000-0000-0000-0000-000000000004",
                                     "sections": {"subjective": "Slept better."}},
    "NoteSignApi": lambda ctx: {"note_id": "00000000-0000-0000-0000-000000000004"},
    "NoteCosignApi": lambda ctx: {"note_id": "00000000-0000-0000-0000-000000000004"},
    "NoteReturnApi": lambda ctx: {"note_id": "00000000-0000-0000-0000-000000000004", "comment": "Add the plan."},
    "NoteAddendumApi": lambda ctx: {"note_id": "00000000-0000-0000-0000-000000000004", "text": "A correction."},
    "DiagnosisAddApi": lambda ctx: {"code": "F41.1"},
    "TreatmentPlanSaveApi": lambda ctx: {"summary": "Reduce worry.", "goals": [{"text": "Sleep 7 hours",
                                                                                 "progress": 1}]},
    "MeasureRecordApi": lambda ctx: {"instrument": "GAD-7", "answers": [1, 1, 1, 0, 0, 0, 0]},
    "TokenIssueApi": lambda ctx: {"otp": "000000", "name": "second laptop"},
    "ObligationCloseApi": lambda ctx: {"client_id": "00000000-0000-0000-0000-000000000001",
                                       "obligation_id": "00000000-0000-0000-0000-000000000003",
                                       "status": "met", "detail": "Told the client in session."},
    "ReleaseCreateApi": lambda ctx: {
        "kind": "hipaa", "description": "Diagnosis and treatment plan, for my physician",
        "categories": ["diagnosis", "treatment_plan"], "discloser": "Harbor Light Counseling",
        "recipient": {"name": "Dr. Ines Halvorsen", "kind": "provider", "address": "12 Pine St, Tacoma"},
        "purposes": ["Coordination of my care"], "expires_on": (date.today() + timedelta(days=180)).isoformat()},
    "ReleaseUploadSignedApi": lambda ctx: {"pdf_base64": base64.b64encode(b"%PDF-1.4\n% signed on paper\n%%EOF\n").decode(),
                                           "signer_name": "Elena Varga-Trent", "signer_role": "client"},
    "ReleaseRevokeApi": lambda ctx: {"how": "Letter from the client received at the front desk"},
    "ReleaseExpiryEventApi": lambda ctx: {"occurred_on": _practice_today().isoformat(), "note": "Treatment ended."},
    "ReleaseDiscloseApi": lambda ctx: {"categories": ["diagnosis"]},
    "MyReleaseSignApi": lambda ctx: {"typed_name": "Elena Varga-Trent"},
    "MyReleaseRevokeApi": lambda ctx: {"how": "Revoked in the portal"},
    # consultation packets (issue 4): notes of c1 and a draft made by marsh (tests/consultation/bodies.py)
    "ConsultationDraftCreateApi": lambda ctx: {"note_ids": [consultation_bodies.made(ctx, consultation_bodies.note)],
                                               "mode": "surrogates", "keep_first_name": True, "purpose": "HOPERAT"},
    "ConsultationReleaseApi": lambda ctx: {"draft_id": consultation_bodies.made(ctx, consultation_bodies.draft),
                                           "recipient": {"name": "Dr. Priya Consult", "kind": "consultant"},
                                           "reviewed": True},
}

# Path parameters other than {client_id}, by operation id, for the happy-path test
# (test_valid_bodies_are_accepted_for_a_treating_clinician): ctx -> {name: value}, with
# ctx holding "user" (marsh) and "client_id" (c1, whom marsh treats). Elsewhere the
# door refuses before any of them is looked up, so they stay as the document writes them.
OP_PATH_PARAMS = {
    "ReleaseGetApi": lambda ctx: {"release_id": _release(ctx)},
    "ReleasePdfApi": lambda ctx: {"release_id": _release(ctx)},
    "ReleaseFhirApi": lambda ctx: {"release_id": _release(ctx)},
    "ReleaseUploadSignedApi": lambda ctx: {"release_id": _release(ctx)},
    "ReleaseRevokeApi": lambda ctx: {"release_id": _release(ctx, signed=True)},
    "ReleaseExpiryEventApi": lambda ctx: {"release_id": _release(ctx, expiry_event="When my treatment ends")},
    "ReleaseDiscloseApi": lambda ctx: {"release_id": _release(ctx, signed=True)},
    "AccountingRequestDocumentApi": lambda ctx: {"request_id": _sent_accounting(ctx)},
    "AccountingRequestReviewApi": lambda ctx: {"request_id": _sent_accounting(ctx)},
    "ConsultationDraftGetApi": lambda ctx: {"draft_id": consultation_bodies.draft(ctx["user"], ctx["client_id"])},
    "ConsultationPacketApi": lambda ctx: {"draft_id": consultation_bodies.released(ctx["user"], ctx["client_id"])},
    "BillingClaimApi": lambda ctx: {"claim_id": _claim(ctx)},
    "BillingClaimFileApi": lambda ctx: {"claim_id": _claim(ctx)},
}


def _claim(ctx):
    """A claim of the client's services so far, built by the caller (services.billing)."""
    from confide.services.billing import claims
    from tests.dates import practice_today

    return claims.claim_create(user=ctx["user"], client_id=ctx["client_id"], payer="Cascadia Health Plan",
                               first="2000-01-01", last=practice_today().isoformat())["id"]


def _release(ctx, **kw):
    from tests.releases.helpers import make_release

    return make_release(ctx["user"], ctx["client_id"], **kw)


def _sent_accounting(ctx) -> str:
    """A formal accounting request of the client, prepared and sent by the privacy officer."""
    from confide.apps.practice.models import User
    from confide.services.disclosures import accounting_requests as ar

    officer = User.objects.get(practice_id=ctx["user"].practice_id, role="practice_admin")
    req = ar.accounting_request_create(user=ctx["user"], client_id=ctx["client_id"], years=6)
    ar.accounting_request_prepare(user=officer, client_id=ctx["client_id"], request_id=req["id"])
    ar.accounting_request_send(user=officer, client_id=ctx["client_id"], request_id=req["id"])
    return req["id"]


def _latest_disclosure(client_id: str) -> str:
    from confide.apps.records.models import Disclosure
    from confide.services.access import parse_client_id

    cid = parse_client_id(client_id)
    row = Disclosure.objects.filter(client_id=cid).order_by("-made_at").first() if cid else None
    return str(row.id) if row else str(uuid.uuid4())


# Path parameters other than {client_id}, by name: given the client id in the URL, a
# value naming a real record of that client when there is one (so the request succeeds
# for the client's treating clinician), else a fresh random id.
PATH_PARAMS = {"disclosure_id": _latest_disclosure, "draft_id": lambda client_id: str(uuid.uuid4()),
               "request_id": lambda client_id: str(uuid.uuid4()),
               "suspension_id": lambda client_id: str(uuid.uuid4()),
               "claim_id": lambda client_id: str(uuid.uuid4())}


def fill_path(path: str, client_id: str, op_id: str | None = None, ctx: dict | None = None) -> str:
    """`path` with {client_id} and every other path parameter filled in: an
    operation's own parameters (OP_PATH_PARAMS, made for `ctx["user"]`) when given,
    then any left by name (PATH_PARAMS)."""
    out = path.replace("{client_id}", client_id)
    if op_id is not None and ctx is not None:
        for name, value in OP_PATH_PARAMS.get(op_id, lambda ctx: {})(ctx).items():
            out = out.replace("{" + name + "}", str(value))
    for name, value in PATH_PARAMS.items():
        if "{" + name + "}" in out:
            out = out.replace("{" + name + "}", value(client_id))
    return out


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


def otp_device(user):
    from confide.apps.practice.models import SealedTOTPDevice
    from confide.services.second_factor import totp_device_create

    device = SealedTOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:  # e.g. the other practice's clinician: enrol one
        device = totp_device_create(user=user, name="test authenticator")
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

        from confide.services.sessions import SIGNED_IN_AT

        client = Client()
        client.force_login(user)
        session = client.session
        session[SIGNED_IN_AT] = time.time()  # as sign-in records it (the absolute session lifetime)
        if user.role not in PORTAL_ROLES:
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
