"""Courts and lawyers (RULES.md 1.6.4 tests 1-3, 2.5, 2.6 tests 1-2; S6, S7, S16): orders
release exactly what they name, subpoenas wait for assurance or authorization, Part 2
records need a Part 2 order, and the privilege letter reveals nothing."""

from __future__ import annotations

import base64
import uuid
from datetime import date, timedelta

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import Disclosure, LegalRequest, ProgressNote
from confide.core.errors import Forbidden, InvalidInput, NotFound, Refused
from confide.services.charting import progress_note_create
from confide.services.disclosures import releases
from confide.services.disclosures.legal import (
    legal_request_assurance,
    legal_request_record,
    legal_request_release,
    legal_requests_list,
    privilege_letter,
    privilege_letter_html,
)
from confide.services.disclosures.packet import (
    Basis,
    Recipient,
    disclosure_document,
    disclosure_packet_build,
)
from confide.services.policy import rules
from confide.services.projection import CHART_SECTIONS
from tests.dates import practice_today

TODAY = practice_today()
ATTORNEY = {"name": "Dana Counsel, Attorney at Law", "kind": "attorney", "address": "1 Court St, Tacoma"}
COURT = {"name": "Pierce County Superior Court", "kind": "court"}
NOTICE = {"written_statement": True, "notice_sent_on": (TODAY - timedelta(days=40)).isoformat(),
          "notice_describes_litigation": True, "objection_deadline": (TODAY - timedelta(days=10)).isoformat(),
          "objections": "none_filed", "document_ref": "Declaration of counsel re notice, 2026-10-01"}
QPO = {"written_statement": True, "route": "requested_from_court", "qpo_limits_use_to_litigation": True,
       "qpo_requires_return_or_destruction": True, "document_ref": "Motion for QPO filed"}


def _subpoena(staff, cid, key="c1", user="marsh", categories=("billing", "diagnosis")):
    return legal_request_record(user=staff[user], client_id=cid[key], kind="subpoena",
                                data={"requester": ATTORNEY, "case_number": "26-2-0002",
                                      "categories": list(categories)})


def _order(staff, cid, key="c1", user="marsh", kind="court_order", categories=("billing",), **extra):
    return legal_request_record(user=staff[user], client_id=cid[key], kind=kind, data={
        "requester": COURT, "court": COURT["name"], "case_number": "26-2-0001", "judge": "Hon. R. Example",
        "signed_by_judge": True, "categories": list(categories), **extra})


# --- 1.6.4 ---------------------------------------------------------------------------------

def test_1_6_4_1_and_s6_a_subpoena_without_assurance_is_held(staff, cid):
    req = _subpoena(staff, cid)
    assert req["status"] == "on_hold" and req["explanation"][0].startswith("on hold:")
    before = Disclosure.objects.count()
    with pytest.raises(Refused) as err:
        legal_request_release(user=staff["marsh"], client_id=cid["c1"], legal_request_id=req["id"])
    assert "on hold" in str(err.value) and "164.512(e)(1)(ii)" in str(err.value)
    assert Disclosure.objects.count() == before
    denial = AuditEvent.objects.filter(action="disclose").order_by("-seq").first()
    assert denial.decision == "deny" and denial.detail["basis"] == "subpoena"
    (listed,) = [r for r in legal_requests_list(user=staff["marsh"], client_id=cid["c1"]) if r["id"] == req["id"]]
    assert listed["status"] == "on_hold" and listed["refusals"][0]["rule_ids"] == ["SYS-DEFAULT-DENY"]


def test_1_6_4_2_notice_assurance_releases_but_never_psychotherapy_notes(staff, cid):
    req = _subpoena(staff, cid, categories=("billing", "diagnosis", "progress_notes", "psychotherapy_notes"))
    ready = legal_request_assurance(user=staff["marsh"], client_id=cid["c1"], legal_request_id=req["id"],
                                    kind="notice", details=NOTICE)
    assert ready["status"] == "ready" and ready["assurances"][0]["objections"] == "none_filed"
    out = legal_request_release(user=staff["marsh"], client_id=cid["c1"], legal_request_id=req["id"])
    assert out["disclosure"]["categories"] == ["billing", "diagnosis", "progress_notes"]
    assert out["withheld"] == ["psychotherapy_notes"]
    assert out["disclosure"]["rule_ids"] == ["US-HIPAA-SUBPOENA"]
    assert out["disclosure"]["accountable"] is True
    assert [o["kind"] for o in out["disclosure"]["obligations"]] == ["notify_client"]
    assert out["legal_request"]["status"] == "released"
    assert LegalRequest.objects.get(id=req["id"]).status == "released"


