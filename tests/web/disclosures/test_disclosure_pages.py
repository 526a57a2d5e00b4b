"""The release, disclosure and exception pages in the browser's shape (Django's test
client through the real sign-in): a release prepared from its template, sent, signed
and revoked in the portal; a disclosure previewed then confirmed with the preview's
token; a subpoena held then released; a duty to warn from threat to obligation; each
page answering a client the user may not see exactly as one that does not exist."""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import timedelta

import pytest

from confide.apps.records.models import Disclosure, Obligation, Release
from confide.services.disclosures import releases
from tests.dates import practice_today
from tests.releases.helpers import make_release
from tests.web.signin import signed_in, without_csrf

TOKEN = re.compile(r'name="token" value="([0-9a-f]{64})"')


def _release_form(**overrides) -> dict:
    form = {"kind": "hipaa", "description": "My diagnosis and plan, for my physician",
            "categories": ["diagnosis", "treatment_plan"], "discloser": "Harbor Light Counseling",
            "recipient_name": "Dr. Ines Halvorsen", "recipient_kind": "provider",
            "recipient_address": "12 Pine St, Tacoma, WA", "purposes": "Coordination of my care",
            "expires_on": (practice_today() + timedelta(days=90)).isoformat()}
    form.update(overrides)
    return form


def _preview(web, path: str, data: dict):
    response = web.post(path, {**data, "step": "preview"})
    found = TOKEN.search(response.content.decode())
    return response, (found.group(1) if found else None)


def _confirm(web, path: str, data: dict, token: str):
    return web.post(path, {**data, "step": "confirm", "token": token})


def test_the_template_of_each_kind_keeps_them_apart(staff, cid):
    web = signed_in(staff["marsh"])
    base = f"/clients/{cid['c1']}/releases/"
    hipaa = web.get(base).content.decode()
    assert "164.508(c)(1)(v)" in hipaa and 'value="psychotherapy_notes"' not in hipaa
    assert 'value="substance_use"' not in hipaa
    assert "may then no longer be protected by federal privacy law" in hipaa  # the redisclosure statement
    pn = web.get(base + "?kind=psychotherapy_notes").content.decode()
    assert 'value="psychotherapy_notes"' in pn and 'value="diagnosis"' not in pn
    part2 = web.get(base + "?kind=part2").content.decode()
    assert 'value="substance_use"' in part2 and 'name="sud_description"' in part2


def test_a_missing_element_is_refused_in_one_line_and_nothing_is_made(staff, cid):
    web = signed_in(staff["marsh"])
    before = Release.objects.filter(client_id=cid["c1"]).count()
    response = web.post(f"/clients/{cid['c1']}/releases/", _release_form(expires_on="", purposes=""))
    assert response.status_code == 400
    assert "release incomplete: missing expiry, purposes" in response.content.decode()
    assert Release.objects.filter(client_id=cid["c1"]).count() == before


def test_prepared_sent_signed_disclosed_then_revoked_and_refused(staff, cid):
    marsh, client = signed_in(staff["marsh"]), signed_in(staff["lvarga"])
    response = marsh.post(f"/clients/{cid['c1']}/releases/", _release_form())
    assert response.status_code == 302
    rid = response["Location"].rstrip("/").split("/")[-1]
    # Not in the portal until sent.
    assert client.get(f"/portal/releases/{rid}/").status_code == 404
    assert marsh.post(f"/clients/{cid['c1']}/releases/{rid}/", {"do": "send"}).status_code == 302
    page = client.get(f"/portal/releases/{rid}/").content.decode()
    assert "Dr. Ines Halvorsen" in page and "Your right to revoke" in page
    # Signing needs the confirmation box.
    refused = client.post(f"/portal/releases/{rid}/", {"do": "sign", "typed_name": "Elena Varga-Trent"})
    assert refused.status_code == 400 and Release.objects.get(id=rid).signed_at is None
    assert client.post(f"/portal/releases/{rid}/", {"do": "sign", "typed_name": "Elena Varga-Trent",
                                                    "confirm": "yes"}).status_code == 302
    signed = client.get(f"/portal/releases/{rid}/").content.decode()
    document = client.get(f"/portal/releases/{rid}/document/").content
    assert hashlib.sha256(document).hexdigest() in signed
    assert hashlib.sha256(document).hexdigest() in marsh.get(f"/clients/{cid['c1']}/releases/{rid}/").content.decode()

    path = f"/clients/{cid['c1']}/disclosures/release/"
    before = Disclosure.objects.filter(client_id=cid["c1"]).count()
    shown, token = _preview(marsh, path, {"release_id": rid})
    assert shown.status_code == 200 and token, shown.content.decode()[:3000]
    assert "Nothing has left yet" in shown.content.decode()
    assert Disclosure.objects.filter(client_id=cid["c1"]).count() == before
    assert _confirm(marsh, path, {"release_id": rid}, token).status_code == 302
    assert Disclosure.objects.filter(client_id=cid["c1"]).count() == before + 1
    assert "Dr. Ines Halvorsen" in client.get("/portal/accounting/").content.decode()

    assert client.post(f"/portal/releases/{rid}/", {"do": "revoke", "confirm": "yes"}).status_code == 302
    assert Release.objects.get(id=rid).revoked_at is not None
    again = marsh.post(path, {"release_id": rid, "step": "preview"})
    assert again.status_code == 403
    assert "revoked (45 CFR 164.508(b)(5))" in again.content.decode()
    # The token of the earlier preview sends nothing either.
    assert _confirm(marsh, path, {"release_id": rid}, token).status_code == 403
    assert Disclosure.objects.filter(client_id=cid["c1"]).count() == before + 1


