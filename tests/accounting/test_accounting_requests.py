"""A formal request for an accounting of disclosures (45 CFR 164.528; RULES.md 1.12):
the client asks, the privacy officer prepares the complete accounting on its 60-day
clock, reviews it and sends it to the client's portal as a PDF; and an agency's
suspension (164.528(a)(2)) keeps its disclosures out until its end date."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import AccountingRequest
from confide.core.errors import Forbidden, InvalidInput, NotFound
from confide.services.disclosures import accounting
from confide.services.disclosures import accounting_requests as ar
from confide.services.disclosures import accounting_suspensions as sus
from confide.services.disclosures.obligations import obligation_close
from confide.services.disclosures.packet import (
    Basis,
    Recipient,
    disclosure_packet_build,
)
from confide.services.disclosures.safety import safety_action_take, safety_event_record
from confide.services.practice_time import local_to_utc
from tests.dates import practice_today

TODAY = practice_today()
THREAT = {"kind": "threat", "threat": "Said he would hurt his sister at her flat.",
          "person_at_risk": {"name": "Sister Testwarn", "contact": "12 Hidden Lane, Tacoma"},
          "imminence": "imminent", "means": "a knife"}
AGENCY = Recipient(name="WA DCYF Intake", kind="agency", address="PO Box 1, Olympia")
REPORT = Basis(kind="child_abuse_report", citation="45 CFR 164.512(b)(1)(ii); RCW 26.44.030",
               description="Report of suspected neglect of a child", flags=frozenset({"reportable"}))


def _warned(staff, cid):
    event = safety_event_record(user=staff["marsh"], client_id=cid["c1"], **THREAT)
    return safety_action_take(user=staff["marsh"], client_id=cid["c1"], event_id=event["id"],
                              action="warn_person")["disclosure"]


def _asked(staff, cid) -> dict:
    return ar.accounting_request_create(user=staff["lvarga"], client_id=cid["c1"])


def _officer(staff):
    return staff["haddad"]


def test_the_client_asks_and_the_request_lands_on_the_officers_list_with_its_60_day_clock(staff, cid):
    req = _asked(staff, cid)
    assert req["received_on"] == TODAY.isoformat()
    assert req["due_on"] == (TODAY + timedelta(days=60)).isoformat() and req["status"] == "open"
    (listed,) = [r for r in ar.accounting_requests_open(user=_officer(staff)) if r["id"] == req["id"]]
    assert listed["due_on"] == req["due_on"] and listed["days_left"] == 60 and not listed["overdue"]
    assert listed["client_ref"] and "Varga" not in str(listed)  # a reference, never a name
    # The client sees their own request and its clock; one open at a time.
    (mine,) = ar.accounting_request_list(user=staff["lvarga"], client_id=cid["c1"])
    assert mine["id"] == req["id"]
    with pytest.raises(InvalidInput, match="already open"):
        _asked(staff, cid)


def test_the_formal_accounting_is_complete_but_never_shows_where_the_protected_person_is(staff, cid):
    disclosure = _warned(staff, cid)
    # The live view holds the warning back while the decision to tell is open ...
    live = accounting.accounting_of_disclosures(user=staff["lvarga"], client_id=cid["c1"])
    assert disclosure["id"] not in {e["id"] for e in live["entries"]}
    req = _asked(staff, cid)
    out = ar.accounting_request_prepare(user=_officer(staff), client_id=cid["c1"], request_id=req["id"])
    # ... the formal accounting holds it, with the recipient's name and no address.
    (entry,) = [e for e in out["accounting"]["entries"] if e["id"] == disclosure["id"]]
    assert entry["recipient"]["name"] == "Sister Testwarn" and entry["recipient"]["address"] is None
    assert "Hidden Lane" not in str(out)
    assert out["request"]["status"] == "prepared" and out["request"]["document_sha256"]
    # The officer reviews the PDF before it goes; the client sees nothing yet.
    pdf = ar.accounting_document(user=_officer(staff), client_id=cid["c1"], request_id=req["id"])
    assert pdf.startswith(b"%PDF")
    with pytest.raises(NotFound):
        ar.accounting_document(user=staff["lvarga"], client_id=cid["c1"], request_id=req["id"])
    sent = ar.accounting_request_send(user=_officer(staff), client_id=cid["c1"], request_id=req["id"])
    assert sent["status"] == "sent" and not sent["open"]
    assert ar.accounting_document(user=staff["lvarga"], client_id=cid["c1"], request_id=req["id"]) == pdf
    # Every step is in the practice's chain, by the officer, through the door.
    steps = [e.detail.get("step") for e in AuditEvent.objects.filter(actor=str(_officer(staff).pk),
                                                                     action__in=("read", "write"))]
    assert {"prepared", "document_read", "sent"} <= set(steps)


def test_the_officer_reads_disclosures_only_while_a_request_is_open(staff, cid):
    req = _asked(staff, cid)
    ar.accounting_request_prepare(user=_officer(staff), client_id=cid["c1"], request_id=req["id"])
    ar.accounting_request_send(user=_officer(staff), client_id=cid["c1"], request_id=req["id"])
    # Sent: the flag is gone, the door shuts, as for a client that does not exist.
    with pytest.raises(NotFound):
        ar.accounting_request_review(user=_officer(staff), client_id=cid["c1"], request_id=req["id"])
    # Another client with no request: nothing.
    with pytest.raises(NotFound):
        ar.accounting_request_review(user=_officer(staff), client_id=cid["c2"], request_id=req["id"])
    # The officer still never reads the live accounting or the chart.
    with pytest.raises(NotFound):
        accounting.accounting_of_disclosures(user=_officer(staff), client_id=cid["c1"])


def test_only_the_privacy_officer_prepares_and_sends(staff, cid):
    req = _asked(staff, cid)
    for who in ("marsh", "pellham", "lvarga"):
        with pytest.raises(Forbidden):
            ar.accounting_request_prepare(user=staff[who], client_id=cid["c1"], request_id=req["id"])
    with pytest.raises(InvalidInput, match="prepare and review"):
        ar.accounting_request_send(user=_officer(staff), client_id=cid["c1"], request_id=req["id"])


def test_one_extension_with_a_written_reason_the_client_sees(staff, cid):
    req = _asked(staff, cid)
    with pytest.raises(InvalidInput, match="reason"):
        ar.accounting_request_extend(user=_officer(staff), client_id=cid["c1"], request_id=req["id"], reason=" ")
    with pytest.raises(InvalidInput, match="days"):
        ar.accounting_request_extend(user=_officer(staff), client_id=cid["c1"], request_id=req["id"],
                                     reason="Records archived off site", days=31)
    out = ar.accounting_request_extend(user=_officer(staff), client_id=cid["c1"], request_id=req["id"],
                                       reason="Records archived off site")
    assert out["extended_to"] == (TODAY + timedelta(days=90)).isoformat()
    (mine,) = ar.accounting_request_list(user=staff["lvarga"], client_id=cid["c1"])
    assert mine["extension_reason"] == "Records archived off site"
    assert mine["extension_notice_on"] == TODAY.isoformat()
    with pytest.raises(InvalidInput, match="once"):
        ar.accounting_request_extend(user=_officer(staff), client_id=cid["c1"], request_id=req["id"],
                                     reason="Still archived")


def test_an_extension_after_the_60_days_is_refused_and_the_request_shows_overdue(staff, cid):
    req = _asked(staff, cid)
    AccountingRequest.objects.filter(id=req["id"]).update(received_on=TODAY - timedelta(days=61),
                                                          due_on=TODAY - timedelta(days=1))
    (listed,) = [r for r in ar.accounting_requests_open(user=_officer(staff)) if r["id"] == req["id"]]
    assert listed["overdue"] and listed["days_left"] == -1
    with pytest.raises(InvalidInput, match="before the 60 days"):
        ar.accounting_request_extend(user=_officer(staff), client_id=cid["c1"], request_id=req["id"],
                                     reason="Too late")


def test_a_clinician_records_a_written_request_with_the_day_it_arrived(staff, cid):
    arrived = TODAY - timedelta(days=5)
    req = ar.accounting_request_create(user=staff["marsh"], client_id=cid["c1"], received_on=arrived.isoformat())
    assert req["filed_by"] == "staff" and req["due_on"] == (arrived + timedelta(days=60)).isoformat()
    with pytest.raises(InvalidInput, match="received_on"):
        ar.accounting_request_create(user=staff["lvarga"], client_id=cid["c1"], received_on=arrived.isoformat())


def test_a_stranger_cannot_file_for_a_client_they_do_not_treat(staff, cid):
    with pytest.raises(NotFound):
        ar.accounting_request_create(user=staff["jcastellanos"], client_id=cid["c1"])


# --- agency suspension (164.528(a)(2)) ---------------------------------------------------

def _to_agency(staff, cid):
    """A report to an agency the client has been told of (so only a suspension can
    hold it back from the live view)."""
    out = disclosure_packet_build(user=staff["marsh"], client_id=cid["c1"], recipient=AGENCY, purpose="PUBHLTH",
                                  basis=REPORT, categories={"identity", "contact", "incident"},
                                  incident={"summary": "Client described a child left alone for days"})
    for ob in out["obligations"]:
        obligation_close(user=staff["marsh"], client_id=cid["c1"], obligation_id=ob["id"], status="met",
                         detail="Told in session.")
    return out


def test_a_written_suspension_hides_the_agencys_disclosures_until_its_end_date(staff, cid):
    officer = _officer(staff)
    disclosure = _to_agency(staff, cid)
    end = TODAY + timedelta(days=20)
    assert disclosure["id"] in {e["id"] for e in accounting.accounting_of_disclosures(
        user=staff["lvarga"], client_id=cid["c1"])["entries"]}
    sus.suspension_record(user=officer, agency="  wa dcyf   intake ", agency_kind="health_oversight",
                          statement="written", ends_on=end.isoformat())

    def ids(now_day):
        now = local_to_utc(officer.practice, now_day, time(12))
        live = accounting.accounting_of_disclosures(user=staff["lvarga"], client_id=cid["c1"], now=now)
        return {e["id"] for e in live["entries"]}

    assert disclosure["id"] not in ids(TODAY)
    assert disclosure["id"] not in ids(end)  # the last day still suspends
    assert disclosure["id"] in ids(end + timedelta(days=1))  # and it reappears after
    # The clinician's view keeps it, marked.
    staff_view = accounting.accounting_of_disclosures(user=staff["marsh"], client_id=cid["c1"])
    (entry,) = [e for e in staff_view["entries"] if e["id"] == disclosure["id"]]
    assert entry["suspended_until"] == end.isoformat()
    # And a formal accounting prepared during the suspension leaves it out.
    req = _asked(staff, cid)
    out = ar.accounting_request_prepare(user=officer, client_id=cid["c1"], request_id=req["id"])
    assert disclosure["id"] not in {e["id"] for e in out["accounting"]["entries"]}
    assert AuditEvent.objects.filter(action="accounting.suspension", actor=str(officer.pk)).exists()


def test_an_oral_suspension_lasts_at_most_30_days_unless_put_in_writing(staff, cid):
    officer = _officer(staff)
    with pytest.raises(InvalidInput, match="at most 30 days"):
        sus.suspension_record(user=officer, agency="Tacoma Police Department", agency_kind="law_enforcement",
                              statement="oral", ends_on=(TODAY + timedelta(days=30)).isoformat())
    row = sus.suspension_record(user=officer, agency="Tacoma Police Department", agency_kind="law_enforcement",
                                statement="oral", ends_on=(TODAY + timedelta(days=29)).isoformat())
    assert row["in_force"] and row["statement"] == "oral"
    later = TODAY + timedelta(days=120)
    written = sus.suspension_put_in_writing(user=officer, suspension_id=row["id"], ends_on=later.isoformat())
    assert written["ends_on"] == later.isoformat() and written["written_on"] == TODAY.isoformat()
    with pytest.raises(InvalidInput, match="once"):
        sus.suspension_put_in_writing(user=officer, suspension_id=row["id"], ends_on=later.isoformat())
    on = sus.suspended_agencies(officer.practice_id, later)
    assert sus.agency_key("Tacoma Police Department") in on
    assert not sus.suspended_agencies(officer.practice_id, later + timedelta(days=1))
    # Only a disclosure to an agency or the police is covered, by name.
    assert sus.is_suspended({"kind": "law_enforcement", "name": "tacoma police department"}, on) == later
    assert sus.is_suspended({"kind": "person_at_risk", "name": "Tacoma Police Department"}, on) is None


def test_suspensions_are_the_privacy_officers_alone_and_bad_input_is_one_line(staff):
    with pytest.raises(Forbidden):
        sus.suspension_record(user=staff["marsh"], agency="X", agency_kind="law_enforcement", statement="written",
                              ends_on=TODAY.isoformat())
    officer = _officer(staff)
    for kwargs, message in (
        ({"agency": "", "agency_kind": "law_enforcement", "statement": "written", "ends_on": TODAY}, "agency"),
        ({"agency": "X", "agency_kind": "court", "statement": "written", "ends_on": TODAY}, "agency_kind"),
        ({"agency": "X", "agency_kind": "law_enforcement", "statement": "email", "ends_on": TODAY}, "statement"),
        ({"agency": "X", "agency_kind": "law_enforcement", "statement": "written", "ends_on": "soon"}, "ends_on"),
        ({"agency": "X", "agency_kind": "law_enforcement", "statement": "written",
          "ends_on": TODAY - timedelta(days=1)}, "ends_on"),
    ):
        with pytest.raises(InvalidInput, match=message):
            sus.suspension_record(user=officer, **kwargs)


def test_ending_a_suspension_early_brings_the_disclosures_back(staff):
    officer = _officer(staff)
    row = sus.suspension_record(user=officer, agency="Pierce County Sheriff", agency_kind="law_enforcement",
                                statement="written", ends_on=(TODAY + timedelta(days=90)).isoformat())
    sus.suspension_end(user=officer, suspension_id=row["id"], on=TODAY.isoformat())
    key = sus.agency_key("Pierce County Sheriff")
    assert key in sus.suspended_agencies(officer.practice_id, TODAY)
    assert key not in sus.suspended_agencies(officer.practice_id, TODAY + timedelta(days=1))

