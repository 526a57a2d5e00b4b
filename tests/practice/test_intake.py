"""Intake: a clinician's full intake, the front desk's identity-and-contact part, the
minor's consent under the state's rule, Part 2 and the payer restriction reaching the
PDP, acknowledgements with how and when, and portal logins by invitation."""

from __future__ import annotations

import re
import uuid
from datetime import date
from email import message_from_bytes

import pytest
from django.test import Client

from confide.apps.practice.models import User
from confide.apps.records.models import CareTeamMember, ClientAccount
from confide.core.errors import InvalidInput, NotFound
from confide.services import access, charting, intake
from confide.services.outbox import outbox_read
from tests.practice.helpers import PASSWORD
from tests.web.signin import signed_in

BASE = "http://confide.test"


@pytest.fixture
def outbox(settings, tmp_path):
    path = tmp_path / "outbox"
    settings.CONFIDE = {**settings.CONFIDE, "MESSAGE_OUTBOX_DIR": path, "MESSAGE_BACKEND": "file"}
    return lambda: [message_from_bytes(outbox_read(p)) for p in sorted(path.glob("*.eml"))] if path.exists() else []


def years_ago(n: int) -> str:
    today = date.today()
    return today.replace(year=today.year - n, day=min(today.day, 28)).isoformat()


def full_intake(user, **overrides):
    values = dict(identity={"legal_name": "Ines Marguerite Duval", "preferred_name": "Ines", "dob": years_ago(34)},
                  contact={"phone": "253-555-0177", "email": "ines@example.org"},
                  preferences={"voicemail": "name_callback", "text": "none", "email": "neutral", "postal": "home"},
                  billing={"self_pay": False, "payer": "Sound Care Alliance", "member_id": "SCA-1", "group": "G"},
                  program="outpatient",
                  emergency={"name": "Paul Duval", "relationship": "brother", "phone": "253-555-0178"},
                  acknowledgements={"npp": {"how": "paper", "on": date.today().isoformat()},
                                    "limits": {"how": "verbal"}})
    values.update(overrides)
    return intake.client_intake(user=user, **values)


def test_a_clinician_records_a_whole_intake(staff):
    marsh = staff["marsh"]
    cid = full_intake(marsh)
    chart = charting.chart_open(user=marsh, client_id=cid)
    assert chart["identity"]["legal_name"] == "Ines Marguerite Duval"
    fact = chart["fact_of_treatment"]
    assert fact["program"] == "outpatient" and fact["minor_consent"] is None
    acks = fact["acknowledgements"]
    assert acks["npp"] == {"how": "paper", "on": date.today().isoformat(), "recorded_by": marsh.pk}
    assert acks["limits"]["how"] == "verbal"
    assert [c["name"] for c in chart["family_contacts"]] == ["Paul Duval"]
    assert CareTeamMember.objects.filter(client_id=cid, staff=marsh, relationship="treating").exists()


def test_part2_program_and_payer_restriction_reach_the_pdp(staff):
    cid = full_intake(staff["marsh"], program="sud", billing={"self_pay": True, "restrict_payer": True})
    assert access.client_flags(cid, staff["marsh"].practice_id) >= {"part2_record", "self_pay_restricted"}
    assert access.client_flags(cid, uuid.uuid4()) == frozenset()  # another practice's client has none


def test_a_minor_consents_alone_only_where_the_state_allows(staff):
    marsh = staff["marsh"]  # the demo practice is in Washington: 13 and over may consent alone
    with pytest.raises(InvalidInput, match="cannot consent alone"):
        full_intake(marsh, identity={"legal_name": "Tomas Young", "dob": years_ago(11)}, minor_consent="self")
    with pytest.raises(InvalidInput, match="record who consents"):
        full_intake(marsh, identity={"legal_name": "Tomas Young", "dob": years_ago(15)})
    with pytest.raises(InvalidInput, match="parent or guardian: a minor whose parent consents"):
        full_intake(marsh, identity={"legal_name": "Tomas Young", "dob": years_ago(11)}, minor_consent="parent")
    alone = full_intake(marsh, identity={"legal_name": "Mira Young", "dob": years_ago(15)}, minor_consent="self")
    assert "minor_self_consented" in access.client_flags(alone, marsh.practice_id)
    fact = charting.chart_open(user=marsh, client_id=alone)["fact_of_treatment"]
    assert fact["minor_consent_basis"]["age"] == 15 and fact["minor_consent_basis"]["citation"]
    parent = full_intake(marsh, identity={"legal_name": "Tomas Young", "dob": years_ago(11)}, minor_consent="parent",
                         guardian={"name": "Rita Young", "relationship": "mother", "phone": "253-555-0190"})
    contacts = charting.chart_open(user=marsh, client_id=parent)["family_contacts"]
    assert [c["name"] for c in contacts if c["guardian"]] == ["Rita Young"]


