"""Insurers (issue 3, exception 1): what a claim and a managed-care report hold, the
self-pay restriction (RULES.md 1.9 RST-2, S13, DESIGN.md promise 6), and the seeds'
insurer practices."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from confide.apps.practice.models import PayerAgreement
from confide.apps.records.models import Charge, Disclosure, Obligation
from confide.core.errors import Forbidden, InvalidInput, NotFound, Refused
from confide.services.disclosures import insurers, releases
from confide.services.disclosures.packet import disclosure_document
from confide.services.keys import client_data_key
from confide.services.sealing import unseal
from tests.dates import practice_today

CASCADIA = "Cascadia Health Plan"
NEVER_TO_A_PAYER = {"progress_notes", "psychotherapy_notes", "assessments", "risk_assessment", "contact",
                    "family_contacts", "treatment_plan"}


def packet(user, client_id, summary) -> dict:
    return disclosure_document(user=user, client_id=client_id, disclosure_id=summary["id"])


def charge(user, cid, days_ago: int, **kw):
    return insurers.charge_add(user=user, client_id=cid, date_of_service=practice_today() - timedelta(days=days_ago),
                               cpt=kw.pop("cpt", "90834"), fee=kw.pop("fee", "150.00"), **kw)


# --- claims ---------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["marsh", "pellham"])  # the treating clinician, the biller
def test_claim_holds_identity_member_id_codes_dates_fees_and_provider_never_notes(staff, cid, username):
    user = staff[username]
    out = insurers.claim_build(user=user, client_id=cid["c1"], payer=CASCADIA)
    # Cascadia's agreement does not require medications: none on the claim
    assert out["categories"] == ["billing", "diagnosis", "identity"]
    assert out["accountable"] is False and out["obligations"] == []  # payment: not in the 164.528 accounting
    doc = packet(staff["marsh"], cid["c1"], out)
    billing = doc["sections"]["billing"]
    assert billing["member_id"] == "CHP-448120937" and billing["payer"] == CASCADIA
    assert "self_pay" not in billing and "restrict_payer" not in billing
    services = billing["services"]
    assert len(services) == 3 and {s["cpt"] for s in services} == {"90791", "90834"}
    assert all(s["fee"] and s["date_of_service"] and s["units"] == 1 for s in services)
    assert {s["provider"]["name"] for s in services} == {staff["marsh"].full_name}
    assert {s["provider"]["licence"] for s in services} == {"LMHC"}
    assert billing["dates_of_service"] == sorted(s["date_of_service"] for s in services)
    assert [d["code"] for d in doc["sections"]["diagnosis"]] == ["F41.1"]
    assert not NEVER_TO_A_PAYER & set(doc["sections"])
    assert doc["recipient"] == {"name": CASCADIA, "kind": "insurer", "address": ""}


def test_medications_only_where_the_payer_requires_them(staff, cid):
    """Seeds 000/003: 'limited to the diagnosis and medications required'."""
    insurers.payer_agreement_set(user=staff["pellham"], payer=CASCADIA, requires_medications=True,
                                 managed_care_reports=True)
    out = insurers.claim_build(user=staff["marsh"], client_id=cid["c1"], payer=CASCADIA)
    assert out["categories"] == ["billing", "diagnosis", "identity", "medications"]
    meds = packet(staff["marsh"], cid["c1"], out)["sections"]["medications"]
    assert [m["name"] for m in meds] == ["sertraline"]
    assert "US-HIPAA-PAYMENT-MEDICATIONS-TREATING" in out["rule_ids"]


def test_claims_go_only_to_a_recorded_payer(staff, insured_client, rows):
    """A misspelt payer would be a misdirected disclosure: refused, nothing sent."""
    cid, appts = insured_client
    charge(staff["marsh"], cid, 21, appointment_id=appts[0])
    before = rows(Disclosure)
    for payer in ("Evergreen Mutual Health", "Cascadia Helth Plan"):
        with pytest.raises(InvalidInput) as err:
            insurers.claim_build(user=staff["marsh"], client_id=cid, payer=payer)
        assert str(err.value).startswith("payer: no agreement with this payer is recorded")
    assert rows(Disclosure)["Disclosure"] == before["Disclosure"]
    insurers.payer_agreement_set(user=staff["pellham"], payer="Evergreen Mutual Health")
    out = insurers.claim_build(user=staff["marsh"], client_id=cid, payer="Evergreen Mutual Health")
    assert "medications" not in out["categories"]


def test_services_paid_in_full_with_a_restriction_never_reach_the_payer(staff, insured_client):
    cid, appts = insured_client
    marsh = staff["marsh"]
    charge(marsh, cid, 21, appointment_id=appts[0])
    charge(marsh, cid, 14, appointment_id=appts[1], paid_in_full=True, restrict_payer=True, cpt="90837",
           fee="180.00")
    charge(marsh, cid, 7, appointment_id=appts[2], paid_in_full=True)  # paid, no restriction asked
    restricted_day = (practice_today() - timedelta(days=14)).isoformat()
    claim = packet(marsh, cid, insurers.claim_build(user=marsh, client_id=cid, payer=CASCADIA))
    services = claim["sections"]["billing"]["services"]
    assert len(services) == 2 and restricted_day not in {s["date_of_service"] for s in services}
    assert "90837" not in {s["cpt"] for s in services}
    assert restricted_day not in claim["sections"]["billing"]["dates_of_service"]
    # nor its attendance in a managed-care report
    report = packet(marsh, cid, insurers.managed_care_report_build(user=marsh, client_id=cid, payer=CASCADIA))
    days = [a["date"] for a in report["sections"]["attendance"]]
    assert len(days) == 2 and restricted_day not in days


def test_a_restricted_service_without_an_appointment_is_left_out_by_its_day(staff, insured_client):
    cid, _ = insured_client
    charge(staff["marsh"], cid, 14, paid_in_full=True, restrict_payer=True)
    report = packet(staff["marsh"], cid,
                    insurers.managed_care_report_build(user=staff["marsh"], client_id=cid, payer=CASCADIA))
    assert (practice_today() - timedelta(days=14)).isoformat() not in [a["date"] for a in report["sections"]["attendance"]]


@pytest.mark.parametrize("username", ["lindqvist", "okafor", "pellham"])  # treating, supervising, biller
def test_client_level_self_pay_restriction_refuses_the_whole_claim(staff, cid, rows, username):
    """S13 / promise 6: Harriet pays out of pocket and asked that no plan hear of it."""
    before = rows(Disclosure, Obligation)
    with pytest.raises(Refused) as err:
        insurers.claim_build(user=staff[username], client_id=cid["c5"], payer=CASCADIA)
    assert "US-HIPAA-SELF-PAY" in err.value.rule_ids
    after = rows(Disclosure, Obligation)
    assert after["Disclosure"] == before["Disclosure"] and after["Obligation"] == before["Obligation"]
    assert after["AuditEvent"] == before["AuditEvent"] + 2  # the check, then the refusal, audited


def test_self_pay_restriction_blocks_managed_care_reports_too(staff, cid):
    with pytest.raises(Refused) as err:
        insurers.managed_care_report_build(user=staff["lindqvist"], client_id=cid["c5"], payer=CASCADIA)
    assert "US-HIPAA-SELF-PAY" in err.value.rule_ids


def test_restriction_request_and_its_end_only_at_the_clients_request(staff, insured_client):
    """RST-2: the practice must agree; RST-5 (K): the practice cannot end it by notice."""
    cid, appts = insured_client
    marsh = staff["marsh"]
    charge(marsh, cid, 21, appointment_id=appts[0], paid_in_full=True, restrict_payer=True)
    charge(marsh, cid, 14, appointment_id=appts[1])
    assert insurers.self_pay_restriction_request(user=marsh, client_id=cid, how="oral") == {
        "self_pay": True, "restrict_payer": True}
    with pytest.raises(Refused):
        insurers.claim_build(user=marsh, client_id=cid, payer=CASCADIA)
    for how in ("practice_notice", "", None):
        with pytest.raises(InvalidInput):
            insurers.self_pay_restriction_end(user=marsh, client_id=cid, how=how)
    with pytest.raises(Refused):
        insurers.claim_build(user=marsh, client_id=cid, payer=CASCADIA)
    assert insurers.self_pay_restriction_end(user=marsh, client_id=cid, how="client_written")["restrict_payer"] is False
    services = packet(marsh, cid, insurers.claim_build(user=marsh, client_id=cid, payer=CASCADIA)
                      )["sections"]["billing"]["services"]
    # the service paid in full with a restriction stays out after the client-level end
    assert [s["date_of_service"] for s in services] == [(practice_today() - timedelta(days=14)).isoformat()]


def test_no_claim_without_a_service_the_payer_may_see(staff, insured_client, rows):
    """Every service paid in full with a restriction: even the diagnosis relates solely
    to them (RST-2), so no claim leaves at all."""
    cid, appts = insured_client
    before = rows(Disclosure)
    with pytest.raises(InvalidInput) as err:
        insurers.claim_build(user=staff["marsh"], client_id=cid, payer=CASCADIA)  # nothing billed yet
    charge(staff["marsh"], cid, 21, appointment_id=appts[0], paid_in_full=True, restrict_payer=True)
    with pytest.raises(InvalidInput):
        insurers.claim_build(user=staff["pellham"], client_id=cid, payer=CASCADIA)
    assert str(err.value) == "claim: no service a payer may see (none recorded, or each paid in full with a restriction)"
    assert rows(Disclosure)["Disclosure"] == before["Disclosure"]


def test_unrelated_clinician_cannot_claim_and_nothing_is_written(staff, cid, rows):
    before = rows(Disclosure)
    with pytest.raises(NotFound):
        insurers.claim_build(user=staff["lindqvist"], client_id=cid["c1"], payer=CASCADIA)
    with pytest.raises(NotFound):
        insurers.claim_build(user=staff["marsh"], client_id=uuid.uuid4(), payer=CASCADIA)
    assert rows(Disclosure)["Disclosure"] == before["Disclosure"]


# --- managed-care reports ------------------------------------------------------------

def test_managed_care_report_under_the_agreement(staff, cid):
    out = insurers.managed_care_report_build(user=staff["marsh"], client_id=cid["c1"], payer=CASCADIA)
    assert out["categories"] == ["attendance", "diagnosis", "identity", "progress_summary", "treatment_plan"]
    assert [o["kind"] for o in out["obligations"]] == ["notify_client"]
    doc = packet(staff["marsh"], cid["c1"], out)
    assert {a["status"] for a in doc["sections"]["attendance"]} == {"attended", "cancelled"}
    assert all(set(a) == {"id", "date", "status"} for a in doc["sections"]["attendance"])
    assert doc["sections"]["progress_summary"]["goals"][0]["goal"] == "Reduce GAD-7 score below 10"
    assert not {"progress_notes", "psychotherapy_notes", "billing", "medications"} & set(doc["sections"])


@pytest.mark.parametrize("setup", ["no agreement", "agreement without reports"])
def test_managed_care_report_needs_an_agreement_that_provides_for_it(staff, cid, rows, setup):
    payer = "Evergreen Mutual Health"
    if setup == "agreement without reports":
        insurers.payer_agreement_set(user=staff["haddad"], payer=payer, requires_medications=True)
    before = rows(Disclosure)
    with pytest.raises(Refused) as err:
        insurers.managed_care_report_build(user=staff["marsh"], client_id=cid["c1"], payer=payer)
    assert err.value.rule_ids == ("SYS-DEFAULT-DENY",)
    assert rows(Disclosure)["Disclosure"] == before["Disclosure"]


def test_biller_cannot_send_a_treatment_report(staff, cid):
    with pytest.raises(Refused):
        insurers.managed_care_report_build(user=staff["pellham"], client_id=cid["c1"], payer=CASCADIA)


# --- the seed practice that bills under a release (seed 004) ----------------------

def _release(user, client_id, *, categories, recipient=CASCADIA, signed=True, revoked=False):
    """A release made through the releases service (every element), recorded as signed
    on paper by the client (this client has no portal login), then revoked if asked."""
    from tests.releases.helpers import release_data

    rid = releases.release_create(user=user, client_id=client_id, kind="hipaa", data=release_data(
        description="Session dates and fees only", categories=categories, purposes=["payment"],
        recipient={"name": recipient, "kind": "insurer", "address": "Claims"}))
    if signed:
        paper = releases.release_pdf(user=user, client_id=client_id, release_id=rid)
        releases.release_upload_signed(user=user, client_id=client_id, release_id=rid, signer_role="client",
                                       pdf_base64=base64.b64encode(paper).decode("ascii"), signer_name="Ilse T.")
    if revoked:
        releases.release_revoke(user=user, client_id=client_id, release_id=rid, how="written note from the client")
    return rid


def test_under_a_release_naming_only_dates_and_fees_the_claim_holds_only_those(staff, insured_client):
    """Seed 004: 'the form might state that only session dates and fees may be
    released to your insurance company'."""
    cid, appts = insured_client
    marsh = staff["marsh"]
    charge(marsh, cid, 21, appointment_id=appts[0])
    release = _release(marsh, cid, categories=["billing"])
    out = insurers.claim_build(user=marsh, client_id=cid, payer=CASCADIA, release_id=release)
    assert out["categories"] == ["billing"] and out["rule_ids"] == ["US-HIPAA-AUTHORIZATION"]
    doc = packet(marsh, cid, out)
    assert doc["basis"]["kind"] == "release"
    assert [(s["date_of_service"], s["fee"]) for s in doc["sections"]["billing"]["services"]] == [
        ((practice_today() - timedelta(days=21)).isoformat(), "150.00")]
    assert Disclosure.objects.get(id=out["id"]).release_id == release


