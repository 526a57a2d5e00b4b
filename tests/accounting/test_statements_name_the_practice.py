"""Citus readiness: the accounting of disclosures, a formal request for it, the client's
request for their record, a denial of part of it and the disclosure screens' heading
read every tenant table by the practice (on a distributed database, a router query on
the practice's shard). Each workflow runs through the services as the people who do it.

The UPDATEs and DELETEs the workflows send are read the same way (a row saved is
updated by its id and its practice: PracticeScoped)."""

from __future__ import annotations

from confide.services import charting
from confide.services.disclosures import access_denials as ad
from confide.services.disclosures import accounting
from confide.services.disclosures import accounting_requests as ar
from confide.services.disclosures import overview
from confide.services.disclosures import record_requests as rr
from tests.shards import assert_every_statement_names_the_practice, sent


def test_the_accounting_and_a_formal_request_for_it_name_the_practice_in_every_statement(staff, cid):
    client, clinician, officer = staff["lvarga"], staff["marsh"], staff["haddad"]
    with sent() as statements:
        accounting.accounting_of_disclosures(user=clinician, client_id=cid["c1"])
        accounting.accounting_of_disclosures(user=client, client_id=cid["c1"])
        filed = ar.accounting_request_create(user=client, client_id=cid["c1"])
        ar.accounting_request_list(user=client, client_id=cid["c1"])
        ar.accounting_requests_open(user=officer)
        ar.accounting_request_extend(user=officer, client_id=cid["c1"], request_id=filed["id"],
                                     reason="Gathering the disclosures of the last six years.")
        ar.accounting_request_prepare(user=officer, client_id=cid["c1"], request_id=filed["id"])
        ar.accounting_request_review(user=officer, client_id=cid["c1"], request_id=filed["id"])
        ar.accounting_document(user=officer, client_id=cid["c1"], request_id=filed["id"])
        ar.accounting_request_send(user=officer, client_id=cid["c1"], request_id=filed["id"])
        ar.accounting_request_review(user=clinician, client_id=cid["c1"], request_id=filed["id"])
        assert ar.accounting_document(user=client, client_id=cid["c1"], request_id=filed["id"]).startswith(b"%PDF")
    assert_every_statement_names_the_practice(statements, at_least=15)


def test_the_clients_record_request_and_a_reviewed_denial_name_the_practice_in_every_statement(staff, cid):
    client, clinician, reviewer, officer = staff["lvarga"], staff["marsh"], staff["okafor"], staff["haddad"]
    charting.record_add(user=clinician, client_id=cid["c1"], kind="risk_assessment",
                        data={"level": "high", "summary": "Formulation Kestrel"})
    charting.care_team_assign(user=clinician, client_id=cid["c1"], staff_id=reviewer.pk)
    with sent() as statements:
        overview.client_heading(user=clinician, client_id=cid["c1"], view="record_requests")
        filed = rr.record_request_create(user=client, client_id=cid["c1"])
        rr.record_request_list(user=client, client_id=cid["c1"])
        rr.record_request_extend(user=clinician, client_id=cid["c1"], request_id=filed["id"],
                                 reason="Scanning the paper intake forms.")
        rr.record_requests_open(user=clinician)
        rr.record_requests_clock(user=officer)
        ad.access_denial_record(user=clinician, client_id=cid["c1"], request_id=filed["id"], ground="endangers_life",
                                categories=["risk_assessment"], reason="Reading it now would likely provoke harm.")
        rr.record_request_fulfil(user=clinician, client_id=cid["c1"], request_id=filed["id"])
        assert ad.access_denial_of(user=client, client_id=cid["c1"], request_id=filed["id"])["letter"]
        reviewed = ad.access_denial_review(user=reviewer, client_id=cid["c1"], request_id=filed["id"],
                                           outcome="overturned", reason="The risk is managed; she may read it.")
        assert reviewed["disclosure"]["categories"] == ["risk_assessment"]
    assert_every_statement_names_the_practice(statements, at_least=15)
