"""The privacy officer's follow-ups on a request they decided (45 CFR 164.526): after a
denial, the client's statement of disagreement and the rebuttal (or the decision not
to rebut), while the statement waits for it; after an acceptance, the notices owed,
closed on the obligations page and API. Never the chart."""

from __future__ import annotations

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import AmendmentRequest, Obligation
from confide.core.errors import Forbidden, InvalidInput, NotFound
from confide.services import charting
from confide.services.disclosures import amendments as am
from confide.services.disclosures import obligations
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


# --- after an acceptance: the notices owed, closed by the officer who accepted ------------

def _accepted(staff, cid, decider="haddad", notify=("Dr. Primary Care", "Blue Insurer")):
    req = am.amendment_request_create(user=staff["lvarga"], client_id=cid["c1"], change="I drink once a week.",
                                      reason="It is wrong.", notify=list(notify))
    return am.amendment_request_accept(user=staff[decider], client_id=cid["c1"], request_id=req["id"])


def _owed(out):
    return {n["to"]: n["obligation_id"] for n in out["notices"]}


def test_the_officer_closes_the_notices_of_an_amendment_they_accepted(staff, cid):
    officer = staff["haddad"]
    accepted = _accepted(staff, cid)
    owed = _owed(accepted)
    mine = {o["id"]: o for o in obligations.obligations_open(user=officer)}
    assert set(owed.values()) <= set(mine)
    row = mine[owed["Dr. Primary Care"]]
    assert row["notice"]["to"] == "Dr. Primary Care" and row["client_ref"] and "Varga" not in str(row)
    bad = dict(user=officer, client_id=cid["c1"], obligation_id=owed["Blue Insurer"])
    with pytest.raises(InvalidInput, match="^detail: one line"):
        obligations.obligation_close(**bad, status="waived", detail="")
    with pytest.raises(InvalidInput, match="^status:"):
        obligations.obligation_close(**bad, status="done", detail="x")
    met = obligations.obligation_close(user=officer, client_id=cid["c1"], obligation_id=owed["Dr. Primary Care"],
                                       status="met", detail="Mailed the amendment on letterhead.")
    assert met["status"] == "met" and met["how_told"] == "Mailed the amendment on letterhead."
    waived = obligations.obligation_close(**bad, status="waived", detail="The client withdrew the name.")
    assert waived["why_not"] == "The client withdrew the name."
    closed = Obligation.objects.get(id=owed["Blue Insurer"])
    assert closed.status == "waived" and closed.closed_by == officer
    event = AuditEvent.objects.filter(actor=str(officer.pk), detail__record="obligation").order_by("-seq").first()
    assert event.decision == "permit" and event.detail["status"] == "waived"
    with pytest.raises(NotFound):  # closed: nothing is owed, the officer is out again
        obligations.obligation_close(**bad, status="met", detail="again")
    (seen,) = [r for r in am.amendment_request_list(user=staff["lvarga"], client_id=cid["c1"])
               if r["id"] == accepted["id"]]
    assert {n["to"]: n["status"] for n in seen["notices"]} == {"Dr. Primary Care": "given",
                                                               "Blue Insurer": "not given"}


def test_the_officer_closes_only_the_notices_of_requests_they_decided(staff, cid):
    officer = staff["haddad"]
    theirs = _owed(_accepted(staff, cid, decider="marsh", notify=("Dr. Someone Else",)))
    _accepted(staff, cid)  # the officer's own, so the client has notices the officer owes
    assert theirs["Dr. Someone Else"] not in {o["id"] for o in obligations.obligations_open(user=officer)}
    with pytest.raises(NotFound):
        obligations.obligation_close(user=officer, client_id=cid["c1"], obligation_id=theirs["Dr. Someone Else"],
                                     status="met", detail="Told them.")
    # another kind of obligation (telling the client of a disclosure) stays the clinician's
    other = Obligation.objects.filter(client_id=cid["c1"]).exclude(kind="notify_amendment").first()
    if other is not None:
        with pytest.raises(NotFound):
            obligations.obligation_close(user=officer, client_id=cid["c1"], obligation_id=str(other.id),
                                         status="met", detail="Told them.")
    assert Obligation.objects.get(id=theirs["Dr. Someone Else"]).status == "open"
    # the treating clinician still closes the officer's notices too
    mine = _owed(_accepted(staff, cid, notify=("Dr. Third",)))
    assert obligations.obligation_close(user=staff["marsh"], client_id=cid["c1"], obligation_id=mine["Dr. Third"],
                                        status="met", detail="Phoned.")["status"] == "met"


def test_the_officer_closes_a_notice_on_the_obligations_page_and_through_the_api(staff, cid, api_client):
    owed = _owed(_accepted(staff, cid))
    web = signed_in(staff["haddad"])
    page = web.get("/obligations/").content.decode()
    assert "Tell Dr. Primary Care of the amendment accepted" in page and "Varga" not in page
    form = {"client_id": cid["c1"], "obligation_id": owed["Dr. Primary Care"], "status": "met"}
    bad = web.post("/obligations/", {**form, "detail": ""})
    assert bad.status_code == 400 and "detail: one line" in bad.content.decode()
    assert web.post("/obligations/", {**form, "detail": "Faxed it."}).status_code == 302
    assert Obligation.objects.get(id=owed["Dr. Primary Care"]).status == "met"
    assert "Tell Dr. Primary Care" not in web.get("/obligations/").content.decode()
    officer = api_client(staff["haddad"])
    listed = officer.get(f"{API}/obligations")
    assert listed.status_code == 200, listed.content
    assert {o["id"] for o in listed.json()} == {owed["Blue Insurer"]}
    assert listed.json()[0]["notice"]["to"] == "Blue Insurer" and listed.json()[0]["client_name"] != "Varga"
    done = officer.post(f"{API}/obligations/close", {"client_id": str(cid["c1"]), "obligation_id": owed["Blue Insurer"],
                                                     "status": "waived", "detail": "The insurer was never sent it."},
                        content_type="application/json")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "waived"
    stranger = api_client(staff["pellham"]).post(
        f"{API}/obligations/close", {"client_id": str(cid["c1"]), "obligation_id": owed["Blue Insurer"],
                                     "status": "met", "detail": "x"}, content_type="application/json")
    assert stranger.status_code == 404
