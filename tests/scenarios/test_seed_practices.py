"""One scenario for each practice the five public seed articles describe, run end
to end on the demo practice through the real services. Each test's docstring quotes
the seed sentence it implements and names the seed file:

- 000_6f1feaf258e49d28.txt: ICHARS, "What is Confidentiality in Therapy? - With Exceptions"
- 001_b364eac00fddab89.txt: Inner Heart Therapy, "What is Confidentiality in Therapy"
- 002_836d26dc9589c4b4.txt: Bayview Recovery Center (Tacoma), "Client Confidentiality"
- 003_21b4ff74c6dbb625.txt: "Client Confidentiality" (a therapist directory's glossary)
- 004_2580926197bc4372.txt: "Confidentiality in Therapy" (a psychotherapist's practice page)
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta, timezone

import pytest

from confide.apps.practice.models import User
from confide.apps.records.models import Disclosure, Message, Obligation
from confide.core.errors import InvalidInput, NotFound, Refused
from confide.services import charting, directory, intake, messages, scheduling
from confide.services.disclosures import (
    accounting,
    insurers,
    legal,
    mandated_reports,
    minors,
    obligations,
    releases,
    safety,
)
from confide.services.disclosures.packet import disclosure_document
from tests.scenarios.support import PN, PRACTICE, refused, signed_release

TODAY = date.today()
CASCADIA = "Cascadia Health Plan"
PHYSICIAN = {"name": "Dr. Ines Halvorsen, Family Medicine", "kind": "provider", "address": "12 Pine St, Tacoma, WA"}
ATTORNEY = {"name": "Dana Counsel, Attorney at Law", "kind": "attorney", "address": "1 Court St, Tacoma, WA"}
COURT = {"name": "Pierce County Superior Court", "kind": "court", "address": "930 Tacoma Ave S, Tacoma, WA"}
POLICE = {"name": "Tacoma Police Department", "address": "3701 S Pine St, Tacoma, WA"}
AGENCY = {"name": "DCYF Child Protective Services intake", "address": "1-866-363-4276"}
NOTICE = {"written_statement": True, "notice_sent_on": (TODAY - timedelta(days=40)).isoformat(),
          "notice_describes_litigation": True, "objection_deadline": (TODAY - timedelta(days=10)).isoformat(),
          "objections": "none_filed", "document_ref": "Declaration of counsel re notice to the client"}


def packet(user, client_id, summary) -> dict:
    return disclosure_document(user=user, client_id=client_id, disclosure_id=summary["id"])


def entry(user, client_id, disclosure_id) -> dict:
    (found,) = [e for e in accounting.accounting_of_disclosures(user=user, client_id=client_id)["entries"]
                if e["id"] == disclosure_id]
    return found


def open_obligations(user, client_id, disclosure_id) -> list[str]:
    return [o["kind"] for o in obligations.obligation_list(user=user, client_id=client_id)
            if (o["disclosure"] or {}).get("id") == disclosure_id]


@pytest.fixture
def outbox(settings, tmp_path):
    """The file message backend writing into this test's own directory."""
    settings.CONFIDE = {**settings.CONFIDE, "MESSAGE_BACKEND": "file", "MESSAGE_OUTBOX_DIR": tmp_path / "outbox"}
    return tmp_path / "outbox"


# --- 000 / 002 / 003: the fact of therapy, voicemail and appointments ------------------------

def test_no_one_outside_is_told_who_is_a_client(staff, cid, api_client, other_practice):
    """000_6f1feaf258e49d28.txt: "confidentiality in therapy includes not just the
    contents of therapy, but also the fact that a client is in therapy"; "a therapist
    may not acknowledge a client, if the therapist runs into the client outside of
    therapy". 002_836d26dc9589c4b4.txt: "They are also not allowed to tell anyone that
    their client is in therapy."

    The front desk answers "is this person a client?" with one script, the same for a
    client and a stranger; staff with no relationship to the client, and another
    practice, get exactly what they get for a client who does not exist."""
    desk = api_client(staff["fontaine"])
    for_client = desk.get("/api/v1/front-desk/script", {"name": "Elena Marisol Varga-Trent"})
    for_stranger = desk.get("/api/v1/front-desk/script", {"name": "Nobody Atall"})
    assert for_client.status_code == for_stranger.status_code == 200
    assert for_client.content == for_stranger.content
    script = for_client.json()["script"]
    assert "can't confirm or deny" in script and "Varga" not in script and "Elena" not in script

    stranger_id = str(uuid.uuid4())
    for outsider in (staff["lindqvist"], other_practice["clinician"]):  # no relationship to Lena (c1)
        for call in (charting.chart_open, accounting.accounting_of_disclosures, releases.release_list):
            with pytest.raises(NotFound) as real:
                call(user=outsider, client_id=cid["c1"])
            with pytest.raises(NotFound) as none:
                call(user=outsider, client_id=stranger_id)
            assert str(real.value) == str(none.value)
        web = api_client(outsider)
        real, none = web.get(f"/api/v1/clients/{cid['c1']}"), web.get(f"/api/v1/clients/{stranger_id}")
        assert (real.status_code, real.content) == (none.status_code, none.content) and real.status_code == 404
        assert directory.client_search(user=outsider, query="Elena Marisol Varga-Trent") == []
        assert directory.client_search(user=outsider, query="Nobody Atall") == []
    # The treating clinician finds her; the search itself is what differs, not the answer's shape.
    assert [c["id"] for c in directory.client_search(user=staff["marsh"], query="Elena Marisol Varga-Trent")] \
        == [str(cid["c1"])]