def test_s6_qpo_assurance_also_releases(staff, cid):
    req = _subpoena(staff, cid)
    legal_request_assurance(user=staff["marsh"], client_id=cid["c1"], legal_request_id=req["id"], kind="qpo",
                            details=QPO)
    out = legal_request_release(user=staff["marsh"], client_id=cid["c1"], legal_request_id=req["id"])
    assert out["disclosure"]["categories"] == ["billing", "diagnosis"]


def test_1_6_4_3_an_order_releases_exactly_what_it_names_and_its_period(staff, cid):
    start = TODAY - timedelta(days=25)
    req = _order(staff, cid, categories=("billing", "progress_notes"), date_from=start.isoformat(),
                 date_to=TODAY.isoformat())
    assert req["status"] == "ready"
    out = legal_request_release(user=staff["marsh"], client_id=cid["c1"], legal_request_id=req["id"])
    assert out["disclosure"]["categories"] == ["billing", "progress_notes"]
    packet = disclosure_document(user=staff["marsh"], client_id=cid["c1"], disclosure_id=out["disclosure"]["id"])
    days = [date.fromisoformat(n["session_date"]) for n in packet["sections"]["progress_notes"]]
    assert days and all(start <= d <= TODAY for d in days)
    # the chart has a note from 35 days ago: the period left it out
    assert ProgressNote.objects.filter(client_id=cid["c1"], session_date__lt=start).exists()
    billed = [date.fromisoformat(d) for d in packet["sections"]["billing"]["dates_of_service"]]
    assert billed and all(start <= d <= TODAY for d in billed)
    assert packet["period"] == [start.isoformat(), TODAY.isoformat()]


def test_1_6_4_3_the_full_chart_is_denied_beyond_the_orders_scope(staff, cid):
    basis = Basis(kind="court_order", citation="45 CFR 164.512(e)(1)(i)", description="Order: billing records 2023",
                  scope=frozenset({"billing"}), flags=frozenset({"signed_by_judge"}))
    out = disclosure_packet_build(user=staff["marsh"], client_id=cid["c1"], purpose="HLEGAL", basis=basis,
                                  recipient=Recipient(name="Pierce County Superior Court", kind="court"),
                                  categories=CHART_SECTIONS)
    assert out["categories"] == ["billing"]


def test_an_order_not_signed_by_a_judge_is_held(staff, cid):
    req = legal_request_record(user=staff["marsh"], client_id=cid["c1"], kind="court_order",
                               data={"requester": ATTORNEY, "court": "Pierce County Superior Court",
                                     "categories": ["billing"]})
    assert req["status"] == "on_hold"
    with pytest.raises(Refused):
        legal_request_release(user=staff["marsh"], client_id=cid["c1"], legal_request_id=req["id"])
    assert LegalRequest.objects.get(id=req["id"]).status == "on_hold"


def test_a_released_request_does_not_release_twice(staff, cid):
    req = _order(staff, cid)
    legal_request_release(user=staff["marsh"], client_id=cid["c1"], legal_request_id=req["id"])
    before = (Disclosure.objects.count(), AuditEvent.objects.count())
    with pytest.raises(InvalidInput, match="already released"):
        legal_request_release(user=staff["marsh"], client_id=cid["c1"], legal_request_id=req["id"])
    assert (Disclosure.objects.count(), AuditEvent.objects.count()) == before


# --- the client's authorization ----------------------------------------------------------------

def _signed_release(staff, cid, categories, revoked=False):
    """The client's release to the requesting attorney, made through the releases
    service and signed in her portal; revoked if asked."""
    from tests.releases.helpers import make_release

    rid = make_release(staff["marsh"], cid["c1"], signed=True, categories=categories, purposes=["for my lawsuit"],
                       description="for my lawsuit", recipient=ATTORNEY)
    if revoked:
        releases.release_revoke(user=staff["lvarga"], client_id=cid["c1"], release_id=rid, how="portal")
    return uuid.UUID(rid)


