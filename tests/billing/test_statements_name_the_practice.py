"""Billing's reads name the practice: the work queue, charges recorded in bulk, the
client's billing page, a claim built, read and downloaded, and the superbill (by the
biller and by the client) filter every tenant table they read by `practice_id`, joined
tables included: on a database distributed on the practice (Citus) each is a router
query on the practice's shard.
Every statement the workflows send is read, those of the other domains' services they
pass through (the door's relationships, the directory, the insurer's packet, messages,
the calendar) too.

The UPDATEs and DELETEs the workflows send are read the same way (a row saved is
updated by its id and its practice: PracticeScoped)."""

from __future__ import annotations

from datetime import timedelta

from confide.services.billing import claims, queue, superbill
from tests.billing.conftest import CASCADIA
from tests.dates import practice_today
from tests.shards import assert_every_statement_names_the_practice, sent

def test_the_billing_workflows_name_the_practice_in_every_statement(staff, cid, lena_sessions):
    biller, lena = staff["pellham"], staff["lvarga"]
    today = practice_today()
    first, last = (today - timedelta(days=6)).isoformat(), today.isoformat()
    with sent() as statements:
        out = queue.work_queue(user=biller, start=first, end=last)
        assert {str(a) for a in lena_sessions} <= {r["appointment_id"] for r in out["unbilled"]}
        assert {r["type"] for r in out["unbilled"]} >= {"Session", "Extended session"}
        recorded = queue.charges_record(user=biller, items=[
            {"appointment_id": str(a), "cpt": "90834", "fee": "150.00"} for a in lena_sessions])
        assert len(recorded["recorded"]) == 2
        assert queue.work_queue(user=biller, start=first, end=last)["charges"]
        page = claims.client_billing(user=biller, client_id=cid["c1"])
        assert page["charges"] and page["diagnoses"]
        made = claims.claim_create(user=biller, client_id=cid["c1"], payer=CASCADIA, first=first, last=last)
        assert claims.claim_get(user=biller, client_id=cid["c1"], claim_id=made["id"])["total"] == "300.00"
        claims.claim_file(user=biller, client_id=cid["c1"], claim_id=made["id"], fmt="x12")
        assert claims.client_billing(user=biller, client_id=cid["c1"])["claims"]
        assert queue.work_queue(user=biller, start=first, end=last)["claims"]
        assert superbill.superbill(user=biller, client_id=cid["c1"])["services"]
        assert superbill.superbill(user=lena, client_id=cid["c1"])["diagnoses"]
    assert_every_statement_names_the_practice(statements, at_least=30)
