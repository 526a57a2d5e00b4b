"""Demo data for insurers, minors and self-pay, created through the real services
(called once at the end of `demo.demo_create`)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from confide.apps.records.models import Appointment
from confide.services.billing.settings import (
    fee_schedule_set,
    practice_billing_set,
    provider_ids_set,
)
from confide.services.demo import data
from confide.services.disclosures.insurers import (
    charge_add,
    payer_agreement_set,
    self_pay_restriction_request,
)
from confide.services.disclosures.minors import ground_rules_record

# CPT codes: 90791 intake evaluation, 90837 / 90834 psychotherapy of 60 / 45 minutes.
_FEES = {60: ("90837", "180.00"), 50: ("90834", "150.00")}


def _charge_attended(user, client_id, key: str, today: date, **restriction) -> None:
    client = next(c for c in data.CLIENTS if c["key"] == key)
    attended = [a for a in client["appointments"] if a["status"] == "attended"]
    for index, a in enumerate(attended):
        day = today + timedelta(days=a["days_from_today"])
        start = datetime.combine(day, time(0), tzinfo=ZoneInfo(data.PRACTICE["timezone"]))
        appt = Appointment.objects.filter(client_id=client_id, starts_at__gte=start,
                                          starts_at__lt=start + timedelta(days=1)).first()
        cpt, fee = ("90791", "200.00") if index == 0 else _FEES[a["minutes"]]
        charge_add(user=user, client_id=client_id, appointment_id=appt.id if appt else None,
                   date_of_service=day, cpt=cpt, fee=fee, units=1, **restriction)


# The demo practice's billing identity (invented numbers with valid NPI check digits).
DEMO_BILLING = {"npi": "1234567893", "tax_id": "911234567", "taxonomy": "261QM0801X", "phone": "2535550100",
                "contact": "Billing office", "submitter_id": "HLC911234567",
                "address": {"line": "1420 Marrowstone Avenue, Suite 210", "city": "Tacoma", "state": "WA",
                            "zip": "984031234"}}
DEMO_FEES = {"90791": "200.00", "90832": "110.00", "90834": "150.00", "90837": "180.00", "90847": "160.00"}
DEMO_PROVIDERS = {"okafor": ("1048000123", "103T00000X"), "marsh": ("1548100233", "101YM0800X"),
                  "lindqvist": ("1679100341", "101YM0800X")}


def demo_billing(*, staff: dict) -> None:
    """The practice's billing settings, as its administrator enters them."""
    admin = staff["haddad"]
    practice_billing_set(user=admin, **DEMO_BILLING)
    fee_schedule_set(user=admin, fees=DEMO_FEES)
    for username, (npi, taxonomy) in DEMO_PROVIDERS.items():
        provider_ids_set(user=admin, provider_id=staff[username].pk, npi=npi, taxonomy=taxonomy)


def demo_payers_and_minors(*, staff: dict, client_ids: dict, today: date) -> None:
    demo_billing(staff=staff)
    payer_agreement_set(user=staff["haddad"], payer="Cascadia Health Plan", requires_medications=False,
                        managed_care_reports=True, reference="CHP-BH-2026-114")
    _charge_attended(staff["marsh"], client_ids["c1"], "c1", today)
    # Harriet pays out of pocket and asked that no health plan hear of her care.
    _charge_attended(staff["lindqvist"], client_ids["c5"], "c5", today, paid_in_full=True, restrict_payer=True)
    self_pay_restriction_request(user=staff["lindqvist"], client_id=client_ids["c5"], how="written")
    # June (15) consented alone under RCW 71.34.530 and allows their mother to see
    # attendance and broad progress.
    ground_rules_record(user=staff["marsh"], client_id=client_ids["c3"], minor_allows=["attendance", "progress_summary"],
                        notes="Agreed at intake with June and their mother: attendance and broad progress are "
                              "shared; what June says in sessions stays between June and the therapist.")