@pytest.mark.parametrize("kw,error", [({"signed": False}, "release: not signed, expired or revoked"),
                                      ({"revoked": True}, "release: not signed, expired or revoked"),
                                      ({"recipient": "Evergreen Mutual Health"}, "release: it names another recipient")])
def test_a_release_that_is_not_live_or_names_another_payer_releases_nothing(staff, insured_client, rows, kw, error):
    cid, _ = insured_client
    release = _release(staff["marsh"], cid, categories=["billing"], **kw)
    before = rows(Disclosure)
    with pytest.raises(InvalidInput) as err:
        insurers.claim_build(user=staff["marsh"], client_id=cid, payer=CASCADIA, release_id=release)
    assert str(err.value) == error
    assert rows(Disclosure)["Disclosure"] == before["Disclosure"]


def test_a_release_of_another_client_is_not_found(staff, cid, insured_client):
    other = _release(staff["marsh"], cid["c1"], categories=["billing"])
    with pytest.raises(NotFound):
        insurers.claim_build(user=staff["marsh"], client_id=insured_client[0], payer=CASCADIA, release_id=other)


# --- payer agreements and charges: who, and bad input -------------------------------

def test_payer_agreements_are_the_admins_or_billers(staff):
    for username in ("marsh", "fontaine", "lvarga"):
        with pytest.raises(Forbidden):
            insurers.payer_agreement_set(user=staff[username], payer="X Plan")
    out = insurers.payer_agreement_set(user=staff["pellham"], payer=CASCADIA, requires_medications=True,
                                       managed_care_reports=False, reference="v2")
    assert out["requires_medications"] is True and out["managed_care_reports"] is False
    assert PayerAgreement.objects.filter(payer=CASCADIA).count() == 1
    assert [a["payer"] for a in insurers.payer_agreement_list(user=staff["marsh"])] == [CASCADIA]


