"""The billing workflow over the JSON API: the same services as the pages, the same
answers (the API body is the service's result), existence kept secret."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from confide.apps.records.models import Claim
from confide.services.billing import queue
from confide.services.billing.x12 import validate_837p
from tests.billing.conftest import CASCADIA
from tests.dates import practice_today

API = "/api/v1"


def _post(client, path, body):
    return client.post(API + path, json.dumps(body), content_type="application/json")


def test_the_biller_works_the_queue_builds_a_claim_and_downloads_it(staff, cid, api_client, lena_sessions):
    biller = staff["pellham"]
    web = api_client(biller)
    start, end = (practice_today() - timedelta(days=6)).isoformat(), practice_today().isoformat()
    listed = web.get(f"{API}/billing/queue", {"start": start, "end": end})
    assert listed.status_code == 200
    body = listed.json()
    assert body == json.loads(json.dumps(queue.work_queue(user=biller, start=start, end=end)))
    rows = [r for r in body["unbilled"] if r["appointment_id"] in {str(a) for a in lena_sessions}]
    assert len(rows) == 2
    recorded = _post(web, "/billing/charges", {"items": [
        {"appointment_id": r["appointment_id"], "cpt": r["cpt"], "fee": r["fee"] or "150.00",
         "place_of_service": r["place_of_service"]} for r in rows]})
    assert recorded.status_code == 200 and len(recorded.json()["recorded"]) == 2
    made = _post(web, f"/clients/{cid['c1']}/billing/claims", {"payer": CASCADIA, "first": start, "last": end})
    assert made.status_code == 201, made.content
    claim_id = made.json()["id"]
    assert Claim.objects.filter(id=claim_id, client_id=cid["c1"]).exists()
    page = web.get(f"{API}/clients/{cid['c1']}/billing/claims/{claim_id}")
    assert page.status_code == 200 and len(page.json()["services"]) == 2
    x12 = web.get(f"{API}/clients/{cid['c1']}/billing/claims/{claim_id}/837p")
    assert x12.status_code == 200 and validate_837p(x12.content.decode()) == []
    assert web.get(f"{API}/clients/{cid['c1']}/superbill.pdf").content.startswith(b"%PDF")


def test_one_line_errors_and_existence_secrecy_over_the_api(staff, cid, api_client):
    biller = api_client(staff["pellham"])
    bad = biller.get(f"{API}/billing/queue", {"start": "2026-01-01", "end": "2026-06-01"})
    assert bad.status_code == 400 and "at most 31 days" in bad.json()["message"]
    for username in ("okafor", "fontaine"):
        web = api_client(staff[username])
        real = web.get(f"{API}/clients/{cid['c1']}/billing")
        nobody = web.get(f"{API}/clients/{uuid.uuid4()}/billing")
        assert real.status_code == nobody.status_code == 404 and real.json() == nobody.json()
    assert api_client(staff["fontaine"]).get(f"{API}/billing/queue", {"start": "2026-12-01",
                                                                       "end": "2026-12-01"}).status_code == 403


def test_the_client_downloads_their_own_superbill(staff, api_client):
    response = api_client(staff["lvarga"]).get(f"{API}/me/superbill.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
