"""The privacy officer's follow-ups on a request they decided (45 CFR 164.526): after a
denial, the client's statement of disagreement and the rebuttal (or the decision not
to rebut), while the statement waits for it; after an acceptance, the notices owed,
closed on the obligations page and API. Never the chart."""

from __future__ import annotations

import pytest

from confide.apps.records.models import AmendmentRequest, Obligation
from confide.core.errors import Forbidden, InvalidInput, NotFound
from confide.services import charting
from confide.services.disclosures import amendments as am
from tests.web.signin import signed_in

API = "/api/v1"
DISAGREE = "I said daily of one bad week, not of my life."
REBUT = "The record reflects what was said in session."


def _asked(staff, cid):
    return am.amendment_request_create(user=staff["lvarga"], client_id=cid["c1"],
                                       change="My note says I drink daily; I drink once a week.",
                                       reason="It is wrong and my insurer may read it.")


def _denied_by_officer(staff, cid):
    req = _asked(staff, cid)
    return am.amendment_request_deny(user=staff["haddad"], client_id=cid["c1"], request_id=req["id"],
                                     ground="accurate_complete", explanation="The record is accurate.")


def _disagreed(staff, cid):
    denied = _denied_by_officer(staff, cid)
    return am.amendment_disagreement_file(user=staff["lvarga"], client_id=cid["c1"], request_id=denied["id"],
                                          statement=DISAGREE)


def _ids(cid, out):
    return {"client_id": cid["c1"], "request_id": out["id"]}


# --- after a denial: the statement of disagreement waits for the rebuttal -----------------

def test_the_officer_who_denied_reads_the_disagreement_and_files_the_rebuttal(staff, cid):
    officer = staff["haddad"]
    denied = _denied_by_officer(staff, cid)
    assert AmendmentRequest.objects.get(id=denied["id"]).decided_by == officer
    # denied, no statement yet: nothing waits, the officer is out (as for a request that does not exist)
    with pytest.raises(NotFound):
        am.amendment_request_get(user=officer, **_ids(cid, denied))
    am.amendment_disagreement_file(user=staff["lvarga"], client_id=cid["c1"], request_id=denied["id"],
                                   statement=DISAGREE)
    assert AmendmentRequest.objects.get(id=denied["id"]).disagreement_pending
    seen = am.amendment_request_get(user=officer, **_ids(cid, denied))
    assert seen["disagreement"]["text"] == DISAGREE and seen["may_rebut"]
    (row,) = [r for r in am.amendment_requests_open(user=officer) if r["id"] == denied["id"]]
    assert row["awaiting_rebuttal"]
    # still never the chart
    with pytest.raises(NotFound):
        charting.chart_open(user=officer, client_id=cid["c1"])
    rebutted = am.amendment_rebuttal_file(user=officer, **_ids(cid, denied), text=REBUT)
    assert rebutted["rebuttal"] == {"text": REBUT, "by": officer.full_name, "on": rebutted["rebuttal"]["on"]}
    assert not AmendmentRequest.objects.get(id=denied["id"]).disagreement_pending
    # the rebuttal filed, the officer is out again; the client sees it
    with pytest.raises(NotFound):
        am.amendment_request_get(user=officer, **_ids(cid, denied))
    (mine,) = [r for r in am.amendment_request_list(user=staff["lvarga"], client_id=cid["c1"])
               if r["id"] == denied["id"]]
    assert mine["rebuttal"]["text"] == REBUT


def test_declining_to_rebut_clears_the_wait_and_the_officers_access(staff, cid):
    officer = staff["haddad"]
    disagreed = _disagreed(staff, cid)
    with pytest.raises(Forbidden):  # not a decider
        am.amendment_rebuttal_decline(user=staff["lvarga"], **_ids(cid, disagreed))
    out = am.amendment_rebuttal_decline(user=officer, **_ids(cid, disagreed))
    assert out["rebuttal_declined"]["by"] == officer.full_name and not out["may_rebut"] and out["rebuttal"] is None
    assert not AmendmentRequest.objects.get(id=disagreed["id"]).disagreement_pending
    with pytest.raises(NotFound):
        am.amendment_rebuttal_file(user=officer, **_ids(cid, disagreed), text=REBUT)
    # the treating clinician (who needs no flag) is told it was declined
    with pytest.raises(InvalidInput, match="^rebuttal: already declined"):
        am.amendment_rebuttal_file(user=staff["marsh"], **_ids(cid, disagreed), text=REBUT)
    assert am.amendment_request_get(user=staff["marsh"], **_ids(cid, disagreed))["goes_with_disclosures"]


def test_a_pending_statement_opens_only_its_own_request_to_the_officer(staff, cid):
    officer = staff["haddad"]
    disagreed = _disagreed(staff, cid)
    other = _asked(staff, cid)
    am.amendment_request_deny(user=staff["marsh"], client_id=cid["c1"], request_id=other["id"],
                              ground="not_created", explanation="Another practice's record.")
    with pytest.raises(NotFound):
        am.amendment_request_get(user=officer, **_ids(cid, other))
    assert am.amendment_request_get(user=officer, **_ids(cid, disagreed))["may_rebut"]


def test_the_officer_rebuts_on_the_staff_page_and_through_the_api(staff, cid, api_client):
    disagreed = _disagreed(staff, cid)
    web = signed_in(staff["haddad"])
    assert "waiting for the rebuttal" in web.get("/privacy/amendments/").content.decode()
    url = f"/privacy/amendments/{cid['c1']}/{disagreed['id']}/"
    page = web.get(url).content.decode()
    assert DISAGREE in page and "Prepare a rebuttal" in page and "Do not rebut" in page
    bad = web.post(url, {"step": "rebut", "rebuttal": ""})
    assert bad.status_code == 400 and "rebuttal: is empty" in bad.content.decode()
    assert web.post(url, {"step": "rebut", "rebuttal": REBUT}).status_code == 302
    assert web.get(url).status_code == 404
    # the API: the second request, declined
    second = _disagreed(staff, cid)
    ids = {"client_id": str(cid["c1"]), "request_id": second["id"]}
    officer = api_client(staff["haddad"])
    done = officer.post(f"{API}/amendment-requests/rebuttal/decline", ids, content_type="application/json")
    assert done.status_code == 200, done.content
    assert done.json()["rebuttal_declined"]["by"] == staff["haddad"].full_name
    again = officer.post(f"{API}/amendment-requests/rebuttal", {**ids, "text": REBUT},
                         content_type="application/json")
    assert again.status_code == 404
    stranger = api_client(staff["lindqvist"]).post(f"{API}/amendment-requests/rebuttal/decline", ids,
                                                   content_type="application/json")
    assert stranger.status_code == 404
