"""The same workflows over HTTP: the JSON API (one-line errors, refusals naming the
rules, existence kept secret on the routes that carry ids in the body) and the pages
(the clinician's list of what is owed, the parent's portal, the client's request)."""

from __future__ import annotations

import json
import uuid

import pytest

from confide.apps.records.models import Obligation, RecordRequest
from confide.services.disclosures import insurers, record_requests
from tests.api.conftest import API_PREFIX, one_line_json
from tests.web.signin import signed_in

CASCADIA = "Cascadia Health Plan"


def post(client, path, body):
    return client.post(API_PREFIX + path, data=json.dumps(body), content_type="application/json")


def test_claim_for_a_self_pay_client_is_refused_naming_the_rule(staff, cid, api_client):
    response = post(api_client(staff["lindqvist"]), f"/clients/{cid['c5']}/claims", {"payer": CASCADIA})
    assert response.status_code == 403
    body = one_line_json(response)
    assert body["error"] == "refused" and body["message"].startswith("US-HIPAA-SELF-PAY: ")


def test_claim_and_report_over_the_api(staff, cid, api_client):
    client = api_client(staff["marsh"])
    claim = post(client, f"/clients/{cid['c1']}/claims", {"payer": CASCADIA})
    assert claim.status_code == 201 and claim.json()["categories"] == ["billing", "diagnosis", "identity"]
    report = post(client, f"/clients/{cid['c1']}/managed-care-reports", {"payer": CASCADIA})
    assert report.status_code == 201 and report.json()["obligations"][0]["kind"] == "notify_client"
    board = client.get(f"{API_PREFIX}/obligations").json()
    assert [o["id"] for o in board] == [report.json()["obligations"][0]["id"]]
    closed = post(client, "/obligations/close", {"client_id": str(cid["c1"]), "obligation_id": board[0]["id"],
                                                 "status": "met", "detail": "Told her by phone."})
    assert closed.status_code == 200 and closed.json()["status"] == "met"
    assert client.get(f"{API_PREFIX}/clients/{cid['c1']}/obligations").json() == []


def test_payer_agreements_over_the_api(staff, api_client):
    body = {"payer": "Evergreen Mutual Health", "managed_care_reports": True}
    refused = post(api_client(staff["marsh"]), "/payer-agreements", body)
    assert refused.status_code == 403 and one_line_json(refused)["error"] == "forbidden"
    done = post(api_client(staff["haddad"]), "/payer-agreements", body)
    assert done.status_code == 200 and done.json()["managed_care_reports"] is True
    listed = api_client(staff["pellham"]).get(f"{API_PREFIX}/payer-agreements").json()
    assert [a["payer"] for a in listed] == [CASCADIA, "Evergreen Mutual Health"]


def test_record_request_over_the_api(staff, cid, api_client):
    lena, marsh = api_client(staff["lvarga"]), api_client(staff["marsh"])
    filed = post(lena, f"/clients/{cid['c1']}/record-requests", {"format": "fhir"})
    assert filed.status_code == 201 and filed.json()["filed_by"] == "client"
    ids = {"client_id": str(cid["c1"]), "request_id": filed.json()["id"]}
    assert post(lena, "/record-requests/extend", {**ids, "reason": "no"}).status_code == 404
    extended = post(marsh, "/record-requests/extend", {**ids, "reason": "Scanning paper records.", "days": 14})
    assert extended.status_code == 200 and extended.json()["days_left"] == 44
    assert marsh.get(f"{API_PREFIX}/record-requests", {"overdue": "true"}).json() == []
    assert [r["id"] for r in marsh.get(f"{API_PREFIX}/record-requests").json()] == [ids["request_id"]]
    done = post(marsh, "/record-requests/fulfil", {**ids, "delivery": "portal"})
    assert done.status_code == 200
    assert "psychotherapy_notes" not in done.json()["disclosure"]["categories"]
    assert done.json()["request"]["open"] is False


def test_ground_rules_and_the_parents_view_over_the_api(staff, cid, api_client):
    body = {"notes": "June now also allows risk.", "minor_allows": ["attendance", "progress_summary",
                                                                    "risk_assessment"]}
    assert post(api_client(staff["marsh"]), f"/clients/{cid['c3']}/ground-rules", body).status_code == 201
    parent = api_client(staff["acastellanos"])
    chart = parent.get(f"{API_PREFIX}/clients/{cid['c3']}")
    assert chart.status_code == 200
    assert chart.json()["categories"] == ["attendance", "progress_summary", "risk_assessment"]
    mine = parent.get(f"{API_PREFIX}/me/guardian-view").json()
    assert [v["id"] for v in mine] == [str(cid["c3"])] and mine[0]["basis"] == "minor_permission"
    assert api_client(staff["marsh"]).get(f"{API_PREFIX}/me/guardian-view").json() == []


@pytest.mark.parametrize("path,body,message", [
    ("/clients/{c}/charges", {"date_of_service": "2026-11-02", "cpt": "90834", "fee": "150.00",
                              "restrict_payer": True},
     "restrict_payer: a restriction the practice must honour needs the service paid in full"),
    ("/clients/{c}/ground-rules", {"notes": "x", "shared_categories": ["psychotherapy_notes"]},
     "shared_categories: 'psychotherapy_notes' is not one of assessments, diagnosis, medications, risk_assessment, "
     "treatment_plan"),
    ("/clients/{c}/record-requests", {"format": "pdf", "received_on": "2099-01-01"},
     "received_on: a day within the past year"),
])
def test_service_checks_are_one_line_400s_and_write_nothing(staff, cid, api_client, counts, path, body, message):
    client = api_client(staff["marsh"])
    before = counts()
    response = post(client, path.replace("{c}", str(cid["c1"])), body)
    assert response.status_code == 400
    assert one_line_json(response) == {"error": "invalid_input", "message": message}
    assert counts() == before


