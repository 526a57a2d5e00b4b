"""Writing, autosaving, signing, amending and co-signing notes through the pages."""

from __future__ import annotations

from confide.apps.records.models import ProgressNote
from tests.web.signin import signed_in


def _start(web, client_id):
    made = web.post(f"/clients/{client_id}/notes/new/", {"template": "SOAP", "session_date": "2026-12-01"})
    assert made.status_code == 302, made.content[:500]
    return made["Location"]


def test_write_autosave_sign_and_amend(staff, cid):
    web = signed_in(staff["marsh"])
    url = _start(web, cid["c1"])
    page = web.get(url).content.decode()
    assert 'hx-post="' + url + 'save/"' in page and "Subjective" in page and "Sign and lock" in page
    saved = web.post(url + "save/", {"session_date": "2026-12-01", "subjective": "Slept better."},
                     HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and "Draft saved at" in saved.content.decode()
    nid = url.rstrip("/").rsplit("/", 1)[1]
    assert ProgressNote.objects.get(id=nid).status == "draft"
    empty = web.post(url + "sign/", {"session_date": "2026-12-01"})
    assert empty.status_code == 400 and "the note is empty" in empty.content.decode()
    signed = web.post(url + "sign/", {"session_date": "2026-12-01", "subjective": "Slept better.",
                                      "plan": "Continue."}, follow=True)
    assert "Signed and locked." in signed.content.decode()
    assert ProgressNote.objects.get(id=nid).status == "signed"
    assert web.post(url + "save/", {"session_date": "2026-12-01", "subjective": "changed"}).status_code == 400
    amended = web.post(url + "addendum/", {"text": "Correction: slept 7 hours."}, follow=True).content.decode()
    assert "Correction: slept 7 hours." in amended and "Addenda" in amended
    assert "Slept better." in amended


def test_front_desk_and_biller_cannot_write_notes(staff, cid):
    for who in ("fontaine", "pellham"):
        web = signed_in(staff[who])
        assert web.post(f"/clients/{cid['c1']}/notes/new/", {"template": "SOAP",
                                                              "session_date": "2026-12-01"}).status_code == 404


def test_cosign_from_the_queue(staff, cid):
    lind = signed_in(staff["lindqvist"])
    url = _start(lind, cid["c5"])
    lind.post(url + "sign/", {"session_date": "2026-12-01", "subjective": "Grief work."})
    nid = url.rstrip("/").rsplit("/", 1)[1]
    assert ProgressNote.objects.get(id=nid).status == "awaiting_cosign"
    assert "Waiting for your supervisor" in lind.get("/notes-to-sign/").content.decode()
    sup = signed_in(staff["okafor"])
    home = sup.get("/").content.decode()
    assert "Co-signs waiting" in home and url in home
    assert url in sup.get("/cosigns/").content.decode()
    note = sup.get(url).content.decode()
    assert "Co-sign" in note and "unsigned: waiting for co-signature" in note
    done = sup.post(url + "cosign/", follow=True)
    assert "Co-signed" in done.content.decode() and url not in done.content.decode()
    assert ProgressNote.objects.get(id=nid).status == "signed"
    assert signed_in(staff["marsh"]).get("/cosigns/").status_code == 404  # not a supervisor


def test_measures_and_diagnoses_pages(staff, cid):
    web = signed_in(staff["marsh"])
    bad = web.post(f"/clients/{cid['c1']}/measures/phq9/", {"on": "2026-12-01"})
    assert bad.status_code == 400 and "answer item 1" in bad.content.decode()
    answers = {f"item_{n}": "1" for n in range(1, 10)}
    done = web.post(f"/clients/{cid['c1']}/measures/phq9/", {"on": "2026-12-01", **answers}, follow=True)
    page = done.content.decode()
    assert "PHQ-9 recorded: 9 of 27, mild." in page and "Item 9" in page
    found = web.get(f"/clients/{cid['c1']}/diagnoses/?q=panic", HTTP_HX_REQUEST="true").content.decode()
    assert "F41.0" in found and "<html" not in found
    added = web.post(f"/clients/{cid['c1']}/diagnoses/add/", {"code": "F41.0"}, follow=True).content.decode()
    assert "Added F41.0 Panic disorder" in added


def test_psychotherapy_notes_page_is_apart_and_the_authors(staff, cid):
    web = signed_in(staff["marsh"])
    page = web.post(f"/clients/{cid['c1']}/psychotherapy/", {"session_date": "2026-12-01",
                                                             "text": "Process thoughts."}, follow=True)
    assert "Process thoughts." in page.content.decode() and "kept apart" in page.content.decode()
    assert "Process thoughts." not in web.get(f"/clients/{cid['c1']}/notes/").content.decode()
    assert signed_in(staff["okafor"]).get(f"/clients/{cid['c5']}/psychotherapy/").status_code == 404