@pytest.mark.parametrize("kw,message", [
    ({"payer": ""}, "payer: one line of at most 200 characters is required"),
    ({"payer": "Cascadia\nHealth"}, "payer: one line of at most 200 characters is required"),
    ({"payer": "X", "requires_medications": "yes"}, "requires_medications: true or false"),
])
def test_payer_agreement_bad_input_writes_nothing(staff, rows, kw, message):
    before = rows(PayerAgreement)
    with pytest.raises(InvalidInput) as err:
        insurers.payer_agreement_set(user=staff["haddad"], **kw)
    assert str(err.value) == message and "\n" not in str(err.value)
    assert rows(PayerAgreement) == before


@pytest.mark.parametrize("kw,message", [
    ({"restrict_payer": True}, "restrict_payer: a restriction the practice must honour needs the service paid in full"),
    ({"cpt": "9083"}, "cpt: a five-character procedure code (e.g. 90834)"),
    ({"fee": "-5"}, "fee: an amount such as 150.00"),
    ({"fee": 150}, "fee: an amount such as 150.00"),
    ({"units": 0}, "units: a whole number from 1 to 99"),
    ({"units": True}, "units: a whole number from 1 to 99"),
    ({"date_of_service": "2026-13-01"}, "date_of_service: expected a date as YYYY-MM-DD"),
    ({"date_of_service": (practice_today() + timedelta(days=3)).isoformat()},
     "date_of_service: a charge is for a service already given"),
    ({"appointment_id": "nope"}, "appointment_id: not an id"),
    ({"appointment_id": "other client"}, "appointment_id: no such appointment for this client"),
])
def test_charge_bad_input_is_one_line_and_writes_nothing(staff, cid, rows, kw, message):
    from confide.apps.records.models import Appointment

    if kw.get("appointment_id") == "other client":
        kw["appointment_id"] = Appointment.objects.filter(client_id=cid["c6"]).first().id
    args = {"date_of_service": "2026-11-02", "cpt": "90834", "fee": "150.00", "units": 1, **kw}
    before = rows(Charge)
    with pytest.raises(InvalidInput) as err:
        insurers.charge_add(user=staff["marsh"], client_id=cid["c1"], **args)
    assert str(err.value) == message
    assert rows(Charge) == before  # not even an audit row


