"""Consultation packets (DESIGN.md promise 12; issue 4): the clinician picks progress
notes, Confide disguises them, the clinician reviews the draft, and only the release
sends it, audited and in the client's accounting."""

from __future__ import annotations

import base64
import json

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.apps.records.models import (
    Client,
    ConsultationDraft,
    Disclosure,
    PsychotherapyNote,
)
from confide.core.errors import InvalidInput, NotFound, Refused
from confide.services import charting
from confide.services.disclosures.accounting import (
    NOT_REQUIRED,
    accounting_of_disclosures,
)
from confide.services.disclosures.consultation import (
    case_secret,
    chart_record_for_deid,
    consultation_draft,
    consultation_get,
    consultation_list,
    consultation_packet,
    consultation_release,
)
from confide.services.disclosures.packet import (
    Basis,
    Recipient,
    disclosure_document,
    disclosure_packet_build,
)
from confide.services.disclosures.render import packet_html
from confide.services.keys import client_data_key
from confide.services.sealing import unseal
from tests.consultation.helpers import (
    FATHER,
    LENA,
    NOTES,
    audit_text,
    chart_values,
    counts,
    leaks,
    make_notes,
)

CONSULTANT = {"name": "Dr. Priya Consult", "kind": "consultant"}


@pytest.fixture
def case(staff, cid):
    """marsh's case c1 with the two notes of helpers.NOTES."""
    return {"user": staff["marsh"], "client_id": cid["c1"], "note_ids": make_notes(staff["marsh"], cid["c1"])}


def _draft(case, **kw):
    return consultation_draft(user=case["user"], client_id=case["client_id"], note_ids=case["note_ids"], **kw)


def _release(case, draft, **kw):
    return consultation_release(user=case["user"], client_id=case["client_id"], draft_id=draft["id"],
                                recipient=CONSULTANT, reviewed=True, **kw)


def _everything_that_left(case, released) -> str:
    """The stored packet, the HTML the PDF is rendered from, the FHIR bundle with its
    attachments decoded, and the text version."""
    packet = disclosure_document(user=case["user"], client_id=case["client_id"],
                                 disclosure_id=released["disclosure"]["id"])
    bundle = disclosure_document(user=case["user"], client_id=case["client_id"],
                                 disclosure_id=released["disclosure"]["id"], fmt="fhir")
    attachments = [base64.b64decode(a["data"]).decode() for e in bundle["entry"]
                   for c in e["resource"].get("content", []) for a in [c["attachment"]]]
    packet_for_recipient = {k: v for k, v in packet.items() if k != "client_id"}
    return "\n".join([json.dumps(packet_for_recipient), packet_html(packet), json.dumps(bundle), *attachments,
                      released["text"]])


# --- the chart as the engine's record ---------------------------------------------------

def test_chart_record_maps_identity_contact_family_billing(staff, cid):
    client = Client.objects.get(id=cid["c1"])
    record = chart_record_for_deid(client_data_key(client.id), client)
    assert record["client"] == {
        "first_name": "Elena", "middle_name": "Marisol", "last_name": "Varga-Trent", "preferred_name": "Lena",
        "dob": "1992-06-18", "address": {"street": "3817 North Ferrell Lane", "city": "Tacoma", "state": "WA",
                                         "zip": "98407"},
        "phone": "253-555-0111", "email": "lena.varga-trent@example.com", "mrn": "HL-1000",
        "insurance_member_id": "CHP-448120937"}
    assert record["contacts"] == [{"relation": "father", "first_name": "Gabor", "middle_name": None,
                                   "last_name": "Varga-Trent", "phone": FATHER["phone"], "email": FATHER["email"]}]


def test_chart_record_marks_the_guardian(staff, cid):
    client = Client.objects.get(id=cid["c3"])
    contacts = chart_record_for_deid(client_data_key(client.id), client)["contacts"]
    assert {"relation": "mother (guardian)", "first_name": "Alma", "last_name": "Castellanos-Reid"}.items() <= \
        contacts[0].items()


# --- the packet holds none of the chart's identifiers ------------------------------------

@pytest.mark.parametrize("mode", ["surrogates", "redact"])
def test_packet_holds_none_of_the_charts_identifiers(case, mode):
    draft = _draft(case, mode=mode, keep_first_name=False)
    values = chart_values()
    for note in draft["notes"]:
        assert not leaks(note["text"], values), leaks(note["text"], values)
    released = _release(case, draft)
    assert not leaks(_everything_that_left(case, released), values)
    # the clinical content survives
    assert "GAD-7" in released["text"] and "sertraline" in released["text"]