def test_voicemail_says_nothing_the_client_did_not_allow(staff, cid, outbox):
    """000_6f1feaf258e49d28.txt: "Not leaving revealing information on the client's
    voicemail". 003_21b4ff74c6dbb625.txt: "Not leaving revealing information on
    voicemail, and seeking client permission before leaving any information at all on
    voicemail". 002_836d26dc9589c4b4.txt: "They will not reveal any information on
    voicemail unless the client permits them."

    Noor (c7) allowed no voicemail: refused, nothing reaches the outbox. Des (c2) allowed
    his name and a call-back number only: that is all the message says. Lena (c1) opted
    in to details: only then does it name the clinician."""
    refused_vm = messages.reminder_send(user=staff["fontaine"], client_id=cid["c7"], channel="voicemail")
    assert refused_vm["status"] == "refused" and refused_vm["text"] is None
    assert refused_vm["reason"] == "refused: the client has not allowed voicemail"
    assert not outbox.exists() or list(outbox.iterdir()) == []

    des = messages.reminder_send(user=staff["fontaine"], client_id=cid["c2"], channel="voicemail")
    assert des["status"] == "sent"
    assert des["text"] == "This is a message for Des from HL Appointments; please call 253-555-0100."
    assert messages.revealing_words(des["text"]) == [] and "reminder" not in des["text"]
    assert "Okafor" not in des["text"] and PRACTICE not in des["text"]

    lena = messages.reminder_send(user=staff["fontaine"], client_id=cid["c1"], channel="voicemail")
    assert lena["status"] == "sent" and "Marsh" in lena["text"]  # she opted in to details
    assert [m.status for m in Message.objects.filter(id__in=[refused_vm["id"], des["id"], lena["id"]])
            .order_by("created_at")] == ["refused", "sent", "sent"]
    assert len(list(outbox.iterdir())) == 2  # the refused one never reached the backend


def test_reminders_do_not_acknowledge_an_appointment_to_whoever_reads_them(staff, cid):
    """000_6f1feaf258e49d28.txt: "Not acknowledging that a client has an appointment,
    to anyone other than the client". 002_836d26dc9589c4b4.txt: "They will also not
    acknowledge their appointment with their client to any third parties without
    permission." 003_21b4ff74c6dbb625.txt: "Not acknowledging to outside parties that a
    client has an appointment".

    A text, an email, a letter and the calendar event read by someone other than the
    client say nothing of what kind of appointment, with whom or where: no clinician,
    no title, no practice type, no clinical word. Only a client's opt-in adds details."""
    preview = messages.reminder_preview(user=staff["fontaine"], client_id=cid["c2"])  # Des: neutral text
    text = preview["channels"]["text"]
    assert text["allowed"] and not text["details"]
    assert messages.revealing_words(text["text"]) == [] and "Okafor" not in text["text"]
    assert preview["channels"]["email"]["allowed"] is False  # he allowed no email
    ics = preview["ics"]
    assert "SUMMARY:Appointment\r\n" in ics and "LOCATION" not in ics and "Okafor" not in ics
    assert messages.revealing_words(ics) == []
    letter = messages.reminder_preview(user=staff["fontaine"], client_id=cid["c7"])["channels"]["postal"]
    assert letter["allowed"] and letter["to"] == "PO Box 4471, Olympia, WA 98507"  # her confidential address
    assert messages.revealing_words(letter["text"]) == [] and PRACTICE not in letter["text"]
    opted_in = messages.reminder_preview(user=staff["fontaine"], client_id=cid["c6"])["channels"]["email"]
    assert opted_in["details"] and "Marsh" in opted_in["text"]  # Adrian opted in to details by email
    script = messages.front_desk_script()
    assert any("Never confirm, move or describe an appointment" in line for line in script["guidance"])


# --- 004 / 000 / 001 / 002: written permission names exactly what goes -----------------------

def test_the_waiver_faxed_to_the_physician_releases_only_what_it_names(staff, cid):
    """004_2580926197bc4372.txt: "If you wish your therapist to disclose any information
    (e.g. to your physician, naturopath or lawyer) the therapist is required to obtain
    your written permission. So, for instance, if you are considering going off meds,
    you might want your therapist to have a consultation with your physician. In this
    case, as your therapist, I would fax the waiver to your physician". Also
    001_b364eac00fddab89.txt: "the therapist must ensure that only the information
    specified in the release form is disclosed"; 000_6f1feaf258e49d28.txt: "Not
    discussing the contents of treatment with another person, without the permission of
    the client".

    Lena (c1, on sertraline) signs a release to her physician naming her diagnosis and
    medications: the packet holds those and nothing else (no notes, no plan); asking for
    more under it is refused; the signed waiver is a PDF; once she revokes it, nothing
    more goes, and what went stays in her accounting."""
    marsh, c1 = staff["marsh"], cid["c1"]
    rid = signed_release(marsh, c1, categories=["diagnosis", "medications"], recipient=PHYSICIAN,
                         purposes=["A consultation with my physician about going off my medication"],
                         description="My diagnosis and my current medications")
    assert releases.release_pdf(user=marsh, client_id=c1, release_id=rid).startswith(b"%PDF-")  # the waiver
    out = releases.release_disclose(user=marsh, client_id=c1, release_id=rid)
    sent = packet(marsh, c1, out)
    assert set(sent["sections"]) == {"diagnosis", "medications"}
    assert sent["recipient"]["name"] == PHYSICIAN["name"] and out["purpose"] == "COC"
    assert [m["name"] for m in sent["sections"]["medications"]] == ["sertraline"]
    chart = charting.chart_open(user=marsh, client_id=c1)
    assert chart["progress_notes"] and chart[PN]  # there was more to give, and none of it went
    text = str(sent)
    assert not any(n["text"] in text for n in chart["progress_notes"] + chart[PN])
    with pytest.raises(InvalidInput, match="the release does not name progress_notes"):
        releases.release_disclose(user=marsh, client_id=c1, release_id=rid, categories=["progress_notes"])
    listed = entry(staff["lvarga"], c1, out["id"])
    assert listed["required"] is False and "164.528(a)(1)(iv)" in listed["not_required_reason"]

    releases.release_revoke(user=staff["lvarga"], client_id=c1, release_id=rid, how="portal")
    with pytest.raises(Refused, match="revoked"):
        releases.release_disclose(user=marsh, client_id=c1, release_id=rid)
    assert entry(staff["lvarga"], c1, out["id"])["categories"] == ["diagnosis", "medications"]


