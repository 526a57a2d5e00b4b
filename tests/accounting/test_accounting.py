"""The accounting of disclosures (45 CFR 164.528; RULES.md 1.12 and 9 S15)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import Disclosure, Release
from confide.core.errors import InvalidInput, NotFound
from confide.services.disclosures.accounting import (
    NOT_REQUIRED,
    accounting_html,
    accounting_of_disclosures,
    accounting_pdf,
)
from confide.services.disclosures.packet import Basis, Recipient, disclosure_packet_build
from confide.services.keys import client_data_key
from confide.services.sealing import seal

COURT = Recipient(name="Pierce County Superior Court", kind="court", address="930 Tacoma Ave S, Tacoma, WA 98402")
ORDER = Basis(kind="court_order", citation="45 CFR 164.512(e)(1)(i)", description="Order in case 26-2-0001",
              scope=frozenset({"billing", "diagnosis"}), flags=frozenset({"signed_by_judge"}))
AGENCY = Recipient(name="WA DCYF intake", kind="agency")
REPORT = Basis(kind="child_abuse_report", citation="45 CFR 164.512(b)(1)(ii); RCW 26.44.030",
               description="Report of suspected neglect of a child", flags=frozenset({"reportable"}))
PHYSICIAN = Recipient(name="Dr. Ines Caldera", kind="provider", address="12 Yakima Ave, Tacoma")


def _release(staff, client_id, *, revoked=False) -> uuid.UUID:
    """A signed release row (the releases workflow makes these; here only its id and
    state matter to the accounting)."""
    rid = uuid.uuid4()
    dek = client_data_key(client_id)
    now = datetime.now(timezone.utc)
    Release.objects.create(id=rid, practice_id=staff["marsh"].practice_id, client_id=client_id,
                           created_by=staff["marsh"], signed_at=now,
                           body_enc=seal(dek, Release, "body_enc", rid, {"kind": "release",
                                                                          "categories": ["diagnosis"]}))
    return rid


def _by_basis(report) -> dict[str, dict]:
    return {e["basis"]["kind"]: e for e in report["entries"]}


def test_s15_every_disclosure_listed_512_required_and_the_rest_marked(staff, cid):
    marsh = staff["marsh"]
    disclosure_packet_build(user=marsh, client_id=cid["c1"], recipient=COURT, purpose="HLEGAL", basis=ORDER,
                            categories={"billing", "diagnosis", "progress_notes"})
    disclosure_packet_build(user=marsh, client_id=cid["c1"], recipient=AGENCY, purpose="PUBHLTH", basis=REPORT,
                            categories={"identity", "contact", "incident"},
                            incident={"summary": "Client described a child left alone for days"})
    release_id = _release(staff, cid["c1"])
    disclosure_packet_build(user=marsh, client_id=cid["c1"], recipient=PHYSICIAN, purpose="COC",
                            basis=Basis(kind="release", citation="45 CFR 164.508", description="Authorization of "
                                        "2026-11-02", scope=frozenset({"diagnosis", "medications"}),
                                        release_id=release_id),
                            categories={"diagnosis", "medications"})
    report = accounting_of_disclosures(user=marsh, client_id=cid["c1"])
    entries = _by_basis(report)
    # everything, including what the demo made: the claim and the client's own copy
    assert set(entries) == {"court_order", "child_abuse_report", "release", "payer_claim", "client_request"}
    assert len(report["entries"]) == Disclosure.objects.filter(client_id=cid["c1"]).count()
    # 164.512 disclosures are required, and have every (b)(2) element
    for kind in ("court_order", "child_abuse_report"):
        entry = entries[kind]
        assert entry["required"] is True and entry["not_required_reason"] is None
        assert entry["date"] and entry["recipient"]["name"] and entry["description"] and entry["purpose"]
    court = entries["court_order"]
    assert court["recipient"] == {"name": COURT.name, "address": COURT.address, "kind": "court"}
    assert court["description"] == "diagnoses; billing and insurance details"
    assert court["purpose"].startswith("For a legal proceeding, on a court order signed by a judge")
    assert "Order in case 26-2-0001" in court["purpose"] and "164.512(e)(1)(i)" in court["purpose"]
    assert entries["child_abuse_report"]["recipient"]["address"] is None  # "if known"
    # the rest is listed, marked with the 164.528(a)(1) reason
    assert entries["release"]["required"] is False
    assert entries["release"]["not_required_reason"] == NOT_REQUIRED["authorization"]
    assert entries["payer_claim"]["not_required_reason"] == NOT_REQUIRED["tpo"]
    assert entries["client_request"]["not_required_reason"] == NOT_REQUIRED["client"]
    assert report["required_count"] == 2
    # oldest first, dates within the period
    dates = [e["date"] for e in report["entries"]]
    assert dates == sorted(dates)
    # the period ends on the practice's today (its local date, not UTC's)
    from confide.services.practice_time import local_today

    assert report["period"]["end"] == local_today(staff["marsh"].practice).isoformat()


def test_older_than_six_years_is_left_out_and_a_shorter_period_may_be_asked(staff, cid):
    marsh = staff["marsh"]
    ids = []
    for _ in range(3):
        ids.append(disclosure_packet_build(user=marsh, client_id=cid["c6"], recipient=COURT, purpose="HLEGAL",
                                           basis=ORDER, categories={"diagnosis"})["id"])
    now = datetime.now(timezone.utc)
    Disclosure.objects.filter(id=ids[0]).update(made_at=now.replace(year=now.year - 6) - timedelta(days=1))
    Disclosure.objects.filter(id=ids[1]).update(made_at=now.replace(year=now.year - 6) + timedelta(days=1))
    listed = [e["id"] for e in accounting_of_disclosures(user=marsh, client_id=cid["c6"], now=now)["entries"]]
    assert listed == [ids[1], ids[2]]
    # the client may ask for a shorter period (164.528(a)(3))
    recent = accounting_of_disclosures(user=marsh, client_id=cid["c6"], years=1, now=now)
    assert [e["id"] for e in recent["entries"]] == [ids[2]]
    # the six years are counted back from the request: asked 400 days ago, the oldest was
    # in it and the newest (after the request) was not
    earlier = accounting_of_disclosures(user=marsh, client_id=cid["c6"], now=now - timedelta(days=400))
    assert [e["id"] for e in earlier["entries"]] == [ids[0], ids[1]]


def test_revoking_a_release_leaves_the_earlier_disclosure_in_the_accounting(staff, cid):
    marsh = staff["marsh"]
    release_id = _release(staff, cid["c6"])
    basis = Basis(kind="release", citation="45 CFR 164.508", description="Authorization to Dr. Caldera",
                  scope=frozenset({"diagnosis"}), release_id=release_id)
    made = disclosure_packet_build(user=marsh, client_id=cid["c6"], recipient=PHYSICIAN, purpose="COC", basis=basis,
                                   categories={"diagnosis"})
    Release.objects.filter(id=release_id).update(revoked_at=datetime.now(timezone.utc))
    entries = accounting_of_disclosures(user=marsh, client_id=cid["c6"])["entries"]
    entry = next(e for e in entries if e["id"] == made["id"])
    assert entry["recipient"]["name"] == PHYSICIAN.name and entry["description"] == "diagnoses"
    assert entry["not_required_reason"] == NOT_REQUIRED["authorization"]
    assert Disclosure.objects.get(id=made["id"]).release_id == release_id


@pytest.mark.parametrize("username", ["okafor", "pellham", "fontaine", "haddad", "lindqvist", "awhitford",
                                      "acastellanos"])
def test_anyone_without_a_relationship_gets_not_found_as_for_no_client(staff, cid, username):
    user = staff[username]
    for client_id in (cid["c1"], uuid.uuid4(), "not-a-uuid"):
        before = AuditEvent.objects.count()
        with pytest.raises(NotFound):
            accounting_of_disclosures(user=user, client_id=client_id)
        last = AuditEvent.objects.order_by("-seq").first()
        assert AuditEvent.objects.count() == before + 1 and last.decision == "deny"


def test_other_practice_gets_not_found(staff, cid, other_practice):
    with pytest.raises(NotFound):
        accounting_of_disclosures(user=other_practice["clinician"], client_id=cid["c1"])


def test_the_client_sees_their_own_accounting(staff, cid):
    mine = accounting_of_disclosures(user=staff["lvarga"], client_id=cid["c1"])
    theirs = accounting_of_disclosures(user=staff["marsh"], client_id=cid["c1"])
    assert mine["entries"] == theirs["entries"] and len(mine["entries"]) == 2
    assert mine["practice"] == "Harbor Light Counseling"
    event = AuditEvent.objects.order_by("-seq").first()  # marsh's; the client's is the one before
    client_event = AuditEvent.objects.filter(actor=str(staff["lvarga"].pk)).order_by("-seq").first()
    assert client_event.purpose == "PATRQT" and client_event.decision == "permit"
    assert "US-HIPAA-ACCESS-SELF" in client_event.rule_ids
    assert event.seq > client_event.seq
    # a client asking for another client's accounting: as for no client
    with pytest.raises(NotFound):
        accounting_of_disclosures(user=staff["lvarga"], client_id=cid["c6"])


def test_the_accounting_request_is_audited_without_client_data(staff, cid):
    accounting_of_disclosures(user=staff["marsh"], client_id=cid["c1"], years=3)
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == "read" and event.decision == "permit"
    assert event.categories == ["disclosures"]
    assert event.detail == {"view": "accounting", "years": 3, "format": "json"}
    assert "Varga" not in str(event.detail) and "Cascadia" not in event.client_ref


@pytest.mark.parametrize("years", [0, 7, -1, "6", 2.5, True, None])
def test_bad_years_is_refused_before_the_door(staff, cid, years):
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidInput):
        accounting_of_disclosures(user=staff["marsh"], client_id=cid["c1"], years=years)
    assert AuditEvent.objects.count() == before


def test_naive_now_is_refused(staff, cid):
    with pytest.raises(InvalidInput):
        accounting_of_disclosures(user=staff["marsh"], client_id=cid["c1"], now=datetime(2026, 1, 1))


def test_pdf_is_a_pdf_and_says_it_plainly(staff, cid):
    pdf = accounting_pdf(user=staff["lvarga"], client_id=cid["c1"])
    assert pdf.startswith(b"%PDF")
    assert AuditEvent.objects.order_by("-seq").first().detail["format"] == "pdf"
    page = accounting_html(accounting_of_disclosures(user=staff["lvarga"], client_id=cid["c1"]))
    assert "Your accounting of disclosures" in page and "Harbor Light Counseling" in page
    assert "45 CFR 164.528" in page and "Cascadia Health Plan" in page
    assert page.count("No: ") == 2  # both demo disclosures are marked as not required


def test_empty_accounting_says_so(staff, cid):
    page = accounting_html(accounting_of_disclosures(user=staff["marsh"], client_id=cid["c3"]))
    assert "No information from your record was shared" in page
