"""Packets as they leave: FHIR R4B resources with DS4P labels (RULES.md 7.3) and a
plain-language PDF with the notices first (RULES.md 2.2)."""

from __future__ import annotations

import base64
import json
import uuid

from confide.apps.records.models import PsychotherapyNote
from confide.services.disclosures.packet import (
    PART2_NOTICE_LONG,
    Basis,
    Recipient,
    disclosure_document,
    disclosure_packet_build,
)
from confide.services.disclosures.render import (
    bundle_categories,
    packet_fhir_bundle,
    packet_html,
)

CONF = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"


def _codes(meta_or_labels) -> list[str]:
    labels = meta_or_labels["security"] if isinstance(meta_or_labels, dict) else meta_or_labels
    return [c["code"] for c in labels]


def _confidentiality(resource) -> list[str]:
    return [c["code"] for c in resource["meta"]["security"] if c["system"] == CONF]


def _resources(bundle, rtype=None):
    return [e["resource"] for e in bundle["entry"] if rtype is None or e["resource"]["resourceType"] == rtype]


def _made(staff, cid, key, user, **kw):
    out = disclosure_packet_build(user=staff[user], client_id=cid[key], **kw)
    doc = {fmt: disclosure_document(user=staff[user], client_id=cid[key], disclosure_id=out["id"], fmt=fmt)
           for fmt in ("json", "fhir", "pdf")}
    return out, doc["json"], doc["fhir"], doc["pdf"]


def test_part2_packet_carries_the_notice_first_and_its_labels_everywhere(staff, cid):
    basis = Basis(kind="part2_consent", citation="42 CFR 2.31", description="Consent signed at intake",
                  scope=frozenset({"identity", "diagnosis", "medications"}),
                  consent_summary="Russ consented to share his diagnosis and medications with Tideline Recovery.")
    out, packet, bundle, pdf = _made(
        staff, cid, "c4", "okafor", recipient=Recipient(name="Tideline Recovery Medicine", kind="provider"),
        purpose="TREAT", basis=basis, categories={"identity", "diagnosis", "medications", "progress_notes"})
    assert out["categories"] == ["diagnosis", "identity", "medications"]
    assert [n["kind"] for n in packet["notices"]] == ["42 CFR 2.32", "consent"] and packet["no_redisclosure"]
    assert pdf.startswith(b"%PDF")
    bundle_codes = _codes(bundle["meta"])
    assert {"42CFRPart2", "SUD", "NORDSCLCD", "PSY", "TREAT"} <= set(bundle_codes)
    assert _confidentiality(bundle) == ["R"]
    for resource in _resources(bundle):
        assert len(_confidentiality(resource)) == 1
        if resource["resourceType"] not in ("Organization",):
            assert {"42CFRPart2", "SUD", "NORDSCLCD"} <= set(_codes(resource["meta"])), resource["resourceType"]
            assert _confidentiality(resource) == ["R"]
    assert {r["resourceType"] for r in _resources(bundle)} == {
        "Organization", "Patient", "Condition", "MedicationStatement", "Provenance"}
    page = packet_html(packet)
    # the 2.32 notice, prominent, before anything else about the packet
    assert page.index("Notice required by federal law (42 CFR 2.32)") < page.index("<th>From</th>")
    assert PART2_NOTICE_LONG.split(",")[0] in page and "Tideline Recovery" in page


def test_psychotherapy_notes_are_a_labelled_document_reference(staff, cid):
    basis = Basis(kind="pn_release", citation="45 CFR 164.508(a)(2)", description="Authorization naming the notes",
                  scope=frozenset({"psychotherapy_notes"}))
    out, packet, bundle, _pdf = _made(
        staff, cid, "c1", "marsh", recipient=Recipient(name="Dr. Ines Caldera", kind="provider"),
        purpose="TREAT", basis=basis, categories={"psychotherapy_notes"})
    assert out["categories"] == ["psychotherapy_notes"]
    docs = _resources(bundle, "DocumentReference")
    note = PsychotherapyNote.objects.get(client_id=cid["c1"], author=staff["marsh"])
    assert len(docs) == 1
    doc = docs[0]
    assert _codes(doc["meta"]) == ["V", "HIPAAPsyNotes", "PSYTHPN", "NORDSCLCD"]
    assert [c["code"] for label in doc["securityLabel"] for c in label["coding"]] == _codes(doc["meta"])
    assert doc["author"] == [{"display": staff["marsh"].full_name}]
    text = base64.b64decode(doc["content"][0]["attachment"]["data"]).decode()
    assert text.startswith("She apologized twice")
    assert _confidentiality(bundle) == ["V"] and "NORDSCLCD" in _codes(bundle["meta"])
    assert str(note.id) not in json.dumps(bundle)  # no internal record id leaves
    assert "Do not redisclose" in packet_html(packet)