def test_draft_stores_neither_the_notes_text_nor_replaced_values(case):
    draft = _draft(case, mode="surrogates", keep_first_name=False)
    row = ConsultationDraft.objects.get(id=draft["id"])
    body = unseal(client_data_key(case["client_id"]), ConsultationDraft, "body_enc", row.id, row.body_enc)
    stored = json.dumps(body)
    assert not leaks(stored, chart_values())
    for _, text in NOTES:
        assert text not in stored
    # each replacement: where it sits in the disguised text, and its type, nothing else
    spans = [s for n in body["notes"] for s in n["spans"]]
    assert spans and all(set(s) == {"start", "end", "type", "source"} for s in spans)
    assert {s["type"] for s in spans} >= {"NAME", "CONTACT", "ID", "LOCATION", "DATE"}
    # the audit log holds no identifier either
    assert not leaks(audit_text(), chart_values())


def test_keep_first_name_keeps_only_the_clients_first_name(case):
    draft = _draft(case, mode="surrogates", keep_first_name=True)
    text = "\n".join(n["text"] for n in draft["notes"])
    assert "Lena" in text or "Elena" in text
    assert not leaks(text, chart_values(keep_first_name=True)), leaks(text, chart_values(keep_first_name=True))
    # the father's first name is not kept
    assert "Gabor" not in text


def test_redact_mode_numbers_the_sessions_instead_of_dating_them(case):
    draft = _draft(case, mode="redact", keep_first_name=False)
    assert [n["label"] for n in draft["notes"]] == ["Session 1", "Session 2, 14 days after session 1"]
    assert draft["safe_harbor"] is True and draft["basis"] == "deidentified_consultation"
    text = "\n".join(n["text"] for n in draft["notes"])
    assert "[NAME]" in text and "2026-10" not in text


def test_the_same_person_gets_the_same_surrogate_across_drafts_of_a_case(case, staff, cid):
    first = _draft(case, mode="surrogates", keep_first_name=False)
    again = _draft(case, mode="surrogates", keep_first_name=False)
    assert [n["text"] for n in first["notes"]] == [n["text"] for n in again["notes"]]
    # a draft of the second note alone: the father's invented name is the one of the first draft
    alone = consultation_draft(user=case["user"], client_id=case["client_id"], note_ids=case["note_ids"][1:],
                               mode="surrogates", keep_first_name=False)

    def names(note):
        return [note["text"][s["start"]:s["end"]] for s in note["spans"] if s["type"] == "NAME"]
    assert names(alone["notes"][0]) == names(first["notes"][1])
    # another case has another secret
    assert case_secret(case["user"].practice_id, cid["c1"]) != case_secret(case["user"].practice_id, cid["c3"])
    assert case_secret(case["user"].practice_id, cid["c1"]) == case_secret(case["user"].practice_id, cid["c1"])


# --- nothing leaves before the release; the release is audited and accounted ------------

def test_nothing_leaves_before_the_release(case):
    before = Disclosure.objects.filter(client_id=case["client_id"]).count()
    draft = _draft(case)
    assert draft["status"] == "draft"
    assert Disclosure.objects.filter(client_id=case["client_id"]).count() == before
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.decision, event.detail["view"]) == ("read", "permit", "consultation_draft")
    with pytest.raises(NotFound):  # no packet to download yet
        consultation_packet(user=case["user"], client_id=case["client_id"], draft_id=draft["id"], fmt="pdf")


def test_release_is_audited_and_listed_in_the_accounting_as_deidentified(case):
    draft = _draft(case, mode="redact", keep_first_name=False)
    released = _release(case, draft)
    event = AuditEvent.objects.filter(action="disclose").order_by("-seq").first()
    assert event.decision == "permit" and event.rule_ids == ["US-HIPAA-DEIDENTIFIED-CONSULTATION"]
    assert event.detail["recipient"] == "consultant" and event.detail["basis"] == "deidentified_consultation"
    assert event.categories == ["progress_notes"]
    entry = next(e for e in accounting_of_disclosures(user=case["user"], client_id=case["client_id"])["entries"]
                 if e["id"] == released["disclosure"]["id"])
    assert entry["recipient"] == {"name": "Dr. Priya Consult", "address": None, "kind": "consultant"}
    assert entry["categories"] == ["progress_notes"]
    assert entry["basis"]["kind"] == "deidentified_consultation"
    assert entry["required"] is False and entry["not_required_reason"] == NOT_REQUIRED["deidentified"]
    assert "not protected health information" in entry["not_required_reason"]
    assert consultation_get(user=case["user"], client_id=case["client_id"], draft_id=draft["id"])["status"] == \
        "released"
    pdf = consultation_packet(user=case["user"], client_id=case["client_id"], draft_id=draft["id"], fmt="pdf")
    assert pdf.startswith(b"%PDF")


