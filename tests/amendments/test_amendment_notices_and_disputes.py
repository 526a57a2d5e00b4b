"""After the decision on a request to amend (45 CFR 164.526): an accepted amendment's
notices become obligations on the dashboards with their clock (the people the client
named, and the recipients known to hold the note); a denied one's dispute (request,
denial, statement of disagreement, rebuttal) travels with every later disclosure of the
disputed note (164.526(d)(4)-(5)), and only of it."""

from __future__ import annotations

import html
import json
from datetime import timedelta

import pytest

from confide.apps.records.models import Disclosure, Obligation, ProgressNote
from confide.core.errors import Forbidden, InvalidInput, NotFound
from confide.services.disclosures import amendments as am
from confide.services.disclosures import obligations, releases
from confide.services.disclosures.packet import disclosure_document
from tests.dates import practice_today
from tests.releases.helpers import make_release
from tests.web.signin import signed_in

API = "/api/v1"
DISAGREE = "I said daily of one bad week, not of my life."
REBUT = "The note records the client's own words in three sessions."


def _note(cid, key="c1") -> ProgressNote:
    note = ProgressNote.objects.filter(client_id=cid[key], status="signed").order_by("session_date").first()
    assert note is not None
    return note


def _asked(staff, cid, **extra) -> dict:
    return am.amendment_request_create(user=staff["lvarga"], client_id=cid["c1"],
                                       change="My note says I drink daily; I drink once a week.",
                                       reason="It is wrong and my insurer may read it.", **extra)


def _disclose(staff, cid, categories, name="Dr. Ines Halvorsen") -> dict:
    """A disclosure under a release the client signed, of `categories` (through the one
    packet builder); returns the stored packet."""
    rid = make_release(staff["marsh"], cid["c1"], signed=True, categories=list(categories),
                       recipient={"name": name, "kind": "provider", "address": "12 Pine St, Tacoma, WA"})
    out = releases.release_disclose(user=staff["marsh"], client_id=cid["c1"], release_id=rid)
    return disclosure_document(user=staff["marsh"], client_id=cid["c1"], disclosure_id=out["id"])


def _denied(staff, cid, *, note_id=None) -> dict:
    req = _asked(staff, cid)
    return am.amendment_request_deny(user=staff["marsh"], client_id=cid["c1"], request_id=req["id"],
                                     ground="accurate_complete", explanation="You told me daily in session.",
                                     note_id=note_id)


def _no_nulls(value):
    if isinstance(value, dict):
        return {k: _no_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_no_nulls(v) for v in value]
    return value


def _dispute(packet: dict) -> list[dict]:
    return [n for n in packet["notices"] if n["kind"] == am.NOTICE_KIND]


# --- accepted: the notices owed are obligations with a clock --------------------------------

def test_accepting_owes_a_notice_to_each_person_named_and_each_recipient_of_the_note(staff, cid):
    note = _note(cid)
    earlier = _disclose(staff, cid, ["progress_notes"], name="Dr. Earlier Reader")
    assert str(note.id) in {n["id"] for n in earlier["sections"]["progress_notes"]}
    req = _asked(staff, cid, notify=["Dr. Primary Care"])
    out = am.amendment_request_accept(user=staff["marsh"], client_id=cid["c1"], request_id=req["id"],
                                      note_id=str(note.id), notify_more=["Blue Insurer", "dr. primary care"])
    due = (practice_today() + timedelta(days=am.clock()["notice_days"])).isoformat()
    assert [(n["to"], n["status"], n["due_on"]) for n in out["notices"]] == [
        ("Dr. Primary Care", "owed", due), ("Blue Insurer", "owed", due), ("Dr. Earlier Reader", "owed", due)]
    assert out["notices"][2]["why"].startswith("received the note on ")
    owed = {o["notice"]["to"]: o for o in obligations.obligations_open(user=staff["marsh"])
            if o["kind"] == "notify_amendment"}
    assert set(owed) == {"Dr. Primary Care", "Blue Insurer", "Dr. Earlier Reader"}
    assert owed["Blue Insurer"]["due_on"] == due and not owed["Blue Insurer"]["overdue"]
    assert owed["Blue Insurer"]["notice"]["amendment_request_id"] == req["id"]
    summary = obligations.obligations_summary(user=staff["haddad"])
    assert summary["obligations"]["notify_amendment"]["open"] >= 3
    # told: the request shows it given
    obligations.obligation_close(user=staff["marsh"], client_id=cid["c1"],
                                 obligation_id=owed["Blue Insurer"]["id"], status="met", detail="Faxed the amendment.")
    (seen,) = [r for r in am.amendment_request_list(user=staff["lvarga"], client_id=cid["c1"]) if r["id"] == req["id"]]
    assert {n["to"]: n["status"] for n in seen["notices"]}["Blue Insurer"] == "given"


