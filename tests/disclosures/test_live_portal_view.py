"""The client's live portal view (/me/accounting, their obligations) holds back a
safety disclosure while the decision to tell them is open, or after it was waived as
unsafe, and never shows where the protected person can be found. The clinician's
accounting (what a formal 164.528 request is prepared from) stays complete."""

from __future__ import annotations

import json

from confide.services.disclosures import accounting, obligations
from confide.services.disclosures.safety import safety_action_take, safety_event_record

THREAT = {"kind": "threat", "threat": "Said he would hurt his sister at her flat.",
          "person_at_risk": {"name": "Sister Testwarn", "contact": "12 Hidden Lane, Tacoma"},
          "imminence": "imminent", "means": "a knife"}


def _warned(staff, cid):
    event = safety_event_record(user=staff["marsh"], client_id=cid["c1"], **THREAT)
    out = safety_action_take(user=staff["marsh"], client_id=cid["c1"], event_id=event["id"], action="warn_person")
    return out["disclosure"]


def _ids(report):
    return {e["id"] for e in report["entries"]}


def test_held_back_while_the_decision_is_open_then_shown_without_the_location(staff, cid, api_client):
    disclosure = _warned(staff, cid)
    client = staff["lvarga"]
    mine = accounting.accounting_of_disclosures(user=client, client_id=cid["c1"])
    assert disclosure["id"] not in _ids(mine)
    body = api_client(client).get("/api/v1/me/accounting").content.decode()
    assert "Sister Testwarn" not in body and "Hidden Lane" not in body and "serious" not in body.lower()
    owed = obligations.obligation_list(user=client, client_id=cid["c1"])
    assert not any(o["disclosure"] and o["disclosure"]["id"] == disclosure["id"] for o in owed)
    # the clinician's accounting is complete
    assert disclosure["id"] in _ids(accounting.accounting_of_disclosures(user=staff["marsh"], client_id=cid["c1"]))
    # told: now the client sees it, never the protected person's address
    ob = disclosure["obligations"][0]
    obligations.obligation_close(user=staff["marsh"], client_id=cid["c1"], obligation_id=ob["id"], status="met",
                                 detail="Told in session.")
    mine = accounting.accounting_of_disclosures(user=client, client_id=cid["c1"])
    assert disclosure["id"] in _ids(mine)
    assert "Hidden Lane" not in json.dumps(mine)
    assert "Hidden Lane" not in json.dumps(obligations.obligation_list(user=client, client_id=cid["c1"],
                                                                       include_closed=True))


def test_waived_as_unsafe_stays_held_back(staff, cid):
    disclosure = _warned(staff, cid)
    ob = disclosure["obligations"][0]
    obligations.obligation_close(user=staff["marsh"], client_id=cid["c1"], obligation_id=ob["id"], status="waived",
                                 detail="Telling him would put his sister at risk.")
    client = staff["lvarga"]
    assert disclosure["id"] not in _ids(accounting.accounting_of_disclosures(user=client, client_id=cid["c1"]))
    owed = obligations.obligation_list(user=client, client_id=cid["c1"], include_closed=True)
    assert not any(o["disclosure"] and o["disclosure"]["id"] == disclosure["id"] for o in owed)