# --- existence is secret on the routes that carry the ids in the body ----------------

def _real_ids(staff, cid):
    req = record_requests.record_request_create(user=staff["marsh"], client_id=cid["c1"], format="pdf")
    report = insurers.managed_care_report_build(user=staff["marsh"], client_id=cid["c1"], payer=CASCADIA)
    return {"request": req["id"], "obligation": report["obligations"][0]["id"]}


ROUTES = [
    ("/record-requests/extend", lambda c, ids: {"client_id": c, "request_id": ids["request"], "reason": "Scanning."}),
    ("/record-requests/fulfil", lambda c, ids: {"client_id": c, "request_id": ids["request"], "delivery": "mail"}),
    ("/obligations/close", lambda c, ids: {"client_id": c, "obligation_id": ids["obligation"], "status": "met",
                                           "detail": "Told."}),
]


@pytest.mark.parametrize("username", ["lindqvist", "haddad", "lvarga", "acastellanos", "elsewhere"])
@pytest.mark.parametrize("path,make", ROUTES, ids=[p for p, _ in ROUTES])
def test_unrelated_caller_gets_what_a_nonexistent_client_gets(staff, cid, other_practice, api_client, counts,
                                                             username, path, make):
    if username == "lvarga" and path != "/obligations/close":
        pytest.skip("Lena is the client here; tested in test_record_request_over_the_api")
    ids = _real_ids(staff, cid)
    user = other_practice["clinician"] if username == "elsewhere" else staff[username]
    client = api_client(user)
    fingerprints = []
    for client_id, record_ids in ((str(cid["c1"]), ids), (str(uuid.uuid4()), ids),
                                  (str(uuid.uuid4()), {"request": str(uuid.uuid4()), "obligation": str(uuid.uuid4())}),
                                  ("not-a-uuid", ids)):
        before = counts()
        response = post(client, path, make(client_id, record_ids))
        after = counts()
        fingerprints.append((response.status_code, response.content,
                             {k: after[k] - before[k] for k in after if after[k] != before[k]}))
    if username == "lvarga":  # her own client: she may know it exists, and still may not close
        assert fingerprints[0][0] == 404
    assert all(f == fingerprints[0] for f in fingerprints), fingerprints
    assert fingerprints[0][:2] == (404, b'{"error": "not_found", "message": "not found"}')
    assert fingerprints[0][2] == {"auditlog.AuditEvent": 1}
    assert RecordRequest.objects.get(id=ids["request"]).fulfilled_at is None
    assert Obligation.objects.get(id=ids["obligation"]).status == "open"


# --- pages ----------------------------------------------------------------------------

def test_the_clinicians_page_of_what_is_owed(staff, cid):
    insurers.managed_care_report_build(user=staff["marsh"], client_id=cid["c1"], payer=CASCADIA)
    record_requests.record_request_create(user=staff["lvarga"], client_id=cid["c1"], format="pdf")
    web = signed_in(staff["marsh"])
    page = web.get("/obligations/").content.decode()
    assert "Clients to tell" in page and "Lena" in page and "Cascadia Health Plan" in page
    assert "Record requests on the clock" in page and "(30 days)" in page
    ob = Obligation.objects.get(client_id=cid["c1"], status="open")
    blank = web.post("/obligations/", {"client_id": str(cid["c1"]), "obligation_id": str(ob.id), "status": "waived",
                                       "detail": ""})
    assert blank.status_code == 400 and "unsafe or unlawful" in blank.content.decode()
    done = web.post("/obligations/", {"client_id": str(cid["c1"]), "obligation_id": str(ob.id), "status": "met",
                                      "detail": "Told Lena in session."})
    assert done.status_code == 302
    assert Obligation.objects.get(id=ob.id).status == "met"
    assert "Nothing open." in web.get("/obligations/").content.decode()
    # another clinician's page shows none of it
    assert "Lena" not in signed_in(staff["okafor"]).get("/obligations/").content.decode()


def test_the_parents_portal_shows_the_guardian_view(staff, cid):
    page = signed_in(staff["acastellanos"]).get("/portal/").content.decode()
    assert "Eat lunch with peers" in page and "Attendance" in page
    assert "consented to their own care" in page
    assert "Major depressive" not in page and "sketchbook" not in page


def test_the_client_asks_for_a_copy_in_the_portal(staff, cid):
    web = signed_in(staff["lvarga"])
    assert web.post("/portal/record-request/", {"format": "paper"}).status_code == 302
    row = RecordRequest.objects.get(client_id=cid["c1"])
    assert (row.due_on - row.received_on).days == 30
    page = web.get("/portal/").content.decode()
    assert "A copy of your record" in page and "paper" in page and "open" in page
    assert web.post("/portal/record-request/", {"format": "docx"})["Location"] == "/portal/?error=1"
    assert RecordRequest.objects.filter(client_id=cid["c1"]).count() == 1