def test_a_disguised_packet_keeping_the_first_name_is_accounted_as_treatment_or_operations(case):
    """The seeds' "only first names" is not Safe Harbor: it stays PHI, disclosed for
    supervision (operations), which 164.528(a)(1)(i) leaves out of the accounting."""
    draft = _draft(case, mode="surrogates", keep_first_name=True)
    assert draft["safe_harbor"] is False and draft["basis"] == "disguised_consultation"
    released = _release(case, draft)
    entry = next(e for e in accounting_of_disclosures(user=case["user"], client_id=case["client_id"])["entries"]
                 if e["id"] == released["disclosure"]["id"])
    assert entry["basis"]["kind"] == "disguised_consultation"
    assert entry["required"] is False and entry["not_required_reason"] == NOT_REQUIRED["tpo"]
    assert released["disclosure"]["notices"] == ["disguised"]


def test_a_draft_is_released_once(case):
    draft = _draft(case)
    _release(case, draft)
    before = counts()
    with pytest.raises(InvalidInput, match="already released"):
        _release(case, draft)
    assert counts() == before


def test_a_part2_clients_notes_need_a_part2_consent(staff, cid):
    """Part 2 is stricter (RULES.md 2): its records leave only with a Part 2 consent or
    order, disguised or not."""
    okafor = staff["okafor"]
    notes = make_notes(okafor, cid["c4"], NOTES[1:])
    draft = consultation_draft(user=okafor, client_id=cid["c4"], note_ids=notes)
    with pytest.raises(Refused) as refused:
        consultation_release(user=okafor, client_id=cid["c4"], draft_id=draft["id"], recipient=CONSULTANT,
                             reviewed=True)
    assert "US-PART2-CONSENT-REQUIRED" in refused.value.rule_ids
    assert consultation_get(user=okafor, client_id=cid["c4"], draft_id=draft["id"])["status"] == "draft"


def test_a_supervisor_takes_a_supervisees_case_to_consultation(staff, cid):
    notes = make_notes(staff["lindqvist"], cid["c5"], NOTES[1:])
    with pytest.raises(InvalidInput, match="signed progress note"):  # awaiting the co-signature: unsigned
        consultation_draft(user=staff["okafor"], client_id=cid["c5"], note_ids=notes)
    for note_id in notes:
        charting.note_cosign(user=staff["okafor"], note_id=note_id)
    draft = consultation_draft(user=staff["okafor"], client_id=cid["c5"], note_ids=notes, mode="redact",
                               keep_first_name=False)
    released = consultation_release(user=staff["okafor"], client_id=cid["c5"], draft_id=draft["id"],
                                    recipient=CONSULTANT, reviewed=True)
    assert released["basis"] == "deidentified_consultation"


# --- who may ------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["okafor", "lindqvist", "pellham", "fontaine", "haddad", "lvarga"])
def test_anyone_without_the_case_gets_not_found(case, staff, username):
    """An unrelated clinician (or anyone else) gets NotFound for the notes, for the
    treating clinician's draft, and for its release, exactly as for no client."""
    draft = _draft(case)
    user = staff[username]
    with pytest.raises(NotFound):
        consultation_draft(user=user, client_id=case["client_id"], note_ids=case["note_ids"])
    with pytest.raises(NotFound):
        consultation_get(user=user, client_id=case["client_id"], draft_id=draft["id"])
    with pytest.raises(NotFound):
        consultation_release(user=user, client_id=case["client_id"], draft_id=draft["id"], recipient=CONSULTANT,
                             reviewed=True)
    with pytest.raises(NotFound):
        consultation_list(user=user, client_id=case["client_id"])
    assert ConsultationDraft.objects.get(id=draft["id"]).status == "draft"


def test_another_practice_gets_not_found(case, other_practice):
    with pytest.raises(NotFound):
        consultation_draft(user=other_practice["clinician"], client_id=case["client_id"], note_ids=case["note_ids"])


def test_a_draft_is_its_authors_until_released(case, staff, cid):
    """okafor supervises lindqvist's client c5: a draft lindqvist made is hers alone."""
    notes = make_notes(staff["lindqvist"], cid["c5"], NOTES[1:])
    with pytest.raises(InvalidInput, match="signed progress note"):  # awaiting the co-signature: unsigned
        consultation_draft(user=staff["okafor"], client_id=cid["c5"], note_ids=notes)
    for note_id in notes:
        charting.note_cosign(user=staff["okafor"], note_id=note_id)
    draft = consultation_draft(user=staff["lindqvist"], client_id=cid["c5"], note_ids=notes)
    with pytest.raises(NotFound):
        consultation_get(user=staff["okafor"], client_id=cid["c5"], draft_id=draft["id"])
    assert consultation_list(user=staff["okafor"], client_id=cid["c5"]) == []


# --- psychotherapy notes, bad input -----------------------------------------------------------

