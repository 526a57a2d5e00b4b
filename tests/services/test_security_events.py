"""Security events go into the audit chains, with stable names, in the transaction of
what they record, and never with what was typed (no login name, password or code)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from confide.apps.practice.models import SealedTOTPDevice as TOTPDevice
from confide.services.second_factor import totp_code_now

from confide.apps.auditlog.models import AuditEvent
from confide.apps.practice.models import ApiToken
from confide.core.audit import NO_PRACTICE
from confide.core.errors import InvalidInput
from confide.services.accounts import otp_device_enrol, user_change, user_create, user_deactivate
from confide.services.audit import audit_verify
from confide.services.demo.data import DEMO_PASSWORD
from confide.services.tokens import token_revoke
from tests.conftest import issue_token


def events(chain) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(chain=str(chain)).order_by("seq"))


def new_events(chain, before: int) -> list[AuditEvent]:
    return [e for e in events(chain) if e.seq > before]


def head(chain) -> int:
    last = AuditEvent.objects.filter(chain=str(chain)).order_by("-seq").first()
    return last.seq if last else 0


def code(user) -> str:
    return totp_code_now(TOTPDevice.objects.get(user=user))


def sign_in(username, password, otp=""):
    return Client().post("/login/", {"username": username, "password": password, "otp": otp})


def test_sign_in_and_sign_out(staff):
    marsh = staff["marsh"]
    before = head(marsh.practice_id)
    client = Client()
    assert client.post("/login/", {"username": "marsh", "password": DEMO_PASSWORD, "otp": code(marsh)}).status_code == 302
    assert client.post("/logout/").status_code == 302
    got = [(e.action, e.actor, e.actor_role, e.detail) for e in new_events(marsh.practice_id, before)]
    assert got == [("auth.signed_in", str(marsh.pk), "clinician", {"second_factor": True}),
                   ("auth.signed_out", str(marsh.pk), "clinician", {})]


@pytest.mark.parametrize("username,password,otp,reason", [
    ("marsh", "wrong-password-here", "", "password"),
    ("marsh", DEMO_PASSWORD, "000000", "second_factor"),
])
def test_failed_sign_in_of_a_known_login_goes_to_its_practice(staff, username, password, otp, reason):
    marsh = staff["marsh"]
    before = head(marsh.practice_id)
    assert sign_in(username, password, otp).status_code == 401
    (event,) = new_events(marsh.practice_id, before)
    assert (event.action, event.actor, event.detail) == ("auth.sign_in_failed", str(marsh.pk),
                                                         {"reason": reason, "known_login": True})
    assert password not in event.body and "000000" not in event.body


def test_failed_sign_in_of_an_unknown_login_goes_to_the_chain_of_no_practice(staff):
    before = head(NO_PRACTICE)
    assert sign_in("elena.varga-trent@example.com", "whatever-password").status_code == 401
    (event,) = new_events(NO_PRACTICE, before)
    assert (event.action, event.actor, event.actor_role) == ("auth.sign_in_failed", "", "")
    assert event.detail == {"reason": "password", "known_login": False}
    assert "varga" not in event.body.lower()  # what was typed is never recorded


def test_a_try_during_a_wait_is_recorded_as_locked_out(staff, monkeypatch):
    from confide.services import sessions

    monkeypatch.setattr(sessions, "ACCOUNT_PACE", sessions.Pace(free=5, first=30.0, most=60.0, forget=900.0))
    pellham = staff["pellham"]
    before = head(pellham.practice_id)
    for _ in range(6):  # five free failures, then the sixth starts a wait
        sign_in("pellham", "not-the-password")
    assert sign_in("pellham", DEMO_PASSWORD, code(pellham)).status_code == 401  # refused unchecked, same answer
    actions = [e.action for e in new_events(pellham.practice_id, before)]
    assert actions == ["auth.sign_in_failed"] * 6 + ["auth.locked_out"]


def test_tokens_issued_and_revoked(staff):
    marsh = staff["marsh"]
    before = head(marsh.practice_id)
    token = issue_token(marsh, name="laptop")
    row = ApiToken.objects.get(user=marsh, name="laptop")
    token_revoke(user=marsh, token=token)
    token_revoke(user=marsh, token=token)  # nothing live: nothing to record
    got = [(e.action, e.detail) for e in new_events(marsh.practice_id, before)]
    assert got == [("token.issued", {"tokens": [row.pk]}), ("token.revoked", {"tokens": [row.pk]})]
    assert all(token not in e.body for e in events(marsh.practice_id))


def test_accounts_created_changed_deactivated_and_given_a_second_factor(staff):
    haddad = staff["haddad"]
    practice = haddad.practice
    before = head(practice.pk)
    account = user_create(actor=haddad, practice=practice, username="newhire", role="front_desk",
                          password="a long enough password", full_name="New Hire")
    otp_device_enrol(actor=haddad, account=account)
    user_change(actor=haddad, account=account, role="biller", password="another long password")
    user_deactivate(actor=haddad, account=account)
    got = [(e.action, e.actor, e.detail) for e in new_events(practice.pk, before)]
    device = TOTPDevice.objects.get(user=account)
    assert got == [
        ("user.created", str(haddad.pk), {"user": account.pk, "role": "front_desk"}),
        ("otp.enrolled", str(haddad.pk), {"user": account.pk, "device": device.pk}),
        ("user.changed", str(haddad.pk), {"user": account.pk, "fields": ["password", "role"]}),
        ("user.deactivated", str(haddad.pk), {"user": account.pk}),
    ]
    account.refresh_from_db()
    assert not account.is_active and account.role == "biller"
    assert not any("newhire" in e.body or "another long password" in e.body for e in events(practice.pk))
    assert audit_verify(checkpoint=False).ok


def test_a_refused_account_change_records_nothing(staff):
    haddad = staff["haddad"]
    before = head(haddad.practice_id)
    with pytest.raises(InvalidInput):
        user_create(actor=haddad, practice=haddad.practice, username="marsh", role="clinician", password=None)
    with pytest.raises(InvalidInput):
        user_change(actor=haddad, account=staff["marsh"], is_superuser=True)
    assert head(haddad.practice_id) == before


def test_the_demo_accounts_were_created_through_the_audited_service(staff):
    created = AuditEvent.objects.filter(chain=str(staff["marsh"].practice_id), action="user.created")
    assert {e.detail["user"] for e in created} >= {u.pk for u in staff.values() if u.practice_id}
    assert all(e.actor == "operator" for e in created)
    assert json.loads(created.first().body)["purpose"] == "HOPERAT"
