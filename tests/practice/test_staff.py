"""Staff administration: inviting (with the link through the outbox), accepting,
password and second-factor resets, role changes, deactivation that hands a caseload
over, unlocking; and the administrator still sees no client."""

from __future__ import annotations

import re
from email import message_from_bytes

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from confide.apps.practice.models import Invitation, SupervisionLink, User
from confide.apps.records.models import CareTeamMember
from confide.core.errors import Forbidden, InvalidInput
from confide.services import staff as staff_service
from confide.services.demo.data import DEMO_PASSWORD
from confide.services.practice import invitations
from tests.practice.helpers import PASSWORD, current_code
from tests.web.signin import signed_in

BASE = "http://confide.test"


@pytest.fixture
def outbox(settings, tmp_path):
    path = tmp_path / "outbox"
    settings.CONFIDE = {**settings.CONFIDE, "MESSAGE_OUTBOX_DIR": path, "MESSAGE_BACKEND": "file"}

    def read() -> list:
        return [message_from_bytes(p.read_bytes()) for p in sorted(path.glob("*.eml"))] if path.exists() else []
    return read


def link_in(mail) -> str:
    body = mail.get_payload(decode=True).decode()
    return re.search(r"http://confide\.test(/invitation/[^/\s]+/)", body).group(1)


def invite(admin, **overrides):
    values = {"username": "newclin", "full_name": "Nia Newcomb", "email": "nia@example.org", "role": "clinician",
              "licence": "LMHC", "licence_number": "LH-60412345", "base_url": BASE}
    return staff_service.staff_invite(user=admin, **{**values, **overrides})


def test_invitation_goes_through_the_outbox_and_reveals_nothing(staff, outbox):
    account = invite(staff["haddad"])
    assert not account.has_usable_password() and account.licensed and account.licence_number == "LH-60412345"
    [mail] = outbox()
    assert mail["To"] == "nia@example.org" and "HL Appointments" in mail["From"]
    body = mail.get_payload(decode=True).decode()
    assert "Counseling" not in body and "therap" not in body.lower()
    token = link_in(mail).split("/")[2]
    stored = Invitation.objects.get(user=account)
    assert token not in stored.token_hash and stored.purpose == "staff"