class _Later(datetime):
    """The clock `days` ahead, for the services whose `datetime` is swapped for it."""

    days = 0

    @classmethod
    def now(cls, tz=None):
        return datetime.now(tz) + timedelta(days=cls.days)


def test_permission_for_the_physician_is_not_permission_for_a_lawyer_nor_after_its_date(staff, cid, monkeypatch):
    """004_2580926197bc4372.txt: "If you wish your therapist to disclose any information
    (e.g. to your physician, naturopath or lawyer) the therapist is required to obtain
    your written permission."

    Lena's release names her physician. An attorney's subpoena cannot go through it
    (it names another recipient), nor can anything go once its date has passed: a
    release is checked at every use (164.508(b)(2)), by the courts workflow and by a
    claim made under a release alike."""
    marsh, c1 = staff["marsh"], cid["c1"]
    to_physician = signed_release(marsh, c1, categories=["diagnosis"], recipient=PHYSICIAN, days=30,
                                  description="My diagnosis", purposes=["Coordination of my care"])
    subpoena = legal.legal_request_record(user=marsh, client_id=c1, kind="subpoena", data={
        "requester": ATTORNEY, "case_number": "26-2-06666", "categories": ["diagnosis"]})
    out = refused(lambda: legal.legal_request_release(user=marsh, client_id=c1, legal_request_id=subpoena["id"],
                                                      release_id=to_physician))
    assert "names another recipient" in out.detail["message"]

    to_lawyer = signed_release(marsh, c1, categories=["diagnosis"], recipient=ATTORNEY, days=30,
                               description="My diagnosis", purposes=["My lawsuit"])
    to_plan = signed_release(marsh, c1, categories=["billing"], days=30, description="Session dates and fees",
                             recipient={"name": CASCADIA, "kind": "insurer"}, purposes=["Invoicing my plan"])
    _Later.days = 45  # both expire on day 30
    monkeypatch.setattr(legal, "datetime", _Later)
    monkeypatch.setattr(insurers, "datetime", _Later)
    out = refused(lambda: legal.legal_request_release(user=marsh, client_id=c1, legal_request_id=subpoena["id"],
                                                      release_id=to_lawyer))
    assert "expired on its date" in out.detail["message"]
    with pytest.raises(InvalidInput, match="not signed, expired or revoked"):
        insurers.claim_build(user=marsh, client_id=c1, payer=CASCADIA, release_id=to_plan)
    _Later.days = 0  # within its date, the lawyer's release authorizes the subpoena
    done = legal.legal_request_release(user=marsh, client_id=c1, legal_request_id=subpoena["id"], release_id=to_lawyer)
    assert done["disclosure"]["categories"] == ["diagnosis"] and done["disclosure"]["accountable"] is False


# --- 000 / 001 / 003 / 004: harm to self or others ----------------------------------------

def test_a_threat_to_others_warns_the_person_and_tells_the_police(staff, cid):
    """000_6f1feaf258e49d28.txt: "when a client is a threat to himself/herself or others,
    in which case a therapist must notify the person in danger or notify someone who can
    keep the client safe". 001_b364eac00fddab89.txt: "when the therapist has reasonable
    cause to suspect that the client is at risk of harming themselves or someone else".

    Adrian (c6) threatens a named man. Washington's rule is shown with its citation and
    mark; the warning holds who the client is and the threat (not the target's own
    contact details, not the notes); the police get where to find the client too; each
    is accountable and leaves an open obligation to tell the client."""
    marsh, c6 = staff["marsh"], cid["c6"]
    event = safety.safety_event_record(
        user=marsh, client_id=c6, kind="threat",
        threat="Said he will hurt his former business partner when he sees him at the site on Friday",
        person_at_risk={"name": "Marcus Pellegrini", "contact": "253-555-0190"}, imminence="imminent",
        means="Keeps a hunting rifle in his truck")
    assert event["state_rule"]["citation"] and event["state_rule"]["ver"]
    warned = safety.safety_action_take(user=marsh, client_id=c6, event_id=event["id"], action="warn_person")
    police = safety.safety_action_take(user=marsh, client_id=c6, event_id=event["id"], action="notify_police",
                                       recipient=POLICE)
    warning = packet(marsh, c6, warned["disclosure"])
    assert set(warning["sections"]) == {"identity", "incident"}
    assert warning["sections"]["incident"]["person_at_risk"] == {"name": "Marcus Pellegrini"}
    assert "rifle" in warning["sections"]["incident"]["means"]
    assert set(packet(marsh, c6, police["disclosure"])["sections"]) == {"identity", "contact", "incident"}
    for done in (warned, police):
        assert entry(marsh, c6, done["disclosure"]["id"])["required"] is True
        assert open_obligations(marsh, c6, done["disclosure"]["id"]) == ["notify_client"]
        # the client's live view holds it back until the clinician has told them
        assert done["disclosure"]["id"] not in {
            e["id"] for e in accounting.accounting_of_disclosures(user=staff["awhitford"], client_id=c6)["entries"]}