def test_a_subpoena_the_client_authorizes_goes_through_the_release(staff, cid):
    req = _subpoena(staff, cid, categories=("billing", "diagnosis", "psychotherapy_notes"))
    release = _signed_release(staff, cid, ["billing"])
    out = legal_request_release(user=staff["marsh"], client_id=cid["c1"], legal_request_id=req["id"],
                                release_id=str(release))
    assert out["disclosure"]["categories"] == ["billing"]  # what both name; never the notes
    assert out["disclosure"]["rule_ids"] == ["US-HIPAA-AUTHORIZATION"]
    assert out["disclosure"]["accountable"] is False  # 164.528(a)(1)(iv)
    assert Disclosure.objects.get(id=out["disclosure"]["id"]).release_id == release


def test_a_revoked_release_authorizes_nothing_and_the_subpoena_stays_held(staff, cid):
    req = _subpoena(staff, cid)
    release = _signed_release(staff, cid, ["billing"], revoked=True)
    with pytest.raises(Refused, match="revoked"):
        legal_request_release(user=staff["marsh"], client_id=cid["c1"], legal_request_id=req["id"],
                              release_id=str(release))
    assert LegalRequest.objects.get(id=req["id"]).status == "on_hold"
    with pytest.raises(NotFound):  # a release of another client is no release
        legal_request_release(user=staff["marsh"], client_id=cid["c1"], legal_request_id=req["id"],
                              release_id=str(uuid.uuid4()))


# --- Part 2 -------------------------------------------------------------------------------------

def test_2_6_1_and_s7_part2_records_and_a_subpoena_with_notice_are_refused(staff, cid):
    req = _subpoena(staff, cid, key="c4", user="okafor", categories=("diagnosis", "substance_use", "identity"))
    assert req["part2"] is True and any("Part 2 court order" in line for line in req["explanation"])
    legal_request_assurance(user=staff["okafor"], client_id=cid["c4"], legal_request_id=req["id"], kind="notice",
                            details=NOTICE)
    before = Disclosure.objects.count()
    with pytest.raises(Refused) as err:
        legal_request_release(user=staff["okafor"], client_id=cid["c4"], legal_request_id=req["id"])
    assert {"US-PART2-CONSENT-REQUIRED", "US-PART2-IDENTITY"} <= set(err.value.rule_ids)
    assert "Part 2 court order" in str(err.value)
    assert Disclosure.objects.count() == before
    assert LegalRequest.objects.get(id=req["id"]).status == "refused"


def test_a_hipaa_order_for_part2_records_is_refused(staff, cid):
    req = _order(staff, cid, key="c4", user="okafor", categories=("diagnosis", "identity"))
    with pytest.raises(Refused) as err:
        legal_request_release(user=staff["okafor"], client_id=cid["c4"], legal_request_id=req["id"])
    assert "US-PART2-CONSENT-REQUIRED" in err.value.rule_ids


def test_substance_use_records_of_any_client_need_a_part2_order(staff, cid):
    req = _subpoena(staff, cid, categories=("billing", "substance_use"))
    assert req["part2"] is True
    legal_request_assurance(user=staff["marsh"], client_id=cid["c1"], legal_request_id=req["id"], kind="qpo",
                            details=QPO)
    out = legal_request_release(user=staff["marsh"], client_id=cid["c1"], legal_request_id=req["id"])
    assert out["withheld"] == ["substance_use"] and out["disclosure"]["categories"] == ["billing"]


@pytest.mark.parametrize("with_subpoena", [False, True])
def test_2_6_2_a_part2_order_may_disclose_its_scope_only(staff, cid, with_subpoena):
    req = _order(staff, cid, key="c4", user="okafor", kind="part2_court_order", categories=("diagnosis", "identity"),
                 with_subpoena=with_subpoena)
    assert req["status"] == "ready" and req["compelled"] is with_subpoena
    assert any(("compelled" in line) for line in req["explanation"])
    out = legal_request_release(user=staff["okafor"], client_id=cid["c4"], legal_request_id=req["id"])
    assert out["disclosure"]["categories"] == ["diagnosis", "identity"]
    assert out["disclosure"]["rule_ids"] == ["US-PART2-COURT-ORDER"]
    assert out["disclosure"]["notices"] == ["42 CFR 2.32"]
    packet = disclosure_document(user=staff["okafor"], client_id=cid["c4"], disclosure_id=out["disclosure"]["id"])
    assert set(packet["sections"]) == {"diagnosis", "identity"} and packet["no_redisclosure"] is True