def test_the_invited_clinician_accepts_and_must_enrol(staff, outbox):
    invite(staff["haddad"])
    link = link_in(outbox()[0])
    web = Client()
    page = web.get(link)
    assert page.status_code == 200 and b"newclin" in page.content
    mismatch = web.post(link, {"password": PASSWORD, "password_again": PASSWORD + "x"})
    assert mismatch.status_code == 400 and b"the two passwords differ" in mismatch.content
    done = web.post(link, {"password": PASSWORD, "password_again": PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/enrol/"
    assert web.get("/clients/")["Location"] == "/enrol/"
    account = User.objects.get(username="newclin")
    web.get("/enrol/")
    assert web.post("/enrol/", {"code": current_code(account, confirmed=False)})["Location"] == "/"
    assert web.get("/clients/").status_code == 200
    # the link works once
    again = Client().get(link)
    assert again.status_code == 404 and b"expired or was already used" in again.content


def test_an_expired_or_reissued_link_is_dead(staff, outbox):
    account = invite(staff["haddad"])
    first = link_in(outbox()[0])
    staff_service.staff_reinvite(user=staff["haddad"], account_id=account.pk, base_url=BASE)
    second = link_in(outbox()[1])
    assert Client().get(first).status_code == 404
    Invitation.objects.filter(user=account, revoked_at__isnull=True).update(expires_at="2000-01-01T00:00:00Z")
    assert Client().get(second).status_code == 404
    with pytest.raises(InvalidInput, match="expired or was already used"):
        invitations.invitation_accept(token=second.split("/")[2], password=PASSWORD, password_again=PASSWORD)


@pytest.mark.parametrize("overrides, message", [
    ({"licence": "", "licence_number": ""}, "supervisor: a pre-licensed clinician needs"),
    ({"licence": "LMHC", "licence_number": ""}, "licence number: required"),
    ({"licence": "shaman"}, "licence: one of"),
    ({"role": "supervisor", "licence": "", "licence_number": ""}, "licence: a supervising clinician"),
    ({"role": "biller"}, "licence: only clinicians"),
    ({"email": "nope"}, "email:"),
    ({"username": "marsh"}, "username: already taken"),
    ({"role": "client"}, "role: choose a staff role"),
])
def test_bad_invitations_change_nothing(staff, outbox, counts, overrides, message):
    before = counts()
    with pytest.raises(InvalidInput) as caught:
        invite(staff["haddad"], **overrides)
    assert str(caught.value).startswith(message)
    assert counts() == before and outbox() == []


def test_a_pre_licensed_clinician_is_linked_to_a_supervisor(staff, outbox):
    account = invite(staff["haddad"], licence="", licence_number="", supervisor_id=staff["okafor"].pk)
    assert not account.licensed
    assert SupervisionLink.objects.filter(supervisor=staff["okafor"], supervisee=account).exists()


def test_only_the_admin_manages_staff(staff, outbox):
    for username in ("marsh", "okafor", "fontaine", "pellham"):
        with pytest.raises(Forbidden):
            invite(staff[username])
        assert signed_in(staff[username]).get("/staff/").status_code == 404


def test_deactivating_a_clinician_hands_over_their_clients(staff, cid):
    admin, marsh, okafor = staff["haddad"], staff["marsh"], staff["okafor"]
    theirs = set(CareTeamMember.objects.filter(staff=marsh, ended_at__isnull=True).values_list("client_id", flat=True))
    assert theirs
    with pytest.raises(InvalidInput, match="reassign: choose who takes over their 3 client"):
        staff_service.staff_deactivate(user=admin, account_id=marsh.pk)
    with pytest.raises(InvalidInput, match="reassign: choose an active licensed clinician"):
        staff_service.staff_deactivate(user=admin, account_id=marsh.pk, reassign_to=staff["lindqvist"].pk)
    assert staff_service.staff_deactivate(user=admin, account_id=marsh.pk, reassign_to=okafor.pk) == len(theirs)
    marsh.refresh_from_db()
    assert not marsh.is_active
    assert not CareTeamMember.objects.filter(staff=marsh, ended_at__isnull=True).exists()
    now_okafor = set(CareTeamMember.objects.filter(staff=okafor, ended_at__isnull=True).values_list("client_id", flat=True))
    assert theirs <= now_okafor  # nobody orphaned
    assert Client().post("/login/", {"username": "marsh", "password": DEMO_PASSWORD, "otp": ""}).status_code == 401


def test_a_supervisor_leaves_only_with_their_supervisees_handed_over(staff):
    admin = staff["haddad"]
    with pytest.raises(InvalidInput, match="supervisees need a supervising clinician"):
        staff_service.staff_deactivate(user=admin, account_id=staff["okafor"].pk, reassign_to=staff["marsh"].pk)


def test_role_change_password_reset_second_factor_reset_unlock(staff, outbox):
    admin, biller = staff["haddad"], staff["pellham"]
    staff_service.staff_role_change(user=admin, account_id=biller.pk, role="front_desk")
    biller.refresh_from_db()
    assert biller.role == "front_desk"
    with pytest.raises(InvalidInput, match="reassign their clients first"):
        staff_service.staff_role_change(user=admin, account_id=staff["marsh"].pk, role="biller")
    with pytest.raises(InvalidInput, match="another administrator first"):
        staff_service.staff_role_change(user=admin, account_id=admin.pk, role="biller")
    staff_service.staff_password_reset(user=admin, account_id=biller.pk, base_url=BASE)
    biller.refresh_from_db()
    assert not biller.has_usable_password() and outbox()[-1]["Subject"] == "Set a new password"
    staff_service.staff_second_factor_reset(user=admin, account_id=staff["fontaine"].pk)
    assert not TOTPDevice.objects.filter(user=staff["fontaine"]).exists()
    for _ in range(6):  # five free failures, the sixth starts a wait
        Client().post("/login/", {"username": "marsh", "password": "wrong-password", "otp": ""})
    assert [m for m in staff_service.staff_list(user=admin) if m["username"] == "marsh"][0]["locked"]
    staff_service.staff_unlock(user=admin, account_id=staff["marsh"].pk)
    assert not [m for m in staff_service.staff_list(user=admin) if m["username"] == "marsh"][0]["locked"]


def test_staff_pages_walk_for_the_admin_and_show_no_client(staff, cid, outbox):
    from confide.services.demo.data import CLIENTS

    web = signed_in(staff["haddad"])
    listing = web.get("/staff/")
    assert listing.status_code == 200 and b"Marsh" in listing.content and b"Invite a staff member" in listing.content
    names = [c["legal_name"] for c in CLIENTS] + [c["preferred_name"] for c in CLIENTS]
    for path in ("/staff/", f"/staff/{staff['marsh'].pk}/", "/staff/invite/"):
        body = web.get(path).content.decode()
        assert not [n for n in names if n in body], path
    bad = web.post("/staff/invite/", {"full_name": "X", "email": "x@example.org", "username": "xx1",
                                      "role": "clinician", "licence": "", "licence_number": "", "supervisor": ""})
    assert bad.status_code == 400 and b"pre-licensed clinician needs" in bad.content
    sent = web.post("/staff/invite/", {"full_name": "Ola Web", "email": "ola@example.org", "username": "olaweb",
                                       "role": "front_desk", "licence": "", "licence_number": "", "supervisor": ""})
    assert sent.status_code == 302
    member = web.get(sent["Location"])
    assert b"invited, not yet accepted" in member.content and b"Invitation sent" in member.content
    refused = web.post(f"/staff/{staff['marsh'].pk}/", {"action": "deactivate"})
    assert refused.status_code == 400 and b"choose who takes over" in refused.content
    assert web.get("/staff/999999/").status_code == 404