def test_court_order_packet_holds_only_what_it_names_and_is_reproducible(staff, cid):
    basis = Basis(kind="court_order", citation="45 CFR 164.512(e)(1)(i)", description="Order in case 26-2-0001",
                  scope=frozenset({"billing", "diagnosis"}), flags=frozenset({"signed_by_judge"}))
    _out, packet, bundle, _pdf = _made(
        staff, cid, "c1", "marsh", recipient=Recipient(name="Pierce County Superior Court", kind="court"),
        purpose="HLEGAL", basis=basis, categories={"billing", "diagnosis", "progress_notes", "identity"})
    assert packet_fhir_bundle(packet) == bundle  # a pure function of the stored packet
    kinds = {r["resourceType"]: r for r in _resources(bundle)}
    assert set(kinds) == {"Organization", "Coverage", "Basic", "Condition", "Provenance"}
    assert "Patient" not in kinds  # identity was not named: the subject is a bare reference
    assert kinds["Condition"]["subject"]["reference"].startswith("urn:uuid:")
    assert kinds["Condition"]["code"]["coding"][0] == {"system": "http://hl7.org/fhir/sid/icd-10-cm",
                                                       "code": "F41.1", "display": "Generalized anxiety disorder"}
    assert _codes(kinds["Condition"]["meta"]) == ["R", "PSY"]
    assert _codes(kinds["Coverage"]["meta"]) == ["N"] and kinds["Coverage"]["subscriberId"] == "CHP-448120937"
    assert bundle_categories(kinds["Coverage"]) == {"billing"}
    assert "NORDSCLCD" not in _codes(bundle["meta"]) and _codes(bundle["meta"])[-1] == "HLEGAL"
    provenance = kinds["Provenance"]
    assert provenance["policy"] == ["urn:confide:rule:US-HIPAA-COURT-ORDER"]
    assert provenance["reason"][0]["coding"][0]["code"] == "HLEGAL"
    assert len(provenance["target"]) == len(bundle["entry"]) - 2


def _synthetic(sections: dict, **extra) -> dict:
    return {"id": str(uuid.uuid4()), "made_at": "2026-11-21T10:00:00+00:00", "practice": "Harbor Light Counseling",
            "made_by": {"name": "Dana Pellham-Oyelaran", "licence": ""}, "client_id": str(uuid.uuid4()),
            "recipient": {"name": "Cascadia Health Plan", "kind": "insurer", "address": ""}, "purpose": "HPAYMT",
            "basis": {"kind": "payer_claim", "citation": "45 CFR 164.506(c)(1)", "description": "Claim", "ref": ""},
            "categories": sorted(sections), "sections": sections, "notices": [], "no_redisclosure": False,
            "rule_ids": ["US-HIPAA-PAYMENT-CLAIM"], "decision_id": "x", **extra}


BILLING = {"payer": "Cascadia Health Plan", "member_id": "CHP-1", "group": "G-1", "dates_of_service": ["2026-10-01"],
           "services": [{"date_of_service": "2026-10-01", "cpt": "90834", "fee": "140.00", "units": 1,
                         "provider": "Theo Marsh-Calloway"},
                        {"date_of_service": "2026-10-08", "cpt": "90834", "fee": "140.00", "units": 1,
                         "provider": "Theo Marsh-Calloway"}]}


