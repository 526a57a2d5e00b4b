"""The staff's pages for amendment requests: the privacy officer's dashboard and list,
the treating clinician's list, and the decision page (accept, deny on a ground, extend)."""

from __future__ import annotations

import uuid

from confide.apps.records.models import AmendmentRequest
from confide.services.disclosures import amendments as am
from tests.web.signin import signed_in


def _asked(staff, cid) -> dict:
    return am.amendment_request_create(user=staff["lvarga"], client_id=cid["c1"], change="Once a week, not daily.",
                                       reason="The note is wrong.", notify=["Dr. Primary Care"])


def test_the_officer_sees_it_on_the_dashboard_and_denies_it_on_a_ground(staff, cid):
    req = _asked(staff, cid)
    web = signed_in(staff["haddad"])
    page = web.get("/privacy/").content.decode()
    assert f"/privacy/amendments/{cid['c1']}/{req['id']}/" in page and "Varga" not in page
    url = f"/privacy/amendments/{cid['c1']}/{req['id']}/"
    page = web.get(url)
    assert page.status_code == 200 and b"Once a week, not daily." in page.content
    bad = web.post(url, {"step": "deny", "ground": "we_disagree", "explanation": "no"})
    assert bad.status_code == 400 and b"ground: one of" in bad.content
    assert AmendmentRequest.objects.get(id=req["id"]).status == "open"
    done = web.post(url, {"step": "deny", "ground": "accurate_complete", "explanation": "As said in session."})
    assert done.status_code == 302
    assert AmendmentRequest.objects.get(id=req["id"]).status == "denied"
    # Decided: the officer's door onto the request is closed again.
    assert web.get(url).status_code == 404


def test_the_treating_clinician_extends_then_accepts(staff, cid):
    req = _asked(staff, cid)
    web = signed_in(staff["marsh"])
    assert f"/privacy/amendments/{cid['c1']}/{req['id']}/".encode() in web.get("/privacy/amendments/").content
    url = f"/privacy/amendments/{cid['c1']}/{req['id']}/"
    assert web.post(url, {"step": "extend", "reason": "Reading older notes"}).status_code == 302
    assert web.post(url, {"step": "accept", "amendment": "", "notify_more": "Blue Insurer"}).status_code == 302
    (out,) = am.amendment_request_list(user=staff["lvarga"], client_id=cid["c1"])
    assert out["status"] == "accepted" and [n["to"] for n in out["notices"]] == ["Dr. Primary Care", "Blue Insurer"]


def test_other_staff_get_not_found(staff, cid):
    req = _asked(staff, cid)
    url = f"/privacy/amendments/{cid['c1']}/{req['id']}/"
    for username in ("pellham", "fontaine"):
        assert signed_in(staff[username]).get(url).status_code == 404, username
    missing = signed_in(staff["marsh"]).get(f"/privacy/amendments/{cid['c1']}/{uuid.uuid4()}/")
    assert missing.status_code == 404
