"""A biller has no relationship to the client, yet sends the practice's claims: the
door looks up the client's facts (a Part 2 record) for their disclosures too."""

from __future__ import annotations

import pytest

from confide.apps.records.models import Disclosure
from confide.core.errors import Refused
from confide.services.disclosures.packet import (
    Basis,
    Recipient,
    disclosure_packet_build,
)

CLAIM = Basis(kind="payer_claim", citation="45 CFR 164.506(c)(1)", description="Claim")
PLAN = Recipient(name="Cascadia Health Plan", kind="insurer")


def test_a_claim_for_a_part2_client_is_refused_whoever_sends_it(staff, cid):
    before = Disclosure.objects.count()
    for sender in ("pellham", "okafor"):
        with pytest.raises(Refused) as err:
            disclosure_packet_build(user=staff[sender], client_id=cid["c4"], recipient=PLAN, purpose="HPAYMT",
                                    basis=CLAIM, categories={"identity", "billing", "diagnosis"})
        assert {"US-PART2-CONSENT-REQUIRED", "US-PART2-IDENTITY"} <= set(err.value.rule_ids)
    assert Disclosure.objects.count() == before


def test_a_claim_for_another_client_leaves(staff, cid):
    out = disclosure_packet_build(user=staff["pellham"], client_id=cid["c2"], recipient=PLAN, purpose="HPAYMT",
                                  basis=CLAIM, categories={"identity", "billing", "diagnosis", "progress_notes"})
    assert out["categories"] == ["billing", "diagnosis", "identity"]