def test_a_threat_to_self_arranges_hospitalization_with_what_the_hospital_needs(staff, cid):
    """003_21b4ff74c6dbb625.txt: "In these circumstances, therapists often seek
    hospitalization for their clients." 004_2580926197bc4372.txt: "if the therapist
    believes the individual may hurt himself, herself or another individual the
    therapist is obligated to inform the appropriate agencies or authorities."

    Des (c2) means to overdose: the hospital gets his identity, contact, diagnosis,
    medications, risk assessment and the threat, never his session notes."""
    okafor, c2 = staff["okafor"], cid["c2"]
    event = safety.safety_event_record(
        user=okafor, client_id=c2, kind="threat", threat="Says he will take all his pills this weekend",
        person_at_risk={"name": "The client himself"}, imminence="imminent", means="A stockpile of bupropion")
    out = safety.safety_action_take(user=okafor, client_id=c2, event_id=event["id"],
                                    action="arrange_hospitalization", purpose="ETREAT",
                                    recipient={"name": "St. Joseph Medical Center, emergency department",
                                               "address": "1717 S J St, Tacoma, WA"})
    sent = packet(okafor, c2, out["disclosure"])
    assert set(sent["sections"]) == {"identity", "contact", "diagnosis", "medications", "risk_assessment",
                                     "incident"}
    assert "progress_notes" not in sent["sections"] and PN not in sent["sections"]
    assert out["disclosure"]["rule_ids"] == ["US-HIPAA-THREAT-HOSPITAL"] and out["disclosure"]["accountable"]


# --- 002 / 004: abuse of children, the elderly, and an adult's own past ----------------------

def test_current_child_abuse_and_elder_neglect_are_reported_to_the_agency(staff, cid):
    """002_836d26dc9589c4b4.txt: "Therapists also have the power to report ongoing
    domestic violence or any neglect of children, the elderly, or someone with a
    disability." 004_2580926197bc4372.txt: "This includes instances where the therapist
    feels a child is, or has been, physically/sexually abused or neglected."

    A child abused now: reportable; the agency gets the client's identity and contact
    and the facts; accountable. Elder neglect: reported, and the client is told unless
    the clinician records why that would put them at risk (the obligation is then
    waived with that reason)."""
    marsh, c1 = staff["marsh"], cid["c1"]
    child = mandated_reports.abuse_event_record(
        user=marsh, client_id=c1, victim_kind="child", victim_age_now=9, abuse_is_past=False,
        facts="Saw her neighbour beat his 9-year-old son with a belt on Tuesday", victim={"name": "neighbour's son"})
    assert child["assessment"]["reportable"] is True
    out = mandated_reports.abuse_report_make(user=marsh, client_id=c1, event_id=child["id"], agency=AGENCY)
    sent = packet(marsh, c1, out["disclosure"])
    assert set(sent["sections"]) == {"identity", "contact", "incident"}
    assert sent["sections"]["incident"]["facts"].startswith("Saw her neighbour")
    assert entry(marsh, c1, out["disclosure"]["id"])["required"] is True

    lindqvist, c5 = staff["lindqvist"], cid["c5"]
    elder = mandated_reports.abuse_event_record(
        user=lindqvist, client_id=c5, victim_kind="elder", victim_age_now=88, abuse_is_past=False,
        facts="Her brother, 88, is left without food for days by his live-in caregiver")
    made = mandated_reports.abuse_report_make(
        user=lindqvist, client_id=c5, event_id=elder["id"],
        agency={"name": "DSHS Adult Protective Services", "address": "1-877-734-6277"},
        notify_exception="risk_of_serious_harm", notify_exception_reason="The caregiver reads her mail and phone")
    assert made["disclosure"]["rule_ids"] == ["US-HIPAA-ADULT-ABUSE-REPORT"]
    assert [ob["status"] for ob in made["disclosure"]["obligations"]] == ["waived"]
    assert Obligation.objects.get(id=made["disclosure"]["obligations"][0]["id"]).status == "waived"


def test_an_adults_own_childhood_abuse_is_not_reported_unless_a_child_is_at_risk_now(staff, cid):
    """002_836d26dc9589c4b4.txt: "A therapist can keep their client's confidentiality if
    they have told you they have suffered abuse as a child. If that abuse is continuing
    with other children, only then are they allowed to break the confidentiality
    agreement."

    Des (c2, 46) was abused as a boy: not reportable, the attempt is refused with the
    decision aid's reason and nothing leaves. When the same man now coaches children,
    the report goes, about the child at risk now."""
    okafor, c2 = staff["okafor"], cid["c2"]
    past = mandated_reports.abuse_event_record(
        user=okafor, client_id=c2, victim_kind="child", victim_age_now=46, abuse_is_past=True,
        facts="Abused by a neighbour when he was 10; the neighbour has since died")
    assert past["assessment"]["reportable"] is False
    out = refused(lambda: mandated_reports.abuse_report_make(user=okafor, client_id=c2, event_id=past["id"],
                                                             agency=AGENCY))
    assert out.detail["message"].startswith("not reportable: an adult's disclosure of abuse in their own past "
                                            "childhood is not reportable unless a child is at risk now")
    continuing = mandated_reports.abuse_event_record(
        user=okafor, client_id=c2, victim_kind="child", victim_age_now=46, abuse_is_past=True,
        child_at_risk_now=True, facts="Abused by his swim coach when he was 10",
        current_risk="The same man coaches a youth swim team in Tacoma now")
    made = mandated_reports.abuse_report_make(user=okafor, client_id=c2, event_id=continuing["id"], agency=AGENCY)
    incident = packet(okafor, c2, made["disclosure"])["sections"]["incident"]
    assert incident["child_at_risk_now"] is True and "youth swim team" in incident["current_risk"]


# --- 001 / 002 / 004: courts and subpoenas ----------------------------------------------------