def test_charge_is_encrypted_and_names_the_appointments_clinician(staff, cid):
    from confide.apps.records.models import Appointment

    appt = Appointment.objects.filter(client_id=cid["c5"], starts_at__lt=datetime.now(timezone.utc)).first()
    rid = insurers.charge_add(user=staff["lindqvist"], client_id=cid["c5"], appointment_id=appt.id,
                              date_of_service=appt.starts_at.date(), cpt="90834", fee="95", units=1,
                              paid_in_full=True, restrict_payer=True)
    row = Charge.objects.get(id=rid)
    assert b"90834" not in bytes(row.body_enc)
    body = unseal(client_data_key(cid["c5"]), Charge, "body_enc", row.id, row.body_enc)
    # the provider as the claim names them: name, licence, and the NPI and taxonomy the
    # practice's billing settings hold for them (services.billing.settings)
    assert body["fee"] == "95.00" and body["provider"] == {"name": appt.clinician.full_name,
                                                           "licence": appt.clinician.licence,
                                                           "npi": "1679100341", "taxonomy": "101YM0800X"}


def test_who_may_record_charges_and_restrictions(staff, cid):
    # the front desk records no billing, nor a clinician with no relationship to the client
    for username in ("fontaine", "okafor"):
        with pytest.raises(NotFound):
            insurers.charge_add(user=staff[username], client_id=cid["c5"], date_of_service="2026-11-02",
                                cpt="90834", fee="150.00")
        with pytest.raises(NotFound):
            insurers.self_pay_restriction_request(user=staff[username], client_id=cid["c5"], how="written")