# --- promises and S16 -----------------------------------------------------------------------------

def test_an_order_touching_a_promise_is_held_for_the_privacy_officer_not_refused(staff, cid):
    """Contract promise 13: a judge's order that touches a promised topic is neither
    refused quietly nor obeyed quietly; it is held, and the clinician is told which
    promise conflicts. Nothing leaves."""
    progress_note_create(user=staff["marsh"], client_id=cid["c1"], session_date=TODAY, text="Talked it through.",
                         topics=["abortion"])
    req = _order(staff, cid, categories=("progress_notes",))
    before = Disclosure.objects.filter(client_id=cid["c1"]).count()
    with pytest.raises(Refused) as err:
        legal_request_release(user=staff["marsh"], client_id=cid["c1"], legal_request_id=req["id"])
    assert "PRACTICE-PROMISE-REPRODUCTIVE" in err.value.rule_ids
    assert "on hold for the privacy officer" in str(err.value) and "PRACTICE-PROMISE-REPRODUCTIVE" in str(err.value)
    assert LegalRequest.objects.get(id=req["id"]).status == "on_hold"
    assert Disclosure.objects.filter(client_id=cid["c1"]).count() == before
    (view,) = [r for r in legal_requests_list(user=staff["marsh"], client_id=cid["c1"]) if r["id"] == req["id"]]
    assert view["promise_conflicts"] == ["PRACTICE-PROMISE-REPRODUCTIVE"]


def test_s16_no_attestation_is_asked_after_the_vacatur(staff, cid):
    """RULES.md 8 / S16: the 164.509 attestation was vacated on 2025-06-18. No enabled
    rule asks for one: a court-ordered release of a record about reproductive health
    care (a topic no promise of this practice names) goes out on the order alone, and
    the reasons name no attestation rule. A police request has no 164.512(f) rule to
    permit it here, so it is refused by default, not for want of an attestation."""
    assert not [r for r in rules().rules if r.enabled and ("164.509" in r.citation or "RH-" in r.id)]
    progress_note_create(user=staff["marsh"], client_id=cid["c1"], session_date=TODAY,
                         text="Discussed her contraception and a past pregnancy.", topics=["contraception"])
    req = _order(staff, cid, categories=("progress_notes",))
    out = legal_request_release(user=staff["marsh"], client_id=cid["c1"], legal_request_id=req["id"])
    assert out["disclosure"]["rule_ids"] == ["US-HIPAA-COURT-ORDER"]
    basis = Basis(kind="court_order", citation="warrant", description="Police request",
                  scope=frozenset({"progress_notes"}), flags=frozenset({"signed_by_judge"}))
    with pytest.raises(Refused) as err:
        disclosure_packet_build(user=staff["marsh"], client_id=cid["c1"], purpose="HLEGAL", basis=basis,
                                recipient=Recipient(name="Tacoma Police Department", kind="law_enforcement"),
                                categories={"progress_notes"})
    assert err.value.rule_ids == ("SYS-DEFAULT-DENY",)


# --- the privilege letter ---------------------------------------------------------------------------

def test_privilege_letter_is_a_pdf_audited_and_not_a_disclosure(staff, cid):
    req = _subpoena(staff, cid)
    before = Disclosure.objects.count()
    out = privilege_letter(user=staff["marsh"], client_id=cid["c1"], legal_request_id=req["id"])
    assert base64.b64decode(out["pdf_base64"]).startswith(b"%PDF")
    assert out["disclosure"] is None and Disclosure.objects.count() == before
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.detail == {"record": "legal_request", "step": "privilege_letter"} and event.decision == "permit"
    (listed,) = [r for r in legal_requests_list(user=staff["marsh"], client_id=cid["c1"]) if r["id"] == req["id"]]
    assert listed["letters"][0]["sha256"] == out["sha256"]


def test_privilege_letter_names_no_one_and_is_the_same_for_a_part2_client(staff, cid):
    lena = _subpoena(staff, cid)
    russ = _subpoena(staff, cid, key="c4", user="okafor")
    bodies = {}
    for key, req, user in (("c1", lena, "marsh"), ("c4", russ, "okafor")):
        (row,) = [r for r in legal_requests_list(user=staff[user], client_id=cid[key]) if r["id"] == req["id"]]
        bodies[key] = privilege_letter_html(practice="Harbor Light Counseling", signer="A. Clinician", licence="LMHC",
                                            on=TODAY, request=row)
    assert bodies["c1"] == bodies["c4"]
    text = bodies["c1"]
    assert "neither confirm nor deny" in text
    for word in ("Varga", "Lena", "Part 2", "substance", "sertraline", "anxiety"):
        assert word not in text