def test_the_notices_owed_show_on_the_obligations_page_and_the_admin_home(staff, cid):
    req = _asked(staff, cid, notify=["Dr. Primary Care"])
    am.amendment_request_accept(user=staff["marsh"], client_id=cid["c1"], request_id=req["id"])
    page = signed_in(staff["marsh"]).get("/obligations/").content.decode()
    assert "Tell Dr. Primary Care of the amendment accepted" in page
    home = signed_in(staff["haddad"]).get("/").content.decode()
    assert "Tell people of an accepted amendment: 1 open" in home and "Primary Care" not in home


def test_a_clients_own_copy_owes_no_notice_and_nothing_is_owed_when_nobody_has_it(staff, cid):
    req = _asked(staff, cid)
    out = am.amendment_request_accept(user=staff["marsh"], client_id=cid["c1"], request_id=req["id"],
                                      note_id=str(_note(cid).id))
    assert all(n["to"] != "Elena Marisol Varga-Trent" for n in out["notices"])
    assert not Obligation.objects.filter(client_id=cid["c1"], kind="notify_amendment",
                                         ).exclude(id__in=[n["obligation_id"] for n in out["notices"]]).exists()


# --- denied: the dispute travels with the disputed note -------------------------------------

def test_a_disagreement_and_its_rebuttal_go_with_later_disclosures_of_the_disputed_note(staff, cid):
    note = _note(cid)
    denied = _denied(staff, cid, note_id=str(note.id))
    assert denied["decision"]["note_id"] == str(note.id) and not denied["goes_with_disclosures"]
    # no disagreement yet, nothing asked: nothing travels
    assert _dispute(_disclose(staff, cid, ["progress_notes"])) == []
    with pytest.raises(InvalidInput, match="^rebuttal: follows"):
        am.amendment_rebuttal_file(user=staff["marsh"], client_id=cid["c1"], request_id=denied["id"], text=REBUT)
    am.amendment_disagreement_file(user=staff["lvarga"], client_id=cid["c1"], request_id=denied["id"],
                                   statement=DISAGREE)
    with pytest.raises(Forbidden):
        am.amendment_rebuttal_file(user=staff["pellham"], client_id=cid["c1"], request_id=denied["id"], text=REBUT)
    with pytest.raises((Forbidden, NotFound)):
        am.amendment_rebuttal_file(user=staff["lvarga"], client_id=cid["c1"], request_id=denied["id"], text=REBUT)
    rebutted = am.amendment_rebuttal_file(user=staff["marsh"], client_id=cid["c1"], request_id=denied["id"],
                                          text=REBUT)
    assert rebutted["rebuttal"]["text"] == REBUT and rebutted["goes_with_disclosures"]
    with pytest.raises(InvalidInput, match="already prepared"):
        am.amendment_rebuttal_file(user=staff["marsh"], client_id=cid["c1"], request_id=denied["id"], text=REBUT)
    packet = _disclose(staff, cid, ["progress_notes"])
    (notice,) = _dispute(packet)
    for words in ("I drink once a week", "You told me daily in session.", "164.526(a)(2)(iv)", DISAGREE, REBUT):
        assert words in notice["text"], words
    # the rendered packet a recipient reads carries it too
    did = packet["id"]
    pdf = disclosure_document(user=staff["marsh"], client_id=cid["c1"], disclosure_id=did, fmt="pdf")
    assert pdf.startswith(b"%PDF")
    from confide.services.disclosures.render import packet_html
    assert "The client disputes this information" in packet_html(packet)
    # a disclosure without the disputed note carries nothing of it
    assert _dispute(_disclose(staff, cid, ["diagnosis"])) == []
    assert Disclosure.objects.filter(client_id=cid["c1"]).count() >= 3


def test_a_denial_naming_no_note_travels_with_any_disclosure_of_the_notes(staff, cid):
    denied = _denied(staff, cid)
    am.amendment_disagreement_file(user=staff["lvarga"], client_id=cid["c1"], request_id=denied["id"],
                                   statement=DISAGREE)
    (notice,) = _dispute(_disclose(staff, cid, ["progress_notes"]))
    assert DISAGREE in notice["text"] and "rebuttal" not in notice["text"]
    assert _dispute(_disclose(staff, cid, ["treatment_plan"])) == []


