"""Citus readiness: the exceptions' workflows (courts and lawyers, the duty to warn,
mandated reports, insurers) read every tenant table by the practice (on a distributed
database, a router query on the practice's shard). Each runs through the services as
the people who do it.

The UPDATEs and DELETEs the workflows send are read the same way (a row saved is
updated by its id and its practice: PracticeScoped)."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from confide.apps.records.models import Appointment
from confide.core.errors import Refused
from confide.services.charting import progress_note_create
from confide.services.disclosures import insurers, releases
from confide.services.disclosures.legal import (
    held_legal_requests,
    legal_request_assurance,
    legal_request_decide,
    legal_request_record,
    legal_request_release,
    legal_requests_list,
    privilege_letter,
)
from confide.services.disclosures.mandated_reports import (
    abuse_event_record,
    abuse_events_list,
    abuse_report_make,
)
from confide.services.disclosures.safety import (
    safety_action_take,
    safety_event_record,
    safety_events_list,
)
from tests.dates import practice_today
from tests.disclosures.test_courts import ATTORNEY, COURT, NOTICE
from tests.releases.helpers import make_release, release_data
from tests.shards import assert_every_statement_names_the_practice, sent

TODAY = practice_today()
THREAT = {"threat": "Said he would shoot his former business partner when he sees him Friday.",
          "person_at_risk": {"name": "Victor Partner", "contact": "253-555-0177"}, "imminence": "imminent",
          "means": "owns a handgun"}
AGENCY = {"name": "DCYF Child Protective Services intake", "address": "1-866-363-4276"}
CASCADIA = "Cascadia Health Plan"


def _subpoena(clinician, client_id, categories):
    return legal_request_record(user=clinician, client_id=client_id, kind="subpoena",
                                data={"requester": ATTORNEY, "case_number": "26-2-0002",
                                      "categories": list(categories)})


def test_courts_and_lawyers_name_the_practice_in_every_statement(staff, cid):
    clinician, officer, c1 = staff["marsh"], staff["haddad"], cid["c1"]
    release = make_release(clinician, c1, signed=True, categories=["billing"], purposes=["for my lawsuit"],
                           description="for my lawsuit", recipient=ATTORNEY)
    progress_note_create(user=clinician, client_id=c1, session_date=TODAY, text="Talked it through.",
                         topics=["abortion"])
    with sent() as statements:
        noticed = _subpoena(clinician, c1, ("billing", "diagnosis"))
        legal_request_assurance(user=clinician, client_id=c1, legal_request_id=noticed["id"], kind="notice",
                                details=NOTICE)
        legal_request_release(user=clinician, client_id=c1, legal_request_id=noticed["id"])
        authorized = _subpoena(clinician, c1, ("billing", "diagnosis"))
        privilege_letter(user=clinician, client_id=c1, legal_request_id=authorized["id"])
        legal_request_release(user=clinician, client_id=c1, legal_request_id=authorized["id"], release_id=release)
        order = legal_request_record(user=clinician, client_id=c1, kind="court_order", data={
            "requester": COURT, "court": COURT["name"], "case_number": "26-2-0077", "judge": "Hon. R. Example",
            "signed_by_judge": True, "categories": ["progress_notes"]})
        with pytest.raises(Refused):  # held for the privacy officer: a promise stands in its way
            legal_request_release(user=clinician, client_id=c1, legal_request_id=order["id"])
        assert [r for r in held_legal_requests(user=officer) if r["id"] == order["id"]]
        legal_request_decide(user=officer, client_id=c1, legal_request_id=order["id"], outcome="legal_step",
                             step="motion_to_quash", revisit_on=(TODAY + timedelta(days=21)).isoformat())
        legal_requests_list(user=clinician, client_id=c1)
    assert_every_statement_names_the_practice(statements, at_least=20)


def test_the_duty_to_warn_and_mandated_reports_name_the_practice_in_every_statement(staff, cid):
    clinician, c1 = staff["marsh"], cid["c1"]
    with sent() as statements:
        threat = safety_event_record(user=clinician, client_id=c1, kind="threat", **THREAT)
        safety_action_take(user=clinician, client_id=c1, event_id=threat["id"], action="warn_person")
        crime = safety_event_record(user=clinician, client_id=c1, kind="crime_admission",
                                    statement="Says she assaulted a man outside a bar two years ago.")
        with pytest.raises(Refused):
            safety_action_take(user=clinician, client_id=c1, event_id=crime["id"], action="notify_police",
                               recipient={"name": "Tacoma Police Department"})
        safety_events_list(user=clinician, client_id=c1)
        abuse = abuse_event_record(user=clinician, client_id=c1, victim_kind="dependent_adult", victim_age_now=30,
                                   abuse_is_past=False, facts="Client says her partner withholds her medication.")
        abuse_report_make(user=clinician, client_id=c1, event_id=abuse["id"], agency=AGENCY,
                          notify_exception="PR_is_abuser",
                          notify_exception_reason="Her partner reads her mail and is the one reported.")
        abuse_events_list(user=clinician, client_id=c1)
    assert_every_statement_names_the_practice(statements, at_least=15)


def test_insurers_name_the_practice_in_every_statement(staff, cid):
    clinician, biller, c1 = staff["marsh"], staff["pellham"], cid["c1"]
    appointment = Appointment.objects.filter(client_id=c1).order_by("starts_at").values_list("id", flat=True)[0]
    authorized = releases.release_create(user=clinician, client_id=c1, kind="hipaa", data=release_data(
        description="Session dates and fees only", categories=["billing"], purposes=["payment"],
        recipient={"name": CASCADIA, "kind": "insurer", "address": "Claims"}))
    paper = base64.b64encode(b"%PDF-1.7\n% signed on paper\n%%EOF\n").decode()
    releases.release_upload_signed(user=clinician, client_id=c1, release_id=authorized, signer_role="client",
                                   pdf_base64=paper, signer_name="Elena Varga-Trent")
    with sent() as statements:
        insurers.payer_agreement_set(user=biller, payer=CASCADIA, requires_medications=True,
                                     managed_care_reports=True)
        insurers.payer_agreement_list(user=biller)
        insurers.charge_add(user=biller, client_id=c1, appointment_id=appointment,
                            date_of_service=TODAY - timedelta(days=1), cpt="90834", fee="150.00")
        insurers.claim_build(user=biller, client_id=c1, payer=CASCADIA)
        insurers.claim_build(user=clinician, client_id=c1, payer=CASCADIA, release_id=authorized)
        insurers.managed_care_report_build(user=clinician, client_id=c1, payer=CASCADIA)
        insurers.self_pay_restriction_request(user=clinician, client_id=c1, how="oral")
        insurers.self_pay_restriction_end(user=clinician, client_id=c1, how="client_written")
    assert_every_statement_names_the_practice(statements, at_least=15)