def test_a_court_order_releases_exactly_what_it_names(staff, cid):
    """001_b364eac00fddab89.txt: "The second exception is when the therapist has received
    a court order to disclose confidential information." 002_836d26dc9589c4b4.txt:
    "Confidentiality can also be released if a therapist has received a court order if a
    client's mental health has come into question during the legal proceeding."

    An order signed by a judge naming Lena's diagnosis and her attendance over the last
    four weeks: the packet holds those two, only that period's sessions, and nothing of
    the notes; accountable; the client is to be told."""
    marsh, c1 = staff["marsh"], cid["c1"]
    start = TODAY - timedelta(days=28)
    order = legal.legal_request_record(user=marsh, client_id=c1, kind="court_order", data={
        "requester": COURT, "court": COURT["name"], "case_number": "26-2-07777", "judge": "Hon. R. Example",
        "signed_by_judge": True, "categories": ["diagnosis", "attendance"], "date_from": start.isoformat()})
    out = legal.legal_request_release(user=marsh, client_id=c1, legal_request_id=order["id"])
    sent = packet(marsh, c1, out["disclosure"])
    assert set(sent["sections"]) == {"diagnosis", "attendance"}
    days = [a["date"] for a in sent["sections"]["attendance"]]
    assert days and all(date.fromisoformat(d) >= start for d in days)
    every = [a["starts_at"] for a in charting.chart_open(user=marsh, client_id=c1)["appointments"]
             if a.get("status") not in (None, "scheduled")]
    assert any(date.fromisoformat(d[:10]) < start for d in every)  # older sessions existed and stayed
    assert out["disclosure"]["rule_ids"] == ["US-HIPAA-COURT-ORDER"] and out["disclosure"]["accountable"]
    assert open_obligations(marsh, c1, out["disclosure"]["id"]) == ["notify_client"]


def test_a_subpoena_waits_and_the_clinician_can_assert_privilege(staff, cid):
    """004_2580926197bc4372.txt: "It is also important to understand that
    psychotherapists can be subpoeaned." 000_6f1feaf258e49d28.txt: "Usually it is much
    more difficult to force a therapist to testify than to force a non-licensed mental
    health professional."

    A lawyer's subpoena alone releases nothing (on hold, refused, audited); the
    clinician generates a letter asserting privilege that names no client and is no
    disclosure; once notice is documented it releases what it names, never
    psychotherapy notes."""
    marsh, c1 = staff["marsh"], cid["c1"]
    req = legal.legal_request_record(user=marsh, client_id=c1, kind="subpoena", data={
        "requester": ATTORNEY, "case_number": "26-2-08888", "categories": ["progress_notes", PN]})
    refused(lambda: legal.legal_request_release(user=marsh, client_id=c1, legal_request_id=req["id"]))
    letter = legal.privilege_letter(user=marsh, client_id=c1, legal_request_id=req["id"])
    assert letter["disclosure"] is None and letter["pdf_base64"]
    assert "Varga" not in legal.privilege_letter_html(practice=PRACTICE, signer="x", licence="LMHC", on=TODAY,
                                                      request=legal.legal_requests_list(user=marsh, client_id=c1)[-1])
    legal.legal_request_assurance(user=marsh, client_id=c1, legal_request_id=req["id"], kind="notice",
                                  details=NOTICE)
    out = legal.legal_request_release(user=marsh, client_id=c1, legal_request_id=req["id"])
    assert out["disclosure"]["categories"] == ["progress_notes"] and out["withheld"] == [PN]


# --- 000 / 002 / 003 / 004: insurers ---------------------------------------------------------

def test_the_insurer_sees_the_diagnosis_and_medications_only_where_required(staff, cid):
    """000_6f1feaf258e49d28.txt: "usually the information revealed is limited to the
    diagnosis and medications required." 003_21b4ff74c6dbb625.txt: "Typically, the
    information revealed is limited to the diagnosis being treated and any medications
    required." 002_836d26dc9589c4b4.txt: "A therapist can share their information about
    a client's diagnosis and treatment with the client's health insurance company".

    Lena's claim to Cascadia: identity, billing and diagnosis; her medications only once
    the practice records that Cascadia requires them; never a note."""
    pellham, c1 = staff["pellham"], cid["c1"]
    first = insurers.claim_build(user=pellham, client_id=c1, payer=CASCADIA)
    assert first["categories"] == ["billing", "diagnosis", "identity"]
    insurers.payer_agreement_set(user=staff["haddad"], payer=CASCADIA, requires_medications=True,
                                 managed_care_reports=True, reference="CHP-BH-2026-114 rev 2")
    second = insurers.claim_build(user=pellham, client_id=c1, payer=CASCADIA)
    assert second["categories"] == ["billing", "diagnosis", "identity", "medications"]
    sent = packet(staff["marsh"], c1, second)
    assert not {"progress_notes", PN, "treatment_plan", "risk_assessment"} & set(sent["sections"])
    services = sent["sections"]["billing"]["services"]
    assert services and all(set(s) == {"date_of_service", "cpt", "fee", "units", "provider"} for s in services)


def test_under_a_release_only_session_dates_and_fees_reach_the_insurer(staff, cid):
    """004_2580926197bc4372.txt: "This "written permission" principle applies even to
    instances when the therapist must invoice your insurance carrier directly. The
    "release of information" you sign in this case would outline the specifics where
    disclosure is being released. For instance, the form might state that only session
    dates and fees may be released to your insurance company."

    Lena signs a release (through the releases service, signed in her portal) naming
    only billing, to Cascadia: the claim made under it holds her session dates and fees
    and nothing else, not even her diagnosis."""
    marsh, c1 = staff["marsh"], cid["c1"]
    rid = signed_release(marsh, c1, categories=["billing"], description="Only my session dates and fees",
                         recipient={"name": CASCADIA, "kind": "insurer", "address": "Claims, Seattle"},
                         purposes=["Invoicing my insurance carrier"])
    out = insurers.claim_build(user=marsh, client_id=c1, payer=CASCADIA, release_id=rid)
    assert out["categories"] == ["billing"] and out["rule_ids"] == ["US-HIPAA-AUTHORIZATION"]
    services = packet(marsh, c1, out)["sections"]["billing"]["services"]
    assert services and {s["fee"] for s in services} <= {"150.00", "180.00", "200.00"}
    assert Disclosure.objects.get(id=out["id"]).release_id == uuid.UUID(rid)
    releases.release_revoke(user=staff["lvarga"], client_id=c1, release_id=rid, how="portal")
    with pytest.raises(InvalidInput, match="not signed, expired or revoked"):
        insurers.claim_build(user=marsh, client_id=c1, payer=CASCADIA, release_id=rid)