def test_without_a_statement_the_client_may_ask_for_the_request_and_denial_to_go_along(staff, cid):
    note = _note(cid)
    denied = _denied(staff, cid, note_id=str(note.id))
    assert denied["may_ask_to_include"]
    with pytest.raises(Forbidden):
        am.amendment_include_with_disclosures(user=staff["marsh"], client_id=cid["c1"], request_id=denied["id"])
    out = am.amendment_include_with_disclosures(user=staff["lvarga"], client_id=cid["c1"], request_id=denied["id"])
    assert out["goes_with_disclosures"] and not out["may_ask_to_include"]
    (notice,) = _dispute(_disclose(staff, cid, ["progress_notes"]))
    assert "I drink once a week" in notice["text"] and "statement of disagreement" not in notice["text"]
    open_req = _asked(staff, cid)
    with pytest.raises(InvalidInput, match="follows a denial"):
        am.amendment_include_with_disclosures(user=staff["lvarga"], client_id=cid["c1"], request_id=open_req["id"])


def test_deny_names_only_a_note_of_this_clients_chart(staff, cid):
    req = _asked(staff, cid)
    for bad in ("not-an-id", str(_note(cid, "c2").id) if ProgressNote.objects.filter(
            client_id=cid["c2"], status="signed").exists() else "00000000-0000-0000-0000-000000000009"):
        with pytest.raises(InvalidInput, match="^note_id:"):
            am.amendment_request_deny(user=staff["marsh"], client_id=cid["c1"], request_id=req["id"],
                                      ground="accurate_complete", explanation="x", note_id=bad)
    assert am.amendment_request_get(user=staff["marsh"], client_id=cid["c1"], request_id=req["id"])["open"]


# --- the pages and the API ---------------------------------------------------------------

def test_the_client_disagrees_in_the_portal_and_the_clinician_rebuts_on_the_staff_page(staff, cid):
    denied = _denied(staff, cid, note_id=str(_note(cid).id))
    portal = signed_in(staff["lvarga"])
    assert portal.post(f"/portal/amendments/{denied['id']}/disagree/", {"statement": DISAGREE}).status_code == 302
    staff_page = signed_in(staff["marsh"])
    url = f"/privacy/amendments/{cid['c1']}/{denied['id']}/"
    page = staff_page.get(url).content.decode()
    assert DISAGREE in page and "Prepare a rebuttal" in page
    bad = staff_page.post(url, {"step": "rebut", "rebuttal": ""})
    assert bad.status_code == 400 and "rebuttal: is empty" in bad.content.decode()
    assert staff_page.post(url, {"step": "rebut", "rebuttal": REBUT}).status_code == 302
    mine = portal.get("/portal/amendments/").content.decode()
    assert html.escape(REBUT) in mine and "The practice's rebuttal" in mine


def test_the_portal_button_asks_for_the_request_and_denial_to_go_along(staff, cid):
    denied = _denied(staff, cid)
    portal = signed_in(staff["lvarga"])
    assert "Include my request and the denial" in portal.get("/portal/amendments/").content.decode()
    assert portal.get(f"/portal/amendments/{denied['id']}/include/").status_code == 405
    done = portal.post(f"/portal/amendments/{denied['id']}/include/")
    assert done.status_code == 302 and done["Location"].endswith("?included=1")
    assert am.amendment_request_get(user=staff["marsh"], client_id=cid["c1"],
                                    request_id=denied["id"])["goes_with_disclosures"]
    assert signed_in(staff["acastellanos"]).post(f"/portal/amendments/{denied['id']}/include/").status_code == 404


def test_the_api_rebuttal_and_include_are_the_services(staff, cid, api_client):
    note = _note(cid)
    denied = _denied(staff, cid, note_id=str(note.id))
    ids = {"client_id": str(cid["c1"]), "request_id": denied["id"]}
    client = api_client(staff["lvarga"])
    response = client.post(f"{API}/amendment-requests/include", ids, content_type="application/json")
    assert response.status_code == 200, response.content
    expected = am.amendment_request_get(user=staff["marsh"], client_id=cid["c1"], request_id=denied["id"])
    # the decision's schema names every field of either outcome (null where not this one)
    assert _no_nulls(response.json()) == _no_nulls(json.loads(json.dumps(expected)))
    client.post(f"{API}/amendment-requests/disagreement", {**ids, "statement": DISAGREE},
                content_type="application/json")
    rebut = api_client(staff["marsh"]).post(f"{API}/amendment-requests/rebuttal", {**ids, "text": REBUT},
                                            content_type="application/json")
    assert rebut.status_code == 200, rebut.content
    assert rebut.json()["rebuttal"]["text"] == REBUT and rebut.json()["goes_with_disclosures"]
    again = api_client(staff["marsh"]).post(f"{API}/amendment-requests/rebuttal", {**ids, "text": REBUT},
                                            content_type="application/json")
    assert again.status_code == 400 and again.json()["message"] == "rebuttal: already prepared"
    stranger = api_client(staff["lindqvist"]).post(f"{API}/amendment-requests/rebuttal", {**ids, "text": REBUT},
                                                   content_type="application/json")
    assert stranger.status_code == 404