def test_a_wet_signed_scan_is_stored_with_its_hash(staff, cid):
    marsh = signed_in(staff["marsh"])
    rid = make_release(staff["marsh"], cid["c1"])
    scan = b"\x89PNG\r\n\x1a\n" + b"scanned paper with a signature" * 10
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = marsh.post(f"/clients/{cid['c1']}/releases/{rid}/", {
        "do": "upload", "document": SimpleUploadedFile("signed.png", scan, content_type="image/png"),
        "signer_name": "Elena Varga-Trent", "signer_role": "client", "signed_on": practice_today().isoformat()})
    assert response.status_code == 302
    view = releases.release_get(user=staff["marsh"], client_id=cid["c1"], release_id=rid)
    assert view["status"] == "active" and view["signature"]["document_sha256"] == hashlib.sha256(scan).hexdigest()
    served = marsh.get(f"/clients/{cid['c1']}/releases/{rid}/document/")
    assert served["Content-Type"] == "image/png" and served.content == scan
    bad = marsh.post(f"/clients/{cid['c1']}/releases/{make_release(staff['marsh'], cid['c1'])}/", {
        "do": "upload", "document": SimpleUploadedFile("x.txt", b"hello", content_type="text/plain"),
        "signer_name": "Elena", "signer_role": "client"})
    assert bad.status_code == 400 and "not a PDF" in bad.content.decode()


def test_a_subpoena_is_held_then_released_on_assurance(staff, cid):
    marsh = signed_in(staff["marsh"])
    response = marsh.post(f"/clients/{cid['c1']}/legal/", {
        "kind": "subpoena", "requester_name": "Dana Whitlock, attorney", "requester_kind": "attorney",
        "categories": ["attendance", "diagnosis"], "signed_by_judge": "no"})
    assert response.status_code == 302, response.content.decode()[:2000]
    path = response["Location"]
    assert "on hold" in marsh.get(path).content.decode()
    held = marsh.post(path, {"step": "preview"})
    assert held.status_code == 403 and "on hold" in held.content.decode()
    assert marsh.post(path, {"do": "assurance", "assurance_kind": "qpo", "document_ref": "QPO filed 2 Dec",
                             "written_statement": "yes", "route": "agreed_and_presented",
                             "qpo_limits_use_to_litigation": "yes",
                             "qpo_requires_return_or_destruction": "yes"}).status_code == 302
    shown, token = _preview(marsh, path, {})
    assert shown.status_code == 200 and token, shown.content.decode()[:3000]
    before = Disclosure.objects.filter(client_id=cid["c1"]).count()
    assert _confirm(marsh, path, {}, token).status_code == 302
    assert Disclosure.objects.filter(client_id=cid["c1"]).count() == before + 1
    assert "released" in marsh.get(path).content.decode()


def test_a_duty_to_warn_from_threat_to_obligation(staff, cid):
    marsh = signed_in(staff["marsh"])
    page = marsh.get(f"/clients/{cid['c1']}/safety/").content.decode()
    assert "RCW §71.05.120(2)" in page and "verification P" in page
    response = marsh.post(f"/clients/{cid['c1']}/safety/", {
        "kind": "threat", "threat": "said he will hurt his neighbour tonight", "person_name": "Rowan Example",
        "person_contact": "253-555-0100", "imminence": "imminent"})
    assert response.status_code == 302
    path = response["Location"]
    assert "still requires" in marsh.get(path).content.decode()
    shown, token = _preview(marsh, path, {"action": "warn_person"})
    assert token and "said he will hurt his neighbour tonight" in shown.content.decode()
    assert _confirm(marsh, path, {"action": "warn_person"}, token).status_code == 302
    owed = Obligation.objects.filter(client_id=cid["c1"], kind="notify_client", status="open")
    assert owed.exists()
    assert "Rowan Example" in marsh.get("/obligations/").content.decode()


PAGES = ("disclosures/", "disclosures/release/", "disclosures/client-request/", "safety/", "abuse/", "legal/",
         "releases/", "safety/{x}/", "abuse/{x}/", "legal/{x}/", "releases/{x}/")


@pytest.mark.parametrize("page", PAGES)
def test_a_client_not_seen_answers_as_one_that_does_not_exist(staff, cid, page):
    marsh = signed_in(staff["marsh"])
    x = str(uuid.uuid4())
    theirs = marsh.get(f"/clients/{cid['c2']}/" + page.format(x=x))  # okafor's client
    nobody = marsh.get(f"/clients/{uuid.uuid4()}/" + page.format(x=x))
    assert theirs.status_code == nobody.status_code == 404
    assert without_csrf(theirs.content) == without_csrf(nobody.content)


@pytest.mark.parametrize("username", ("pellham", "fontaine", "haddad"))
def test_staff_who_do_not_treat_never_enter(staff, cid, username):
    web = signed_in(staff[username])
    for page in ("disclosures/", "safety/", "releases/", "legal/", "abuse/"):
        assert web.get(f"/clients/{cid['c1']}/{page}").status_code == 404, page