def test_psychotherapy_notes_are_never_included(case):
    pn = charting.psychotherapy_note_create(user=case["user"], client_id=case["client_id"], session_date="2026-10-06",
                                           text="My impressions only.")
    assert PsychotherapyNote.objects.filter(id=pn).exists()
    before = counts()
    with pytest.raises(InvalidInput, match="psychotherapy notes are never included"):
        consultation_draft(user=case["user"], client_id=case["client_id"], note_ids=[str(pn)])
    assert counts() == before


CANARY = "Canary-Zq7xK"


@pytest.mark.parametrize("kwargs,message", [
    ({"note_ids": []}, "note_ids"),
    ({"note_ids": [CANARY]}, "note_ids"),
    ({"note_ids": "not a list"}, "note_ids"),
    ({"note_ids": [f"00000000-0000-0000-0000-{n:012d}" for n in range(21)]}, "note_ids"),
    ({"note_ids": ["00000000-0000-0000-0000-000000000001"] * 2}, "note_ids"),
    ({"mode": CANARY}, "mode"),
    ({"keep_first_name": "yes"}, "keep_first_name"),
    ({"purpose": "HPAYMT"}, "purpose"),
    ({"note_ids": ["00000000-0000-0000-0000-000000000001"]}, "note_ids"),  # no such note of this client
])
def test_bad_draft_input_is_one_line_and_writes_nothing(case, kwargs, message):
    args = {"note_ids": case["note_ids"], **kwargs}
    before = counts()
    with pytest.raises(InvalidInput) as err:
        consultation_draft(user=case["user"], client_id=case["client_id"], **args)
    text = str(err.value)
    assert text.startswith(message) and "\n" not in text and CANARY not in text
    assert counts() == before


def test_another_clients_note_is_not_a_note_of_this_case(case, staff, cid):
    other = make_notes(staff["marsh"], cid["c6"], NOTES[1:])
    before = counts()
    with pytest.raises(InvalidInput, match="note_ids"):
        consultation_draft(user=case["user"], client_id=case["client_id"], note_ids=other)
    assert counts() == before


@pytest.mark.parametrize("kwargs,message", [
    ({"reviewed": False}, "reviewed"),
    ({"recipient": {"name": CANARY, "kind": "family"}}, "recipient"),
    ({"recipient": {"name": "   ", "kind": "consultant"}}, "recipient"),
    ({"recipient": "Dr. Consult"}, "recipient"),
])
def test_bad_release_input_is_one_line_and_writes_nothing(case, kwargs, message):
    draft = _draft(case)
    args = {"recipient": CONSULTANT, "reviewed": True, **kwargs}
    before = counts()
    with pytest.raises(InvalidInput) as err:
        consultation_release(user=case["user"], client_id=case["client_id"], draft_id=draft["id"], **args)
    text = str(err.value)
    assert text.startswith(message) and "\n" not in text and CANARY not in text
    assert counts() == before


# --- the deidentify obligation fails closed ------------------------------------------------

def test_a_deidentify_basis_never_sends_the_chart(case):
    """Under a rule that obliges de-identification, disclosure_packet_build sends only
    disguised content it is given, never sections read from the chart."""
    basis = Basis(kind="disguised_consultation", citation="45 CFR 164.506(c)", description="x")
    before = counts()
    with pytest.raises(InvalidInput, match="disguised text"):
        disclosure_packet_build(user=case["user"], client_id=case["client_id"],
                                recipient=Recipient(name="Dr. C", kind="consultant"), purpose="HOPERAT",
                                basis=basis, categories={"progress_notes", "identity"})
    assert counts() == before
    with pytest.raises(InvalidInput, match="does not disclose disguised text"):
        disclosure_packet_build(user=case["user"], client_id=case["client_id"],
                                recipient=Recipient(name=LENA["legal_name"], kind="client"), purpose="PATRQT",
                                basis=Basis(kind="client_request", citation="45 CFR 164.524", description="copy"),
                                categories={"progress_notes"}, deidentified={"progress_notes": [{"text": "x"}]})
    assert counts() == before


def test_only_progress_notes_leave_even_if_more_is_asked(case):
    summary = disclosure_packet_build(
        user=case["user"], client_id=case["client_id"], recipient=Recipient(name="Dr. C", kind="consultant"),
        purpose="HOPERAT", basis=Basis(kind="deidentified_consultation", citation="45 CFR 164.514", description="x"),
        categories={"progress_notes", "identity", "psychotherapy_notes"},
        deidentified={"progress_notes": [{"label": "Session 1", "text": "[NAME] slept better."}],
                      "identity": {"legal_name": LENA["legal_name"]}})
    assert summary["categories"] == ["progress_notes"]
    packet = disclosure_document(user=case["user"], client_id=case["client_id"], disclosure_id=summary["id"])
    assert LENA["legal_name"] not in json.dumps(packet)