def test_a_self_pay_client_is_never_made_known_to_the_insurer(staff, cid):
    """002_836d26dc9589c4b4.txt: "If a client decides to pay out of pocket and not ask
    their insurance companies for reimbursement, the insurance company will not know you
    are in therapy."

    Harriet (c5) pays out of pocket and asked that no plan hear of it: no claim and no
    report, by her clinician, the supervisor or the biller. Lena pays one session in
    full and restricts it: that session's date appears on no claim and in no report."""
    for username, build in (("lindqvist", insurers.claim_build), ("pellham", insurers.claim_build),
                            ("okafor", insurers.managed_care_report_build)):
        out = refused(lambda: build(user=staff[username], client_id=cid["c5"], payer=CASCADIA))
        assert out.rule_ids == ("US-HIPAA-SELF-PAY",)
    marsh, c1 = staff["marsh"], cid["c1"]
    private_day = TODAY - timedelta(days=3)  # a session she pays for herself, and restricts
    appt = scheduling.appointment_create(user=marsh, client_id=c1, clinician_id=marsh.pk,
                                      starts_at=datetime.combine(private_day, time(18), tzinfo=timezone.utc),
                                      status="attended")
    insurers.charge_add(user=marsh, client_id=c1, appointment_id=appt, date_of_service=private_day,
                        cpt="90834", fee="150.00", paid_in_full=True, restrict_payer=True)
    claim = packet(marsh, c1, insurers.claim_build(user=marsh, client_id=c1, payer=CASCADIA))
    report = packet(marsh, c1, insurers.managed_care_report_build(user=marsh, client_id=c1, payer=CASCADIA))
    assert private_day.isoformat() not in claim["sections"]["billing"]["dates_of_service"]
    assert claim["sections"]["billing"]["dates_of_service"]  # her other sessions are claimed
    assert private_day.isoformat() not in [a["date"] for a in report["sections"]["attendance"]]
    assert any(a["starts_at"][:10] == private_day.isoformat() and a["status"] == "attended"
               for a in charting.chart_open(user=marsh, client_id=c1)["appointments"])  # it happened


def test_managed_care_reports_go_only_under_the_recorded_agreement(staff, cid):
    """004_2580926197bc4372.txt: "You should know that under managed care (e.g. HMO's) it
    is usually required that the psychotherapist send regular reports on the treatment
    you are receiving."

    Cascadia's agreement provides for reports: Lena's holds diagnosis, goals, progress
    and attendance, never notes, and she is to be told. Evergreen has no such agreement:
    Des's report is refused."""
    marsh, c1 = staff["marsh"], cid["c1"]
    out = insurers.managed_care_report_build(user=marsh, client_id=c1, payer=CASCADIA)
    assert out["categories"] == ["attendance", "diagnosis", "identity", "progress_summary", "treatment_plan"]
    assert out["rule_ids"] == ["US-HIPAA-MANAGED-CARE-REPORT"]
    assert "CHP-BH-2026-114" in packet(marsh, c1, out)["basis"]["description"]
    assert open_obligations(marsh, c1, out["id"]) == ["notify_client"]
    denied = refused(lambda: insurers.managed_care_report_build(user=staff["okafor"], client_id=cid["c2"],
                                                                payer="Evergreen Mutual Health"))
    assert denied.rule_ids == ("SYS-DEFAULT-DENY",)


# --- 000 / 002 / 003: minors ------------------------------------------------------------------

def _past(days: int) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days), time(17), tzinfo=timezone.utc)


def _minor_with_parent(staff, age: int, consent: str):
    """A minor client of marsh's with a plan, a risk assessment, notes and a parent login,
    made through the real services."""
    marsh = staff["marsh"]
    born = TODAY - timedelta(days=10)
    born = born.replace(year=born.year - age) if (born.month, born.day) != (2, 29) else born.replace(
        year=born.year - age, day=28)
    kid = intake.client_create(user=marsh, identity={"legal_name": "Robin Testkid", "preferred_name": "Robin",
                                                      "dob": born.isoformat()}, fact={"minor_consent": consent})
    charting.record_add(user=marsh, client_id=kid, kind="treatment_plan", data={
        "summary": "Formulation: conflict at home Marmoset", "goals": [{"text": "Back to swim team", "progress": 2}]})
    charting.record_add(user=marsh, client_id=kid, kind="risk_assessment",
                       data={"level": "moderate", "summary": "Rides on car roofs at night"})
    charting.progress_note_create(user=marsh, client_id=kid, session_date=TODAY - timedelta(days=3),
                                 text="What Robin said in session Axolotl")
    charting.psychotherapy_note_create(user=marsh, client_id=kid, session_date=TODAY - timedelta(days=3),
                                      text="Process note Pangolin")
    scheduling.appointment_create(user=marsh, client_id=kid, clinician_id=marsh.pk, starts_at=_past(3),
                               status="attended")
    parent = User(username=f"parent-{str(kid)[:8]}", role="representative", practice=marsh.practice)
    parent.set_password("x-irrelevant-x")
    parent.save()
    intake.client_account_link(user=marsh, client_id=kid, account=parent, relationship="representative")
    return kid, parent