def test_an_evening_session_is_matched_by_its_local_day(staff, insured_client):
    """Dates of service are the practice's days (Tacoma): a 7 pm session is 03:00 UTC
    the next day, and its restriction still keeps its attendance from the plan."""
    from confide.services import scheduling
    from tests.disclosures.conftest import past

    cid, _ = insured_client
    marsh = staff["marsh"]
    scheduling.appointment_create(user=marsh, client_id=cid, clinician_id=marsh.pk, starts_at=past(4, hour=3),
                               status="attended")
    local_day = practice_today() - timedelta(days=5)
    charge(marsh, cid, 5, paid_in_full=True, restrict_payer=True)
    report = packet(marsh, cid, insurers.managed_care_report_build(user=marsh, client_id=cid, payer=CASCADIA))
    days = [a["date"] for a in report["sections"]["attendance"]]
    assert local_day.isoformat() not in days and len(days) == 3


def test_the_biller_records_charges_and_reads_back_claims_for_every_client_of_the_practice(staff, cid):
    """INT-BILLER, INT-BILLER-CHARGES: the biller works on every client of the practice,
    within billing; a clinician need not do it for them."""
    from confide.apps.records.models import Appointment

    biller = staff["pellham"]
    appt = Appointment.objects.filter(client_id=cid["c1"]).order_by("starts_at").first()
    rid = insurers.charge_add(user=biller, client_id=cid["c1"], appointment_id=appt.id,
                              date_of_service=practice_today() - timedelta(days=2), cpt="90834", fee="150.00")
    body = unseal(client_data_key(cid["c1"]), Charge, "body_enc", rid,
                  Charge.objects.get(id=rid).body_enc)
    assert body["provider"]["name"] == appt.clinician.full_name  # the clinician, never the biller
    # without an appointment the provider is unknown: one line, nothing written
    with pytest.raises(InvalidInput) as err:
        insurers.charge_add(user=biller, client_id=cid["c1"], date_of_service="2026-11-02", cpt="90834",
                            fee="150.00")
    assert "\n" not in str(err.value) and str(err.value).startswith("appointment_id:")
    out = insurers.claim_build(user=biller, client_id=cid["c1"], payer=CASCADIA)
    doc = packet(biller, cid["c1"], out)
    assert doc["purpose"] == "HPAYMT" and doc["sections"]["billing"]["payer"] == CASCADIA
    assert any(s["date_of_service"] == body["date_of_service"] for s in doc["sections"]["billing"]["services"])


def test_the_biller_reads_claims_only_not_other_disclosures_and_nothing_elsewhere(staff, cid, other_practice):
    from confide.services.disclosures.packet import (
        Basis,
        Recipient,
        disclosure_packet_build,
    )

    biller = staff["pellham"]
    made = disclosure_packet_build(
        user=staff["marsh"], client_id=cid["c1"], recipient=Recipient(name="Judge Hale", kind="court"),
        purpose="HLEGAL", basis=Basis(kind="court_order", citation="45 CFR 164.512(e)(1)(i)", description="Order",
                                      scope=frozenset({"billing"}), flags=frozenset({"signed_by_judge"})),
        categories={"billing"})
    with pytest.raises(NotFound):
        packet(biller, cid["c1"], made)
    # another practice's client, and no client at all: the same not found, for charges too
    for client_id in (other_practice["client_id"], "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(NotFound):
            insurers.charge_add(user=biller, client_id=client_id, appointment_id=str(uuid.uuid4()),
                                date_of_service="2026-11-02", cpt="90834", fee="150.00")
        with pytest.raises(NotFound):
            disclosure_document(user=biller, client_id=client_id, disclosure_id=made["id"])
