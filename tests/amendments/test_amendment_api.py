"""Amendment requests over the API: the client files, the treating clinician and the
privacy officer list and decide, the client files a statement of disagreement."""

from __future__ import annotations

import json
import uuid

from tests.api.conftest import API_PREFIX


def _post(client, path, body):
    return client.post(f"{API_PREFIX}{path}", json.dumps(body), content_type="application/json")


def test_file_list_deny_and_disagree_over_the_api(staff, cid, api_client):
    me = api_client(staff["lvarga"])
    filed = _post(me, f"/clients/{cid['c1']}/amendment-requests",
                  {"change": "Once a week, not daily.", "reason": "The note is wrong.", "notify": ["Dr. Primary"]})
    assert filed.status_code == 201, filed.content
    req = filed.json()
    assert req["status"] == "open" and req["days_left"] == 60
    officer = api_client(staff["haddad"])
    rows = officer.get(f"{API_PREFIX}/amendment-requests/open").json()
    assert [r["id"] for r in rows] == [req["id"]] and "Varga" not in json.dumps(rows)
    bad = _post(officer, "/amendment-requests/decide", {"client_id": str(cid["c1"]), "request_id": req["id"],
                                                        "decision": "deny", "explanation": "no ground"})
    assert bad.status_code == 400 and "ground" in bad.json()["message"]
    denied = _post(api_client(staff["marsh"]), "/amendment-requests/decide",
                   {"client_id": str(cid["c1"]), "request_id": req["id"], "decision": "deny",
                    "ground": "accurate_complete", "explanation": "As said in session."})
    assert denied.status_code == 200 and denied.json()["may_disagree"]
    statement = _post(me, "/amendment-requests/disagreement",
                      {"client_id": str(cid["c1"]), "request_id": req["id"], "statement": "One bad week only."})
    assert statement.status_code == 200 and statement.json()["disagreement"]["text"] == "One bad week only."
    (listed,) = me.get(f"{API_PREFIX}/clients/{cid['c1']}/amendment-requests").json()
    assert listed["decision"]["ground"] == "accurate_complete"


def test_another_clients_request_answers_like_a_missing_one(staff, cid, api_client):
    me = api_client(staff["lvarga"])
    other = me.get(f"{API_PREFIX}/clients/{cid['c6']}/amendment-requests")
    missing = me.get(f"{API_PREFIX}/clients/{uuid.uuid4()}/amendment-requests")
    assert other.status_code == missing.status_code == 404 and other.json() == missing.json()
    gone = _post(me, "/amendment-requests/disagreement",
                 {"client_id": str(cid["c1"]), "request_id": str(uuid.uuid4()), "statement": "x"})
    assert gone.status_code == 404