def test_a_parent_hears_broad_goals_and_progress_and_what_the_ground_rules_say(staff):
    """000_6f1feaf258e49d28.txt: "Even when parents do not agree to confidentiality,
    therapists may only reveal information about broad treatment goals and progress,
    rather than revealing the discussions in therapy." 002_836d26dc9589c4b4.txt:
    "Therapists will provide ground rules for the type of information that they will
    share with their parents. For example, if a minor has committed risky behaviors, a
    therapist will tell their client their parents will know about it."

    Robin is 12 (under Washington's 13: the parent is the personal representative). The
    ground rules agreed at intake share risky behaviour. The parent sees goals and
    progress (not the formulation), attendance and the risk assessment, never what
    Robin said; and Robin is to be told the parent saw it."""
    kid, parent = _minor_with_parent(staff, 12, "parent")
    minors.ground_rules_record(user=staff["marsh"], client_id=kid, shared_categories=["risk_assessment"],
                               items=[{"label": "Risky behaviour", "category": "risk_assessment"}],
                               notes="Agreed with Robin and the parent at intake")
    view = minors.guardian_view(user=parent, client_id=kid)
    assert set(view["categories"]) == {"identity", "appointments", "attendance", "progress_summary",
                                       "risk_assessment"}
    assert view["progress_summary"] == {"goals": [{"goal": "Back to swim team", "progress": 2}]}
    assert view["risk_assessment"][0]["summary"] == "Rides on car roofs at night"
    text = str(view)
    assert "Axolotl" not in text and "Pangolin" not in text and "Marmoset" not in text
    assert view["minor_to_be_told"] == 1
    (told,) = [o for o in obligations.obligation_list(user=staff["marsh"], client_id=kid)
               if o["kind"] == "notify_minor"]
    assert told["item"]["labels"] == ["Risky behaviour"]


def test_a_minor_who_consented_alone_controls_what_the_parent_sees(staff, cid):
    """000_6f1feaf258e49d28.txt: "many therapists seek the permission of their minor
    clients' parents to keep the treatment confidential." Where the law lets the minor
    consent alone (Washington: 13, RCW 71.34.530, as data), the minor's permission is
    what counts.

    June (c3, 15) consented alone and allows her mother attendance and broad progress;
    when she narrows it to attendance, that is all her mother sees; her mother cannot
    read or sign June's releases."""
    mother, c3 = staff["acastellanos"], cid["c3"]
    assert set(minors.guardian_view(user=mother, client_id=c3)["categories"]) == {"attendance", "progress_summary"}
    minors.ground_rules_record(user=staff["marsh"], client_id=c3, minor_allows=["attendance"],
                               notes="June now allows attendance only")
    view = minors.guardian_view(user=mother, client_id=c3)
    assert view["categories"] == ["attendance"] and view["consented_alone"] is True
    out = refused(lambda: releases.release_list(user=mother, client_id=c3))
    assert out.rule_ids == ("US-HIPAA-AUTH-REPRESENTATIVE",)


# --- 001: Inner Heart Therapy's promise ----------------------------------------------------------

def test_inner_heart_therapy_promise_abortion_transgender_drag(staff, cid):
    """001_b364eac00fddab89.txt: "In my practice at Inner Heart Therapy, abortion, being
    transgender, or having a drag show is NOT considered a reason to break
    confidentiality. You will not be reported to any state agency"

    The demo practice adopts the promise (rules/practice.toml). A mandated report whose
    record is tagged with a promised topic is refused naming the promise (the facts
    that must go are recorded without the topic, as their own event); a court order
    touching a tagged note is refused naming the promise; a release that names the
    topic lets the note through, one that does not name it does not."""
    marsh, c1 = staff["marsh"], cid["c1"]
    tagged = mandated_reports.abuse_event_record(
        user=marsh, client_id=c1, victim_kind="child", victim_age_now=15, abuse_is_past=False,
        facts="Her nephew, 15, is beaten at home for being transgender", topics=["gender_identity"])
    out = refused(lambda: mandated_reports.abuse_report_make(user=marsh, client_id=c1, event_id=tagged["id"],
                                                             agency=AGENCY))
    assert out.rule_ids == ("PRACTICE-PROMISE-GENDER",) and "own event" in out.detail["message"]
    plain = mandated_reports.abuse_event_record(
        user=marsh, client_id=c1, victim_kind="child", victim_age_now=15, abuse_is_past=False,
        facts="Her nephew, 15, is beaten at home by his father")
    mandated_reports.abuse_report_make(user=marsh, client_id=c1, event_id=plain["id"], agency=AGENCY)

    charting.progress_note_create(user=marsh, client_id=c1, session_date=TODAY,
                                 text="She performs in a drag show on Saturdays and worries about her employer.",
                                 topics=["drag_performance"])
    order = legal.legal_request_record(user=marsh, client_id=c1, kind="court_order", data={
        "requester": COURT, "court": COURT["name"], "case_number": "26-2-09999", "judge": "Hon. R. Example",
        "signed_by_judge": True, "categories": ["progress_notes"]})
    court = refused(lambda: legal.legal_request_release(user=marsh, client_id=c1, legal_request_id=order["id"]))
    assert court.rule_ids == ("PRACTICE-PROMISE-DRAG",)

    to_lawyer = {"name": "Ruth Ames, her attorney", "kind": "attorney", "address": "5 Main St, Tacoma"}
    silent = signed_release(marsh, c1, categories=["progress_notes"], recipient=to_lawyer,
                            description="My progress notes", purposes=["My employment case"])
    assert refused(lambda: releases.release_disclose(user=marsh, client_id=c1, release_id=silent)).rule_ids == (
        "PRACTICE-PROMISE-DRAG",)
    naming = signed_release(marsh, c1, categories=["progress_notes"], recipient=to_lawyer, topics=["drag_performance"],
                            description="My progress notes, including what I said about performing in drag",
                            purposes=["My employment case"])
    sent = releases.release_disclose(user=marsh, client_id=c1, release_id=naming)
    assert sent["categories"] == ["progress_notes"]
    assert any("drag show" in n["text"] for n in packet(marsh, c1, sent)["sections"]["progress_notes"])

    # A subpoena the client authorizes with the release that names the topic goes too.
    subpoena = legal.legal_request_record(user=marsh, client_id=c1, kind="subpoena", data={
        "requester": to_lawyer, "case_number": "26-2-09998", "categories": ["progress_notes"]})
    through = legal.legal_request_release(user=marsh, client_id=c1, legal_request_id=subpoena["id"],
                                          release_id=naming)
    assert through["disclosure"]["categories"] == ["progress_notes"]


