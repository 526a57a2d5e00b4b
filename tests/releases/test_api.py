"""The release operations over HTTP: the whole life of a release, one-line refusals
that write nothing, and the /me routes answering alike for someone else's release and
for none (the /clients/{client_id} routes are covered by tests/api)."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from datetime import date, timedelta

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import Disclosure, Release
from tests.releases.helpers import make_release, release_data

API = "/api/v1"
CANARY = "Canary-Ry52"


def _counts():
    return {m.__name__: m.objects.count() for m in (Release, Disclosure, AuditEvent)}


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _one_line(response) -> dict:
    raw = response.content.decode()
    assert "\n" not in raw and CANARY not in raw
    body = json.loads(raw)
    assert set(body) == {"error", "message"}
    return body


def test_a_release_from_preparation_to_revocation(staff, cid, api_client):
    marsh, lena = api_client(staff["marsh"]), api_client(staff["lvarga"])
    created = _post(marsh, f"{API}/clients/{cid['c1']}/releases", {"kind": "hipaa", **release_data()})
    assert created.status_code == 201, created.content
    rid = created.json()["id"]
    mine = lena.get(f"{API}/me/releases").json()
    assert [(r["id"], r["status"]) for r in mine] == [(rid, "draft")]
    draft = lena.get(f"{API}/me/releases/{rid}/pdf").json()
    assert base64.b64decode(draft["pdf_base64"]).startswith(b"%PDF-")

    signed = _post(lena, f"{API}/me/releases/{rid}/sign", {"typed_name": "Elena Varga-Trent"})
    assert signed.status_code == 200, signed.content
    doc = marsh.get(f"{API}/clients/{cid['c1']}/releases/{rid}/pdf").json()
    pdf = base64.b64decode(doc["pdf_base64"])
    assert doc["sha256"] == hashlib.sha256(pdf).hexdigest() == signed.json()["document_sha256"]
    assert lena.get(f"{API}/me/releases/{rid}/pdf").json()["pdf_base64"] == doc["pdf_base64"]
    again = _post(lena, f"{API}/me/releases/{rid}/sign", {"typed_name": "Elena Varga-Trent"})
    assert again.status_code == 400 and "already signed" in _one_line(again)["message"]

    view = marsh.get(f"{API}/clients/{cid['c1']}/releases/{rid}").json()
    assert view["status"] == "active" and view["signature"]["method"] == "typed"
    assert marsh.get(f"{API}/clients/{cid['c1']}/releases/{rid}/fhir").json()["status"] == "active"

    disclosed = _post(marsh, f"{API}/clients/{cid['c1']}/releases/{rid}/disclose", {"categories": ["diagnosis"]})
    assert disclosed.status_code == 201, disclosed.content
    assert disclosed.json()["categories"] == ["diagnosis"] and disclosed.json()["release_id"] == rid

    revoked = _post(lena, f"{API}/me/releases/{rid}/revoke", {"how": "In the portal"})
    assert revoked.status_code == 200
    before = _counts()
    refused = _post(marsh, f"{API}/clients/{cid['c1']}/releases/{rid}/disclose", {"categories": ["diagnosis"]})
    assert refused.status_code == 403
    assert _one_line(refused) == {"error": "refused",
                                  "message": "release not valid: revoked (45 CFR 164.508(b)(5))"}
    assert _counts()["Disclosure"] == before["Disclosure"]
    assert Disclosure.objects.filter(id=disclosed.json()["id"]).exists()  # the earlier one stays


def test_missing_elements_over_http_one_line_nothing_written(staff, cid, api_client):
    marsh = api_client(staff["marsh"])
    data = release_data(expires_on=None, description=f"{CANARY} details")
    del data["recipient"]
    before = _counts()
    response = _post(marsh, f"{API}/clients/{cid['c1']}/releases", {"kind": "hipaa", **data})
    assert response.status_code == 400
    assert _one_line(response) == {"error": "invalid_input", "message": "release incomplete: missing expiry, recipient"}
    assert _counts() == before
    response = _post(marsh, f"{API}/clients/{cid['c1']}/releases", {"kind": "part2"})
    assert _one_line(response)["message"] == ("release incomplete: missing categories, description, discloser, "
                                              "expiry, purposes, recipient, sud_description")
    assert _counts() == before


BAD = [
    ("ReleaseCreateApi", lambda r: f"/clients/{{c1}}/releases",
     {"kind": "hipaa", **release_data(categories=[CANARY])}, 400),
    ("ReleaseCreateApi", lambda r: f"/clients/{{c1}}/releases",
     {"kind": "psychotherapy_notes", **release_data()}, 400),
    ("ReleaseUploadSignedApi", lambda r: f"/clients/{{c1}}/releases/{r}/signed-copy",
     {"pdf_base64": base64.b64encode(CANARY.encode()).decode(), "signer_name": "Lena", "signer_role": "client"}, 400),
    ("ReleaseUploadSignedApi", lambda r: f"/clients/{{c1}}/releases/{r}/signed-copy",
     {"pdf_base64": base64.b64encode(b"%PDF-1.4").decode(), "signer_name": "Lena", "signer_role": "representative"},
     400),
    ("ReleaseUploadSignedApi", lambda r: f"/clients/{{c1}}/releases/{r}/signed-copy",
     {"pdf_base64": base64.b64encode(b"%PDF-1.4").decode(), "signer_name": "Lena", "signer_role": "client",
      "signed_on": (date.today() + timedelta(days=2)).isoformat()}, 400),
    ("ReleaseRevokeApi", lambda r: f"/clients/{{c1}}/releases/{r}/revoke", {"how": "   "}, 400),
    ("ReleaseExpiryEventApi", lambda r: f"/clients/{{c1}}/releases/{r}/expiry-event",
     {"occurred_on": (date.today() + timedelta(days=3)).isoformat()}, 400),
    ("ReleaseDiscloseApi", lambda r: f"/clients/{{c1}}/releases/{r}/disclose", {"categories": [CANARY]}, 400),
    ("ReleaseDiscloseApi", lambda r: f"/clients/{{c1}}/releases/{r}/disclose", {"categories": []}, 422),
    ("MyReleaseSignApi", lambda r: f"/me/releases/{r}/sign", {"typed_name": "  "}, 400),
    ("MyReleaseSignApi", lambda r: f"/me/releases/{r}/sign", {"typed_name": "Lena",
                                                               "representative_authority": CANARY}, 400),
    ("MyReleaseRevokeApi", lambda r: f"/me/releases/{r}/revoke", {"how": ""}, 422),
]


@pytest.mark.parametrize("op,path,body,status", BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_service_checks_refuse_in_one_line_and_write_nothing(staff, cid, api_client, op, path, body, status):
    rid = make_release(staff["marsh"], cid["c1"])
    user = staff["lvarga"] if op.startswith("My") else staff["marsh"]
    url = API + path(rid).replace("{c1}", str(cid["c1"]))
    client = api_client(user)  # issuing its token is audited: before the count
    before = _counts()
    response = _post(client, url, body)
    assert response.status_code == status, response.content
    _one_line(response)
    assert _counts() == before


def test_parent_of_june_is_told_why_and_june_signs(staff, cid, api_client):
    rid = make_release(staff["marsh"], cid["c3"])
    parent = api_client(staff["acastellanos"])
    response = _post(parent, f"{API}/me/releases/{rid}/sign",
                     {"typed_name": "Alma Castellanos-Reid", "representative_authority": "Mother"})
    assert response.status_code == 403
    assert "the minor, not the parent" in _one_line(response)["message"]
    assert parent.get(f"{API}/me/releases").status_code == 403
    june = api_client(staff["jcastellanos"])
    assert _post(june, f"{API}/me/releases/{rid}/sign", {"typed_name": "June Castellanos"}).status_code == 200


ME_ROUTES = [("GET", "/me/releases/{r}", None), ("GET", "/me/releases/{r}/pdf", None),
             ("POST", "/me/releases/{r}/sign", {"typed_name": "Adrian Whitford"}),
             ("POST", "/me/releases/{r}/revoke", {"how": "In the portal"})]


@pytest.mark.parametrize("caller", ["awhitford", "marsh", "acastellanos"])
@pytest.mark.parametrize("method,route,body", ME_ROUTES, ids=[f"{m} {r}" for m, r, _ in ME_ROUTES])
def test_me_routes_answer_for_someone_elses_release_as_for_none(staff, cid, api_client, caller, method, route, body):
    """A release of Lena's, asked for by another client, by staff, or by a parent under
    /me, answers exactly as a release that does not exist, and writes the same rows."""
    real = make_release(staff["marsh"], cid["c1"], signed=True)
    client = api_client(staff[caller])
    if caller == "acastellanos" and route.endswith("/sign"):
        body = {**body, "representative_authority": "Mother"}
    seen = {}
    for label, rid in (("real", real), ("none", str(uuid.uuid4())), ("malformed", "not-a-uuid")):
        before = _counts()
        url = API + route.replace("{r}", rid)
        response = client.get(url) if method == "GET" else _post(client, url, body)
        after = _counts()
        seen[label] = (response.status_code, response.content, {k: after[k] - before[k] for k in after})
    assert seen["real"][0] in (403, 404)
    assert seen["real"] == seen["none"] == seen["malformed"]
    assert Release.objects.get(id=real).revoked_at is None
