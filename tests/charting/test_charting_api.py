"""The charting API: the same services as the pages."""

from __future__ import annotations

API = "/api/v1"


def _post(client, url, body):
    return client.post(API + url, data=body, content_type="application/json")


def test_write_sign_amend_and_cosign_through_the_api(staff, cid, api_client):
    lind, sup = api_client(staff["lindqvist"]), api_client(staff["okafor"])
    made = _post(lind, f"/clients/{cid['c5']}/notes", {"template": "DAP", "session_date": "2026-12-01"})
    assert made.status_code == 201
    nid = made.json()["id"]
    saved = _post(lind, "/notes/save", {"note_id": nid, "sections": {"data": "Talked about the move."}})
    assert saved.status_code == 200 and saved.json()["status"] == "draft"
    assert _post(lind, "/notes/sign", {"note_id": nid}).json() == {"status": "awaiting_cosign"}
    locked = _post(lind, "/notes/save", {"note_id": nid, "sections": {"data": "changed"}})
    assert locked.status_code == 400 and "signed and locked" in locked.json()["message"]
    assert nid in {n["id"] for n in sup.get(API + "/notes/cosign-queue").json()}
    assert _post(sup, "/notes/cosign", {"note_id": nid}).json() == {"status": "signed"}
    assert _post(lind, "/notes/addendum", {"note_id": nid, "text": "Also: new school."}).status_code == 201
    page = lind.get(f"{API}/clients/{cid['c5']}/notes?limit=50").json()
    [note] = [n for n in page["notes"] if n["id"] == nid]
    assert note["status"] == "signed" and note["addenda"][0]["text"] == "Also: new school."
    # a note of a chart the caller may not touch answers as no note at all
    assert _post(api_client(staff["marsh"]), "/notes/sign", {"note_id": nid}).status_code == 404


def test_diagnoses_plans_and_measures_through_the_api(staff, cid, api_client):
    web = api_client(staff["marsh"])
    assert web.get(API + "/icd10?q=F41.1").json()[0] == {"code": "F41.1", "description": "Generalized anxiety disorder"}
    added = _post(web, f"/clients/{cid['c1']}/diagnoses", {"code": "F41.0"})
    assert added.status_code == 201 and added.json()["description"] == "Panic disorder [episodic paroxysmal anxiety]"
    assert _post(web, f"/clients/{cid['c1']}/diagnoses", {"code": "F41"}).status_code == 400
    plan = _post(web, f"/clients/{cid['c1']}/treatment-plan", {"summary": "s", "goals": [{"text": "g", "progress": 3}]})
    assert plan.status_code == 201 and plan.json()["goals"][0]["progress"] == 3
    scored = _post(web, f"/clients/{cid['c1']}/measures", {"instrument": "GAD-7", "answers": [3, 3, 3, 3, 3, 0, 0]})
    assert scored.status_code == 201 and scored.json()["severity"] == "severe"
    assert _post(web, f"/clients/{cid['c1']}/measures",
                 {"instrument": "PHQ-9", "answers": [0] * 7}).status_code == 400