# --- 002: a recovery center's records ----------------------------------------------------------

def test_addiction_treatment_records_leave_only_with_a_part2_consent(staff, cid):
    """002_836d26dc9589c4b4.txt: "If you struggle with addiction, anxiety, or depression,
    we are available to treat you. One of our highest priorities is confidentiality."

    Russ (c4) is treated in the practice's Part 2 program. His claim to his plan is
    refused (42 CFR 2.31); under his signed Part 2 consent his prescriber gets what it
    names, with the 2.32 notice and a statement of the consent."""
    okafor, c4, evergreen = staff["okafor"], cid["c4"], "Evergreen Mutual Health"
    insurers.payer_agreement_set(user=staff["haddad"], payer=evergreen, reference="EMH-2026-7")
    insurers.charge_add(user=okafor, client_id=c4, date_of_service=TODAY - timedelta(days=7), cpt="90834",
                        fee="150.00")
    denied = refused(lambda: insurers.claim_build(user=staff["pellham"], client_id=c4, payer=evergreen))
    assert set(denied.rule_ids) == {"US-PART2-CONSENT-REQUIRED", "US-PART2-IDENTITY"}
    (consent,) = [r for r in releases.release_list(user=okafor, client_id=c4) if r["kind"] == "part2"]
    out = releases.release_disclose(user=okafor, client_id=c4, release_id=consent["id"])
    assert out["notices"] == ["42 CFR 2.32", "consent"] and out["rule_ids"] == ["US-PART2-CONSENT"]
    sent = packet(okafor, c4, out)
    assert set(sent["sections"]) <= set(consent["categories"]) and sent["no_redisclosure"] is True
    assert "progress_notes" not in sent["sections"] and PN not in sent["sections"]


# --- 001 / 002: what the client is told, and the accounting -----------------------------------

def test_the_clients_accounting_lists_what_left(staff, cid):
    """001_b364eac00fddab89.txt: "It is essential to discuss confidentiality with your
    therapist so that you know what is being shared about your sessions."

    Lena reads her own accounting (portal login): every disclosure made from her record,
    each with its date, recipient, what went and why; those 164.528 requires marked so,
    the others listed with the reason they are not required. It renders to a PDF; no
    one without a relationship can read it."""
    marsh, c1, lena = staff["marsh"], cid["c1"], staff["lvarga"]
    rid = signed_release(marsh, c1, categories=["diagnosis"], recipient=PHYSICIAN,
                         description="My diagnosis", purposes=["Coordination of my care"])
    by_release = releases.release_disclose(user=marsh, client_id=c1, release_id=rid)
    order = legal.legal_request_record(user=marsh, client_id=c1, kind="court_order", data={
        "requester": COURT, "court": COURT["name"], "case_number": "26-2-03333", "judge": "Hon. R. Example",
        "signed_by_judge": True, "categories": ["attendance"]})
    by_order = legal.legal_request_release(user=marsh, client_id=c1, legal_request_id=order["id"])["disclosure"]
    mine = accounting.accounting_of_disclosures(user=lena, client_id=c1)
    ids = {e["id"]: e for e in mine["entries"]}
    assert set(ids) == {str(d.id) for d in Disclosure.objects.filter(client_id=c1)}
    assert ids[by_order["id"]]["required"] is True and ids[by_order["id"]]["recipient"]["name"] == COURT["name"]
    assert ids[by_order["id"]]["description"] and "164.512(e)(1)(i)" in ids[by_order["id"]]["purpose"]
    assert ids[by_release["id"]]["required"] is False and ids[by_release["id"]]["categories"] == ["diagnosis"]
    assert mine["required_count"] == sum(1 for e in mine["entries"] if e["required"]) >= 1
    assert accounting.accounting_pdf(user=lena, client_id=c1).startswith(b"%PDF-")
    with pytest.raises(NotFound):
        accounting.accounting_of_disclosures(user=staff["awhitford"], client_id=c1)


def test_the_client_is_told_when_confidentiality_was_broken(staff, cid):
    """002_836d26dc9589c4b4.txt: "Whenever they have to break your confidentiality,
    therapists have to ask their client for consent."

    An exception made without the client's consent leaves an open obligation to tell
    them, visible on the clinician's dashboard until it is met (how the client was
    told) or waived (why telling would be unsafe); the client sees what is owed them."""
    marsh, c1 = staff["marsh"], cid["c1"]
    order = legal.legal_request_record(user=marsh, client_id=c1, kind="court_order", data={
        "requester": COURT, "court": COURT["name"], "case_number": "26-2-04444", "judge": "Hon. R. Example",
        "signed_by_judge": True, "categories": ["diagnosis"]})
    made = legal.legal_request_release(user=marsh, client_id=c1, legal_request_id=order["id"])["disclosure"]
    (ob,) = made["obligations"]
    assert ob["kind"] == "notify_client"
    assert ob["id"] in [o["id"] for o in obligations.obligations_open(user=marsh)]
    assert ob["id"] in [o["id"] for o in obligations.obligation_list(user=staff["lvarga"], client_id=c1)]
    obligations.obligation_close(user=marsh, client_id=c1, obligation_id=ob["id"], status="met",
                                 detail="Told her in session and gave her a copy of the order")
    assert ob["id"] not in [o["id"] for o in obligations.obligations_open(user=marsh)]
