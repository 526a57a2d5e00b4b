"""Every read of the disclosure core, the minors' workflows and the obligations names
the practice (Citus: a router query on the practice's shard): packets built and read
back, the ground rules and a parent's view, what the minor allows, and the
obligations listed, put on the dashboards and closed.

The UPDATEs and DELETEs the workflows send are read the same way (a row saved is
updated by its id and its practice: PracticeScoped)."""

from __future__ import annotations

from confide.services.accounts import login_of
from confide.services.disclosures import amendments as am
from confide.services.disclosures import minors, obligations
from confide.services.disclosures.packet import Basis, Recipient, disclosure_document, disclosure_packet_build
from tests.shards import assert_every_statement_names_the_practice, sent

ORDER = Basis(kind="court_order", citation="45 CFR 164.512(e)(1)(i)", description="Order of the court, case 26-2-0001",
              scope=frozenset({"billing", "diagnosis", "progress_notes"}), flags=frozenset({"signed_by_judge"}))
COURT = Recipient(name="Pierce County Superior Court", kind="court", address="930 Tacoma Ave S")
PAYER = Recipient(name="Cascadia Health Plan", kind="insurer")
REPORT = Basis(kind="payer_agreement", citation="45 CFR 164.506(c)(1)", description="Managed-care report",
               flags=frozenset({"managed_care_agreement"}))


def test_packets_and_their_obligations_name_the_practice_in_every_statement(staff, cid):
    marsh, client, officer, client_id = staff["marsh"], staff["lvarga"], staff["haddad"], cid["c1"]
    # the officer accepts a request to amend: a notice owed that they close below
    req = am.amendment_request_create(user=client, client_id=client_id, change="x", reason="y",
                                      notify=["Dr. Primary Care"])
    am.amendment_request_accept(user=officer, client_id=client_id, request_id=req["id"])
    with sent() as statements:
        out = disclosure_packet_build(user=marsh, client_id=client_id, recipient=COURT, purpose="HLEGAL",
                                      basis=ORDER, categories={"identity", "billing", "diagnosis", "progress_notes",
                                                               "psychotherapy_notes"})
        for fmt in ("json", "pdf", "fhir"):
            assert disclosure_document(user=marsh, client_id=client_id, disclosure_id=out["id"], fmt=fmt)
        report = disclosure_packet_build(user=marsh, client_id=client_id, recipient=PAYER, purpose="HOPERAT",
                                         basis=REPORT, categories={"identity", "diagnosis", "treatment_plan",
                                                                   "progress_summary", "attendance"})
        owed = [o["id"] for o in out["obligations"] + report["obligations"]]
        assert owed
        listed = obligations.obligation_list(user=marsh, client_id=client_id, include_closed=True)
        assert set(owed) <= {o["id"] for o in listed} and all(o["disclosure"] for o in listed if o["id"] in owed)
        obligations.obligation_list(user=client, client_id=client_id)
        assert set(owed) <= {o["id"] for o in obligations.obligations_open(user=marsh)}
        obligations.obligation_close(user=marsh, client_id=client_id, obligation_id=owed[0], status="met",
                                     detail="Told in session.")
        (notice,) = obligations.obligations_open(user=officer)
        obligations.obligation_close(user=officer, client_id=client_id, obligation_id=notice["id"], status="met",
                                     detail="Mailed the amendment.")
        assert obligations.obligations_summary(user=officer)["obligations"]
    assert_every_statement_names_the_practice(statements, at_least=50)


def test_ground_rules_a_parents_view_and_what_the_minor_allows_name_the_practice_in_every_statement(staff, cid,
                                                                                             make_minor):
    marsh = staff["marsh"]
    kid, parents = make_minor(15, "parent", parents=("mum", "dad"))
    june, mother = staff["jcastellanos"], staff["acastellanos"]
    with sent() as statements:
        minors.ground_rules_record(user=marsh, client_id=kid, shared_categories=["risk_assessment"],
                                   items=[{"label": "Risky behaviour", "category": "risk_assessment"}],
                                   notes="Agreed.", pr_blocked=[login_of(parents["dad"])],
                                   pr_blocked_reason="Reasonable belief of abuse by the father.")
        assert minors.guardian_view(user=parents["mum"], client_id=kid)["minor_to_be_told"] == 1
        assert [v["id"] for v in minors.guardian_views_mine(user=parents["mum"])] == [str(kid)]
        (told,) = obligations.obligation_list(user=marsh, client_id=kid)
        assert told["kind"] == "notify_minor" and told["disclosure"] is None
        # June consented alone: she decides what her mother sees
        assert minors.minor_parent_view_get(user=june, client_id=cid["c3"])["decides"]
        minors.minor_parent_view_set(user=june, client_id=cid["c3"], allows=["attendance", "progress_summary"])
        assert minors.guardian_view(user=mother, client_id=cid["c3"])["basis"] == "minor_permission"
    assert_every_statement_names_the_practice(statements, at_least=30)