@pytest.mark.parametrize("overrides, message", [
    ({"identity": {"legal_name": ""}}, "legal name: required"),
    ({"program": "spa"}, "program: one of"),
    ({"billing": {"self_pay": False, "payer": ""}}, "insurance: name the health plan"),
    ({"acknowledgements": {"npp": {"how": "telepathy"}}}, "notice of privacy practices: how"),
    ({"acknowledgements": {"npp": {"how": "paper", "on": "2999-01-01"}}}, "notice of privacy practices: the date"),
    ({"emergency": {"name": "X", "relationship": "friend"}}, "emergency contact: give a phone"),
    ({"identity": {"legal_name": "A", "dob": years_ago(40)}, "minor_consent": "parent"}, "minor's consent: the client is an adult"),
    ({"preferences": {"voicemail": "shout"}}, "preferences"),
])
def test_bad_intake_changes_nothing(staff, counts, overrides, message):
    before = counts()
    with pytest.raises(InvalidInput) as caught:
        full_intake(staff["marsh"], **overrides)
    assert message in str(caught.value)
    assert counts() == before


def test_the_front_desk_records_identity_and_contact_only(staff):
    desk, marsh = staff["fontaine"], staff["marsh"]
    with pytest.raises(InvalidInput, match="identity and contact only"):
        intake.client_intake(user=desk, identity={"legal_name": "Lou Front"}, program="outpatient",
                             treating_id=marsh.pk)
    with pytest.raises(InvalidInput, match="choose the clinician"):
        intake.client_intake(user=desk, identity={"legal_name": "Lou Front"})
    cid = intake.client_intake(user=desk, identity={"legal_name": "Lou Front"}, contact={"phone": "253-555-0150"},
                               treating_id=marsh.pk)
    chart = charting.chart_open(user=marsh, client_id=cid)  # the clinician finds the client theirs
    assert chart["identity"]["legal_name"] == "Lou Front" and chart["contact"]["phone"] == "253-555-0150"


def test_portal_invitations_for_client_and_representative(staff, outbox):
    marsh = staff["marsh"]
    cid = full_intake(marsh, identity={"legal_name": "Tomas Young", "dob": years_ago(11)}, minor_consent="parent",
                      guardian={"name": "Rita Young", "relationship": "mother", "email": "rita@example.org"})
    client_login = intake.portal_invite(user=marsh, client_id=cid, relationship="self", username="tomas.y",
                                        email="tomas@example.org", base_url=BASE)
    parent_login = intake.portal_invite(user=marsh, client_id=cid, relationship="representative",
                                        username="rita.y", email="rita@example.org", base_url=BASE)
    assert client_login.role == "client" and parent_login.role == "representative"
    assert client_login.email == "" and not client_login.has_usable_password()  # the address is not kept
    assert set(ClientAccount.objects.filter(client_id=cid).values_list("relationship", flat=True)) == {
        "self", "representative"}
    mails = outbox()
    assert sorted(m["To"] for m in mails) == ["rita@example.org", "tomas@example.org"]
    to_client = next(m for m in mails if m["To"] == "tomas@example.org")
    link = re.search(r"http://confide\.test(/invitation/[^/\s]+/)",
                     to_client.get_payload(decode=True).decode()).group(1)
    web = Client()
    done = web.post(link, {"password": PASSWORD, "password_again": PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/portal/sign-in/on/?first=1"  # offered, optional
    assert web.get("/portal/").status_code == 200
    # someone with no relationship cannot attach a login to the client
    with pytest.raises(NotFound):
        intake.portal_invite(user=staff["okafor"], client_id=cid, relationship="self", username="intruder",
                             email="x@example.org", base_url=BASE)
    assert not User.objects.filter(username="intruder").exists()


def test_intake_pages_per_role(staff, outbox):
    assert signed_in(staff["pellham"]).get("/intake/").status_code == 404
    assert signed_in(staff["haddad"]).get("/intake/").status_code == 404
    desk = signed_in(staff["fontaine"]).get("/intake/").content.decode()
    assert "Clinician who will see them" in desk and "Program" not in desk and "Payment" not in desk
    web = signed_in(staff["marsh"])
    page = web.get("/intake/").content.decode()
    assert "Never ask why" in page and "42 CFR Part 2" in page and "Notice of privacy practices" in page
    bad = web.post("/intake/", {"legal_name": "", "program": "outpatient"})
    assert bad.status_code == 400 and "There is a problem" in bad.content.decode()
    ok = web.post("/intake/", {"legal_name": "Web Intake Person", "dob": years_ago(30), "phone": "253-555-0101",
                               "voicemail": "none", "text": "neutral", "email_level": "none", "postal": "home",
                               "pay": "self_pay", "restrict_payer": "on", "program": "outpatient",
                               "npp_how": "electronic", "limits_how": "verbal"})
    assert ok.status_code == 302 and ok["Location"].endswith("/portal/")
    invite = web.post(ok["Location"], {"relationship": "self", "username": "webintake", "email": "w@example.org"})
    assert invite.status_code == 302 and outbox()
