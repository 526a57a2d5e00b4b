"""Billing's reads name the practice: the work queue, charges recorded in bulk, the
client's billing page, a claim built, read and downloaded, and the superbill (by the
biller and by the client) filter every tenant table they read by `practice_id`, joined
tables included: on a database distributed on the practice (Citus) each is a router
query on the practice's shard.

The workflows pass through services of other domains (the door's relationships, the
directory's listing, the insurer's packet and charges, messages, the calendar) whose
reads are made to name the practice on branches of their own, each read by its own
tests: `domain_selects` leaves out the statements those services send (PENDING)."""

from __future__ import annotations

import traceback
from contextlib import contextmanager
from datetime import timedelta

from confide.services.billing import claims, queue, superbill
from tests.billing.conftest import CASCADIA
from tests.dates import practice_today
from tests.shards import assert_every_read_names_the_practice

PENDING = ("services/access.py", "services/directory.py", "services/messages.py", "services/scheduling/calendar.py",
           "services/disclosures/insurers.py", "services/disclosures/packet.py")


@contextmanager
def domain_selects():
    """The text of every SELECT the block sends, as the ORM wrote it (a list, filled as
    the block runs), but those whose innermost service is one of PENDING."""
    from django.db import connection

    out: list[str] = []

    def record(execute, sql, params, many, context):
        if sql and sql.lstrip().upper().startswith("SELECT"):
            services = [f.filename for f in traceback.extract_stack() if "/confide/services/" in f.filename]
            if not (services and services[-1].endswith(PENDING)):
                out.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield out


def test_the_billing_workflows_name_the_practice_in_every_read(staff, cid, lena_sessions):
    biller, lena = staff["pellham"], staff["lvarga"]
    today = practice_today()
    first, last = (today - timedelta(days=6)).isoformat(), today.isoformat()
    with domain_selects() as statements:
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
    assert_every_read_names_the_practice(statements, at_least=30)