def test_no_letter_for_an_order_signed_by_a_judge(staff, cid):
    req = _order(staff, cid)
    with pytest.raises(Forbidden):
        privilege_letter(user=staff["marsh"], client_id=cid["c1"], legal_request_id=req["id"])


# --- bad input and existence --------------------------------------------------------------------------

@pytest.mark.parametrize("kind,data,message", [
    ("warrant", {"requester": ATTORNEY, "categories": ["billing"]}, "kind"),
    ("subpoena", {"requester": ATTORNEY, "categories": []}, "categories"),
    ("subpoena", {"requester": ATTORNEY, "categories": ["everything"]}, "unknown category"),
    ("subpoena", {"requester": ATTORNEY, "categories": ["billing"], "signed_by_judge": True}, "court order"),
    ("subpoena", {"requester": {**ATTORNEY, "kind": "police"}, "categories": ["billing"]}, "requester.kind"),
    ("court_order", {"requester": COURT, "categories": ["billing"]}, "court: required"),
    ("court_order", {"requester": COURT, "court": "X", "signed_by_judge": True, "categories": ["billing"]},
     "judge: required"),
    ("subpoena", {"requester": ATTORNEY, "categories": ["billing"], "date_from": "2024-02-01",
                  "date_to": "2024-01-01"}, "date_to"),
    ("subpoena", {"requester": ATTORNEY, "categories": ["billing"], "received_on": "2999-01-01"}, "future"),
    ("subpoena", {"requester": ATTORNEY, "categories": ["billing"], "with_subpoena": True}, "with_subpoena"),
    ("subpoena", {"requester": ATTORNEY, "categories": ["billing"], "note": "x"}, "unknown field"),
])
def test_record_bad_input_is_one_line_and_writes_nothing(staff, cid, kind, data, message):
    before = (LegalRequest.objects.count(), AuditEvent.objects.count())
    with pytest.raises(InvalidInput) as err:
        legal_request_record(user=staff["marsh"], client_id=cid["c1"], kind=kind, data=data)
    assert message in str(err.value) and "\n" not in str(err.value)
    assert (LegalRequest.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize("kind,details,message", [
    ("notice", {**NOTICE, "objection_deadline": (TODAY + timedelta(days=5)).isoformat()}, "has not passed"),
    ("notice", {**NOTICE, "objections": "pending"}, "objections"),
    ("notice", {**NOTICE, "notice_describes_litigation": False}, "object"),
    ("notice", {**NOTICE, "written_statement": False}, "written statement"),
    ("qpo", {**QPO, "qpo_requires_return_or_destruction": False}, "qpo_requires_return"),
    ("qpo", {**QPO, "route": "hoped_for"}, "route"),
    ("qpo", {**QPO, "document_ref": ""}, "document_ref"),
    ("oath", QPO, "kind"),
])
def test_assurance_must_be_complete_or_nothing_is_recorded(staff, cid, kind, details, message):
    req = _subpoena(staff, cid)
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidInput, match=message):
        legal_request_assurance(user=staff["marsh"], client_id=cid["c1"], legal_request_id=req["id"], kind=kind,
                                details=details)
    assert AuditEvent.objects.count() == before
    assert LegalRequest.objects.get(id=req["id"]).status == "on_hold"


def test_an_order_needs_no_assurance(staff, cid):
    req = _order(staff, cid)
    with pytest.raises(InvalidInput, match="only a subpoena"):
        legal_request_assurance(user=staff["marsh"], client_id=cid["c1"], legal_request_id=req["id"], kind="qpo",
                                details=QPO)


def test_another_clients_request_answers_like_none(staff, cid):
    req = _subpoena(staff, cid)
    for user, key in (("marsh", "c3"), ("okafor", "c1")):
        with pytest.raises(NotFound):
            legal_request_release(user=staff[user], client_id=cid[key], legal_request_id=req["id"])
        with pytest.raises(NotFound):
            privilege_letter(user=staff[user], client_id=cid[key], legal_request_id=req["id"])