def test_a_claim_references_diagnoses_only_when_they_were_disclosed():
    with_dx = packet_fhir_bundle(_synthetic({"billing": BILLING, "diagnosis": [
        {"id": "x", "code": "F41.1", "description": "Generalized anxiety disorder", "since": "2026-10-01"}]}))
    claim = _resources(with_dx, "Claim")[0]
    condition_urls = [e["fullUrl"] for e in with_dx["entry"] if e["resource"]["resourceType"] == "Condition"]
    assert [d["diagnosisReference"]["reference"] for d in claim["diagnosis"]] == condition_urls
    assert [i["productOrService"]["coding"][0]["code"] for i in claim["item"]] == ["90834", "90834"]
    assert claim["total"] == {"value": 280.0, "currency": "USD"}
    assert claim["insurance"][0]["coverage"]["reference"] == _entry_url(with_dx, "Coverage")
    without = packet_fhir_bundle(_synthetic({"billing": BILLING}))
    assert "diagnosis" not in _resources(without, "Claim")[0]
    assert not _resources(without, "Condition")
    assert "F41.1" not in json.dumps(without)


def _entry_url(bundle, rtype):
    return next(e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == rtype)


def test_appointments_say_attendance_only_when_it_was_disclosed():
    appt = {"id": "a", "starts_at": "2026-10-01T17:00:00+00:00", "minutes": 50, "clinician": "Theo", "room": "2"}
    booked = _resources(packet_fhir_bundle(_synthetic({"appointments": [appt]})), "Appointment")[0]
    assert booked["status"] == "booked" and bundle_categories(booked) == {"appointments"}
    kept = _resources(packet_fhir_bundle(_synthetic({"appointments": [{**appt, "status": "no_show"}]})),
                      "Appointment")[0]
    assert kept["status"] == "noshow" and bundle_categories(kept) == {"appointments", "attendance"}
    assert booked["end"] == "2026-10-01T17:50:00Z" or booked["end"].startswith("2026-10-01T17:50:00")


def test_pdf_html_is_plain_escaped_and_footed_with_the_disclosure_id():
    packet = _synthetic({"identity": {"legal_name": "<script>alert(1)</script>", "dob": "1990-01-02"},
                         "billing": BILLING, "progress_notes": [
                             {"id": "internal-row-id", "session_date": "2026-10-01", "author": "Theo",
                              "format": "SOAP", "text": "S: line one\nO: line two"}]},
                        recipient={"name": "A & B <Plan>", "kind": "insurer", "address": "PO Box 1"})
    page = packet_html(packet)
    assert "<script>" not in page and "&lt;script&gt;" in page and "A &amp; B &lt;Plan&gt;" in page
    assert f'content: "Disclosure {packet["id"]}"' in page  # the page footer
    assert "internal-row-id" not in page
    # plain titles, in reading order: who the client is before notes before billing
    assert page.index("Who the client is") < page.index("Progress notes") < page.index("<h2>Billing and insurance")
    assert "For payment of care" in page and "A claim to the client&#x27;s health plan" in page
    assert "<p>S: line one</p><p>O: line two</p>" in page


def test_attendance_alone_is_one_encounter_per_session():
    sessions = [{"date": "2026-10-01", "status": "attended"}, {"date": "2026-10-08", "status": "no_show"}]
    alone = packet_fhir_bundle(_synthetic({"attendance": sessions}))
    encounters = _resources(alone, "Encounter")
    assert [(e["status"], e["period"]["start"]) for e in encounters] == [("finished", "2026-10-01"),
                                                                         ("cancelled", "2026-10-08")]
    assert encounters[1]["reasonCode"] == [{"text": "did not attend"}]
    appt = {"id": "a", "starts_at": "2026-10-01T17:00:00+00:00", "minutes": 50, "status": "attended"}
    both = packet_fhir_bundle(_synthetic({"attendance": sessions, "appointments": [appt]}))
    assert not _resources(both, "Encounter") and _resources(both, "Appointment")[0]["status"] == "fulfilled"


def test_attendance_is_listed_when_it_leaves(staff, cid):
    basis = Basis(kind="client_request", citation="45 CFR 164.524", description="Copy")
    out, packet, _bundle, _pdf = _made(staff, cid, "c1", "marsh", recipient=Recipient(name="Lena", kind="client"),
                                       purpose="PATRQT", basis=basis, categories={"appointments", "attendance"})
    assert out["categories"] == ["appointments", "attendance"]
    assert {s["status"] for s in packet["sections"]["attendance"]} == {"attended", "cancelled"}
