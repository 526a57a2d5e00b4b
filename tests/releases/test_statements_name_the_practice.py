"""Citus readiness: a release's life (prepared, sent, read, signed in the portal or
uploaded wet-signed, disclosed under, revoked, ended by its event) reads every tenant
table by the practice (on a distributed database, a router query on the practice's
shard). Each step runs through the services as the person who does it.

The UPDATEs and DELETEs the workflows send are read the same way (a row saved is
updated by its id and its practice: PracticeScoped)."""

from __future__ import annotations

import base64
from datetime import datetime
from zoneinfo import ZoneInfo

from confide.services.demo import data as demo_data
from confide.services.disclosures import releases
from tests.releases.helpers import release_data
from tests.shards import assert_every_statement_names_the_practice, sent


def _today():
    """The demo practice's today (a release's dates are the practice's days)."""
    return datetime.now(ZoneInfo(demo_data.PRACTICE["timezone"])).date()


def test_a_releases_life_names_the_practice_in_every_statement(staff, cid):
    clinician, client = staff["marsh"], staff["lvarga"]
    paper = base64.b64encode(b"%PDF-1.7\n% scanned paper with a signature\n%%EOF\n").decode()
    with sent() as statements:
        rid = releases.release_create(user=clinician, client_id=cid["c1"], kind="hipaa", data=release_data())
        releases.release_send(user=clinician, client_id=cid["c1"], release_id=rid)
        releases.release_list(user=client, client_id=cid["c1"])
        releases.release_get(user=client, client_id=cid["c1"], release_id=rid)
        releases.release_pdf(user=clinician, client_id=cid["c1"], release_id=rid)
        releases.release_sign(user=client, client_id=cid["c1"], release_id=rid, typed_name="Elena Varga-Trent")
        releases.release_document(user=client, client_id=cid["c1"], release_id=rid)
        releases.release_fhir(user=clinician, client_id=cid["c1"], release_id=rid)
        releases.release_disclose(user=clinician, client_id=cid["c1"], release_id=rid)
        releases.release_revoke(user=client, client_id=cid["c1"], release_id=rid, how="In the portal")

        ended = releases.release_create(user=clinician, client_id=cid["c1"], kind="hipaa", data=release_data(
            expires_on=None, expiry_event="When I finish treatment at Harbor Light"))
        releases.release_upload_signed(user=clinician, client_id=cid["c1"], release_id=ended, pdf_base64=paper,
                                       signer_name="Elena Varga-Trent", signer_role="client")
        releases.release_expire_event(user=clinician, client_id=cid["c1"], release_id=ended,
                                      occurred_on=_today().isoformat(), note="Discharged")
        assert releases.release_get(user=clinician, client_id=cid["c1"], release_id=ended)["status"] == "expired"
    assert_every_statement_names_the_practice(statements, at_least=20)
