"""Releases of each kind stay apart when prepared in the browser; the portal shows a
client only their own releases (another's answers as one that does not exist); the
administrator's home counts what the practice owes without naming anyone."""

from __future__ import annotations

import uuid
from datetime import timedelta

from confide.apps.records.models import Release
from confide.services.disclosures import releases
from tests.dates import practice_today
from tests.releases.helpers import make_release
from tests.web.signin import signed_in, without_csrf


def _form(kind: str, categories, **extra) -> dict:
    return {"kind": kind, "description": "What the client asked to share", "categories": categories,
            "discloser": "Harbor Light Counseling", "recipient_name": "Dr. Ines Halvorsen",
            "recipient_kind": "provider", "purposes": "At the request of the client",
            "expires_on": (practice_today() + timedelta(days=60)).isoformat(), **extra}


def test_psychotherapy_notes_are_never_combined_with_anything_else(staff, cid):
    web = signed_in(staff["marsh"])
    before = Release.objects.filter(client_id=cid["c1"]).count()
    mixed = web.post(f"/clients/{cid['c1']}/releases/", _form("hipaa", ["diagnosis", "psychotherapy_notes"]))
    assert mixed.status_code == 400 and "need their own psychotherapy-notes release" in mixed.content.decode()
    also = web.post(f"/clients/{cid['c1']}/releases/",
                    _form("psychotherapy_notes", ["psychotherapy_notes", "diagnosis"]))
    assert also.status_code == 400 and "nothing else" in also.content.decode()
    assert Release.objects.filter(client_id=cid["c1"]).count() == before
    alone = web.post(f"/clients/{cid['c1']}/releases/", _form("psychotherapy_notes", ["psychotherapy_notes"]))
    assert alone.status_code == 302
    rid = alone["Location"].rstrip("/").split("/")[-1]
    page = web.get(alone["Location"]).content.decode()
    assert "Authorization to release psychotherapy notes" in page
    assert releases.release_get(user=staff["marsh"], client_id=cid["c1"], release_id=rid)["kind"] == \
        "psychotherapy_notes"


def test_a_part2_consent_names_the_substance_use_records_it_covers(staff, cid):
    web = signed_in(staff["marsh"])
    missing = web.post(f"/clients/{cid['c1']}/releases/", _form("part2", ["identity", "substance_use"]))
    assert missing.status_code == 400 and "sud_description" in missing.content.decode()
    made = web.post(f"/clients/{cid['c1']}/releases/", _form(
        "part2", ["identity", "substance_use"], sud_description="My alcohol use disorder treatment"))
    assert made.status_code == 302
    assert "42 CFR part 2" in web.get(made["Location"]).content.decode()


def test_the_portal_shows_a_client_only_their_own_releases(staff, cid):
    other = make_release(staff["marsh"], cid["c3"])  # another client of the same clinician
    releases.release_send(user=staff["marsh"], client_id=cid["c3"], release_id=other)
    lena = signed_in(staff["lvarga"])
    theirs = lena.get(f"/portal/releases/{other}/")
    nobody = lena.get(f"/portal/releases/{uuid.uuid4()}/")
    assert theirs.status_code == nobody.status_code == 404
    assert without_csrf(theirs.content) == without_csrf(nobody.content)
    assert lena.get(f"/portal/releases/{other}/document/").status_code == 404
    assert "Dr. Ines Halvorsen" not in lena.get("/portal/releases/").content.decode()
    # Staff are sent to their own pages; nobody signed in is sent to sign in.
    assert signed_in(staff["marsh"]).get("/portal/releases/")["Location"] == "/"


def test_the_administrators_home_counts_what_is_owed_and_names_no_one(staff, cid):
    rid = make_release(staff["marsh"], cid["c1"], signed=True)
    releases.release_disclose(user=staff["marsh"], client_id=cid["c1"], release_id=rid)
    page = signed_in(staff["haddad"]).get("/").content.decode()
    assert "What the practice owes clients" in page
    assert "Lena" not in page and "Varga" not in page
