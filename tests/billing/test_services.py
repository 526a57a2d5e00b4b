"""Billing services: the work queue (attended sessions not yet charged, with the code of
their type and the practice's fee), charges in bulk, claims as validated 837P files
through the one way out, self-pay restrictions in words, the superbill, and who may
do each (existence stays secret)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from confide.apps.records.models import Charge, Claim, Disclosure
from confide.core.errors import Forbidden, InvalidInput, NotFound, Refused
from confide.services.billing import claims, queue, settings, superbill
from confide.services.billing.x12 import validate_837p
from confide.services.disclosures import insurers
from tests.billing.conftest import CASCADIA, attended_session
from tests.dates import practice_today


def week(days_back: int = 6):
    today = practice_today()
    return (today - timedelta(days=days_back)).isoformat(), today.isoformat()


def test_the_queue_lists_attended_sessions_not_yet_charged_with_code_and_fee(staff, cid, lena_sessions):
    out = queue.work_queue(user=staff["pellham"], start=week()[0], end=week()[1])
    mine = {r["appointment_id"]: r for r in out["unbilled"] if r["client_id"] == str(cid["c1"])}
    assert set(mine) == {str(a) for a in lena_sessions}
    session, extended = mine[str(lena_sessions[0])], mine[str(lena_sessions[1])]
    assert (session["cpt"], session["fee"], session["place_of_service"]) == ("90834", "150.00", "11")
    assert (extended["cpt"], extended["fee"], extended["place_of_service"]) == ("90837", "180.00", "10")
    assert session["date"] == (practice_today() - timedelta(days=1)).isoformat()  # the practice's day
    assert session["clinician"] == staff["marsh"].full_name and not session["restricted"]


def test_the_type_s_own_code_wins(staff, cid, lena_sessions):
    from confide.apps.practice.models import AppointmentType

    session_type = AppointmentType.objects.get(practice_id=staff["haddad"].practice_id, label="Session")
    settings.service_codes_set(user=staff["haddad"], codes={str(session_type.id): "90832"})
    out = queue.work_queue(user=staff["pellham"], start=week()[0], end=week()[1])
    row = next(r for r in out["unbilled"] if r["appointment_id"] == str(lena_sessions[0]))
    assert (row["cpt"], row["fee"]) == ("90832", "110.00")


def test_charges_recorded_in_bulk_leave_the_queue(staff, cid, lena_sessions):
    biller = staff["pellham"]
    out = queue.charges_record(user=biller, items=[
        {"appointment_id": str(lena_sessions[0]), "cpt": "90834", "fee": "150.00", "place_of_service": "11"},
        {"appointment_id": str(lena_sessions[1]), "cpt": "90837", "fee": "180.00", "place_of_service": "10"}])
    assert len(out["recorded"]) == 2 and out["refused"] == []
    assert Charge.objects.filter(appointment_id__in=lena_sessions).count() == 2
    after = queue.work_queue(user=biller, start=week()[0], end=week()[1])
    assert not {r["appointment_id"] for r in after["unbilled"]} & {str(a) for a in lena_sessions}
    charged = [c for c in after["charges"] if c["client_id"] == str(cid["c1"])]
    assert {c["cpt"] for c in charged} >= {"90834", "90837"} and not any(c["claimed"] for c in charged)
    # twice is refused, in one line, nothing added
    again = queue.charges_record(user=biller, items=[{"appointment_id": str(lena_sessions[0]), "cpt": "90834",
                                                      "fee": "150.00"}])
    assert again["recorded"] == [] and again["refused"][0]["error"] == "session: already charged"
    assert Charge.objects.filter(appointment_id__in=lena_sessions).count() == 2


def test_bad_rows_are_refused_one_line_each_and_the_rest_recorded(staff, cid, lena_sessions):
    out = queue.charges_record(user=staff["pellham"], items=[
        {"appointment_id": str(lena_sessions[0]), "cpt": "9083", "fee": "150.00"},
        {"appointment_id": "not-an-id", "cpt": "90834", "fee": "150.00"},
        {"appointment_id": str(lena_sessions[1]), "cpt": "90837", "fee": "180.00"}])
    assert [r["error"] for r in out["refused"]] == ["cpt: a five-character procedure code (e.g. 90834)",
                                                    "no such session"]
    assert len(out["recorded"]) == 1


def test_a_session_not_attended_is_not_charged(staff, cid):
    from confide.services import scheduling

    marsh = staff["marsh"]
    day = practice_today() - timedelta(days=3)
    missed = scheduling.appointment_create(user=marsh, client_id=cid["c1"], starts_at=scheduling.wall_clock(
        marsh.practice_id, day, __import__("datetime").time(7, 0)), room="Room 3", status="no_show")
    out = queue.charges_record(user=staff["pellham"], items=[{"appointment_id": str(missed), "cpt": "90834",
                                                              "fee": "150.00"}])
    assert out["refused"][0]["error"] == "session: only an attended session is charged"


def test_a_clinician_sees_only_their_own_clients_and_the_front_desk_and_admin_none(staff, cid, lena_sessions):
    okafor_session = attended_session(staff["okafor"], cid["c2"], 1, hour=6, room="Room 1")
    start, end = week()
    marsh_rows = {r["appointment_id"] for r in queue.work_queue(user=staff["marsh"], start=start, end=end)["unbilled"]}
    assert {str(a) for a in lena_sessions} <= marsh_rows and str(okafor_session) not in marsh_rows
    for username in ("fontaine", "haddad"):
        with pytest.raises(Forbidden):
            queue.work_queue(user=staff[username], start=start, end=end)
    # the other clinician's session cannot be charged by Theo either: no such session
    out = queue.charges_record(user=staff["marsh"], items=[{"appointment_id": str(okafor_session), "cpt": "90834",
                                                            "fee": "150.00"}])
    assert out["refused"][0]["error"] == "no such session"


def test_a_period_is_checked_in_one_line(staff):
    with pytest.raises(InvalidInput, match="at most 31 days"):
        queue.work_queue(user=staff["pellham"], start="2026-01-01", end="2026-03-01")
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        queue.work_queue(user=staff["pellham"], start="yesterday", end="today")


def _charge_and_claim(staff, cid, sessions):
    queue.charges_record(user=staff["pellham"], items=[
        {"appointment_id": str(a), "cpt": "90834", "fee": "150.00"} for a in sessions])
    first, last = week()
    return claims.claim_create(user=staff["pellham"], client_id=cid["c1"], payer=CASCADIA, first=first, last=last)


def test_a_claim_is_a_disclosure_with_a_valid_837p_of_the_period_only(staff, cid, lena_sessions):
    made = _charge_and_claim(staff, cid, lena_sessions)
    claim = Claim.objects.get(id=made["id"])
    assert Disclosure.objects.filter(id=made["disclosure_id"], client_id=cid["c1"]).exists()
    assert "US-HIPAA-PAYMENT-CLAIM" in made["rule_ids"]
    content, media, name = claims.claim_file(user=staff["pellham"], client_id=cid["c1"], claim_id=made["id"],
                                             fmt="x12")
    text = content.decode("ascii")
    assert media == "application/edi-x12" and name.endswith(".837p.txt")
    assert validate_837p(text) == []
    assert text.count("SV1*") == 2  # this week's two sessions, not the demo's older charges
    assert f"*{claim.control_number:09d}*" in text
    assert "LMHC" not in text and "F411" in text
    page = claims.claim_get(user=staff["pellham"], client_id=cid["c1"], claim_id=made["id"])
    assert page["total"] == "300.00" and len(page["services"]) == 2
    assert page["diagnoses"][0]["code"] == "F41.1"
    pdf, media, _ = claims.claim_file(user=staff["pellham"], client_id=cid["c1"], claim_id=made["id"], fmt="pdf")
    assert pdf.startswith(b"%PDF") and media == "application/pdf"
    # the services are claimed now: a second claim of the same days is refused in one line
    with pytest.raises(InvalidInput, match="on a claim already"):
        claims.claim_create(user=staff["pellham"], client_id=cid["c1"], payer=CASCADIA, first=week()[0],
                            last=week()[1])


def test_a_claim_is_accounted_and_each_download_audited_with_its_format(staff, cid, lena_sessions):
    from confide.apps.auditlog.models import AuditEvent

    made = _charge_and_claim(staff, cid, lena_sessions)
    disclose = AuditEvent.objects.filter(action="disclose").order_by("-seq").first()
    assert (disclose.decision, disclose.detail["recipient"], disclose.detail["basis"]) == ("permit", "insurer",
                                                                                            "payer_claim")
    for fmt in ("x12", "pdf"):
        claims.claim_file(user=staff["pellham"], client_id=cid["c1"], claim_id=made["id"], fmt=fmt)
        event = AuditEvent.objects.order_by("-seq").first()
        assert (event.action, event.decision, event.actor_role) == ("read", "permit", "biller")
        assert event.detail == {"view": "claim_file", "format": fmt}
        assert event.client_ref == disclose.client_ref


def test_a_self_pay_restricted_client_s_claim_is_refused_naming_the_rule(staff, cid):
    harriet = cid["c5"]
    session = attended_session(staff["lindqvist"], harriet, 1, room="Room 2")
    out = queue.work_queue(user=staff["pellham"], start=week()[0], end=week()[1])
    row = next(r for r in out["unbilled"] if r["appointment_id"] == str(session))
    assert row["restricted"] and "paid for" not in row["why"] and "no health plan" in row["why"]
    queue.charges_record(user=staff["pellham"], items=[{"appointment_id": str(session), "cpt": "90834",
                                                        "fee": "150.00"}])
    charge = next(c for c in queue.work_queue(user=staff["pellham"], start=week()[0], end=week()[1])["restricted"]
                  if c["client_id"] == str(harriet))
    assert "paid for this in full" in charge["why"] and "not go to their health plan" in charge["why"]
    with pytest.raises((Refused, InvalidInput)) as refused:
        claims.claim_create(user=staff["pellham"], client_id=harriet, payer=CASCADIA, first=week()[0],
                            last=week()[1])
    assert "US-HIPAA-SELF-PAY" in str(refused.value) or "no service a payer may see" in str(refused.value)
    assert not Claim.objects.filter(client_id=harriet).exists()
    page = claims.client_billing(user=staff["pellham"], client_id=harriet)
    assert page["client_restricted"] and "no health plan hear of their care" in page["restricted_words"]


def test_incomplete_practice_settings_stop_a_claim_in_words(staff, cid, lena_sessions):
    from confide.apps.practice.models import Practice

    practice = Practice.objects.get(id=staff["pellham"].practice_id)
    practice.billing_profile = {**practice.billing_profile, "npi": ""}
    practice.save()
    with pytest.raises(InvalidInput, match="billing NPI"):
        _charge_and_claim(staff, cid, lena_sessions)
    assert not Claim.objects.exists()


def test_existence_is_secret_for_claims_and_billing_pages(staff, cid, other_practice, lena_sessions):
    made = _charge_and_claim(staff, cid, lena_sessions)
    for username in ("okafor", "fontaine", "haddad"):
        with pytest.raises(NotFound):
            claims.client_billing(user=staff[username], client_id=cid["c1"])
        with pytest.raises(NotFound):
            claims.claim_file(user=staff[username], client_id=cid["c1"], claim_id=made["id"], fmt="x12")
    for client_id in (other_practice["client_id"], "00000000-0000-0000-0000-000000000000", "nonsense"):
        with pytest.raises(NotFound):
            claims.client_billing(user=staff["pellham"], client_id=client_id)
    # a claim id of another client answers as no claim
    with pytest.raises(NotFound):
        claims.claim_get(user=staff["pellham"], client_id=cid["c2"], claim_id=made["id"])


def test_the_superbill_has_practice_provider_npi_client_codes_descriptions_fees_and_paid(staff, cid):
    client_user = staff["lvarga"]
    bill = superbill.superbill(user=client_user, client_id=cid["c1"])
    assert bill["practice"]["npi"] == "1234567893" and bill["practice"]["tax_id"] == "911234567"
    assert bill["client"]["name"] and bill["services"]
    assert {s["cpt"] for s in bill["services"]} >= {"90791", "90834"}
    assert bill["providers"][0]["npi"] == "1548100233"
    assert bill["diagnoses"] == [{"code": "F41.1", "description": "Generalized anxiety disorder"}]
    assert bill["charged"] == f"{sum(float(s['fee']) for s in bill['services']):.2f}"
    assert bill["paid"] == "0.00"
    pdf = superbill.superbill_pdf(user=client_user, client_id=cid["c1"])
    assert pdf.startswith(b"%PDF")
    # the biller produces it too; the front desk and another client cannot
    assert superbill.superbill(user=staff["pellham"], client_id=cid["c1"])["services"]
    for username in ("fontaine", "jcastellanos", "acastellanos"):
        with pytest.raises(NotFound):
            superbill.superbill(user=staff[username], client_id=cid["c1"])


def test_paid_in_full_shows_as_paid_on_the_superbill(staff, cid):
    bill = superbill.superbill(user=staff["pellham"], client_id=cid["c5"])
    assert bill["services"] and bill["paid"] == bill["charged"] and bill["balance"] == "0.00"


def test_settings_are_checked_and_kept_by_the_admin_or_biller(staff):
    admin = staff["haddad"]
    with pytest.raises(InvalidInput, match="check digit"):
        settings.practice_billing_set(user=admin, npi="1234567890", tax_id="911234567",
                                      address={"line": "1 Main", "city": "Tacoma", "state": "WA", "zip": "984031234"})
    with pytest.raises(InvalidInput, match="ZIP"):
        settings.practice_billing_set(user=admin, npi="1234567893", tax_id="911234567",
                                      address={"line": "1 Main", "city": "Tacoma", "state": "WA", "zip": "98403"})
    with pytest.raises(InvalidInput, match="fee for 90834"):
        settings.fee_schedule_set(user=staff["pellham"], fees={"90834": "lots"})
    for username in ("marsh", "fontaine"):
        with pytest.raises(Forbidden):
            settings.fee_schedule_set(user=staff[username], fees={"90834": "150.00"})
    assert settings.fee_schedule_set(user=staff["pellham"], fees={"90834": "155", "90837": ""}) == {"90834": "155.00"}


def test_npi_check_digit():
    assert settings.npi_valid("1234567893") and not settings.npi_valid("1234567890")
    assert not settings.npi_valid("123456789") and not settings.npi_valid("abcdefghij")


def test_the_charge_carries_the_provider_s_npi_for_the_claim(staff, cid, lena_sessions):
    queue.charges_record(user=staff["pellham"], items=[{"appointment_id": str(lena_sessions[0]), "cpt": "90834",
                                                        "fee": "150.00"}])
    out = insurers.claim_build(user=staff["pellham"], client_id=cid["c1"], payer=CASCADIA)
    from confide.services.disclosures.packet import disclosure_document

    doc = disclosure_document(user=staff["marsh"], client_id=cid["c1"], disclosure_id=out["id"])
    newest = max(doc["sections"]["billing"]["services"], key=lambda s: s["date_of_service"])
    assert newest["provider"]["npi"] == "1548100233" and newest["place_of_service"] == "11"
