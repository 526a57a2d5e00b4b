"""A portal login's optional second factor: offered after the invitation, turned on
with a current code, asked for at every later sign-in, turned off only with a current
code, and removed by the practice admin (by login name, audited) when the phone is
lost."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from confide.apps.auditlog.models import AuditEvent
from confide.apps.practice.models import SealedTOTPDevice
from confide.core.errors import Forbidden, InvalidInput
from confide.services import tokens
from confide.services.accounts import login_of
from confide.services.demo.data import DEMO_PASSWORD
from confide.services.portal import second_factor
from confide.services.second_factor import totp_code_now
from tests.web.signin import signed_in


@pytest.fixture(autouse=True)
def no_throttle(settings):
    """A wrong code makes django-otp wait a second before the next try; these tests try
    at once (the throttle itself is django-otp's, tested there)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _pending_code(user) -> str:
    return totp_code_now(SealedTOTPDevice.objects.get(user=user, confirmed=False))


def _next_code(device) -> str:
    """The code the authenticator shows next (a code once accepted is refused again,
    and the device accepts one step ahead): what the person types at their next try."""
    from django_otp.oath import totp

    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - device.step, digits=device.digits):06d}"


def _turned_on(user):
    second_factor.portal_factor_start(user=user)
    return second_factor.portal_factor_confirm(user=user, code=_pending_code(user))


def _sign_in(user, otp: str = "") -> Client:
    web = Client()
    web.post("/login/", {"username": login_of(user), "password": DEMO_PASSWORD, "otp": otp})
    return web


def _actions(action: str) -> list[dict]:
    return [e.detail for e in AuditEvent.objects.filter(action=action).order_by("seq")]


def test_turning_it_on_needs_the_current_code_of_the_pending_authenticator(staff):
    client = staff["lvarga"]
    assert second_factor.portal_factor_status(user=client).on is False
    first = second_factor.portal_factor_start(user=client)
    again = second_factor.portal_factor_start(user=client)
    assert first.device_id == again.device_id and first.secret == again.secret  # the same until confirmed
    assert "otpauth://totp/" in first.otpauth_url and "<svg" in first.qr_svg
    with pytest.raises(InvalidInput, match="six digits"):
        second_factor.portal_factor_confirm(user=client, code="12ab56")
    wrong = f"{(int(_pending_code(client)) + 1) % 1_000_000:06d}"
    with pytest.raises(InvalidInput, match="not the current code"):
        second_factor.portal_factor_confirm(user=client, code=wrong)
    assert second_factor.portal_factor_status(user=client).on is False
    device = second_factor.portal_factor_confirm(user=client, code=_pending_code(client))
    assert device.confirmed and second_factor.portal_factor_status(user=client).on
    assert _actions("otp.enrolled")[-1] == {"user": client.pk, "device": device.pk}
    with pytest.raises(InvalidInput, match="already on"):
        second_factor.portal_factor_start(user=client)


def test_staff_cannot_use_the_portal_choice(staff):
    with pytest.raises(Forbidden):
        second_factor.portal_factor_start(user=staff["marsh"])
    with pytest.raises(Forbidden):
        second_factor.portal_factor_off(user=staff["marsh"], code="123456")


def test_once_on_every_sign_in_asks_for_the_code(staff):
    client = staff["lvarga"]
    device = _turned_on(client)
    assert "_auth_user_id" not in _sign_in(client).session  # password alone: refused
    assert _actions("auth.sign_in_failed")[-1]["reason"] == "second_factor"
    web = _sign_in(client, _next_code(device))
    assert web.get("/portal/").status_code == 200
    # API tokens too, for a portal login with the second factor on
    with pytest.raises(Exception, match="one-time code"):
        tokens.token_create(user=client, otp="")


def test_a_client_without_it_still_signs_in_with_the_password_alone(staff):
    assert _sign_in(staff["lvarga"]).get("/portal/").status_code == 200


def test_turning_it_off_needs_a_current_code_and_is_audited(staff):
    client = staff["lvarga"]
    device = _turned_on(client)
    with pytest.raises(InvalidInput, match="not the current code"):
        second_factor.portal_factor_off(user=client, code=f"{(int(_next_code(device)) + 1) % 1_000_000:06d}")
    assert second_factor.portal_factor_status(user=client).on
    assert second_factor.portal_factor_off(user=client, code=_next_code(device)) == 1
    assert not SealedTOTPDevice.objects.filter(user=client).exists()
    assert _actions("otp.removed")[-1] == {"user": client.pk, "devices": 1}
    with pytest.raises(InvalidInput, match="already off"):
        second_factor.portal_factor_off(user=client, code="123456")


def test_the_admin_resets_a_lost_one_by_login_name_only(staff):
    client, admin = staff["lvarga"], staff["haddad"]
    _turned_on(client)
    for who in ("marsh", "okafor", "fontaine"):  # only the practice admin
        with pytest.raises(Forbidden):
            second_factor.portal_factor_reset(user=staff[who], username="lvarga")
    for name in ("nobody-here", "awhitford", "marsh"):  # unknown, no second factor, staff: one answer
        with pytest.raises(InvalidInput) as refused:
            second_factor.portal_factor_reset(user=admin, username=name)
        assert str(refused.value) == second_factor.NO_FACTOR
    second_factor.portal_factor_reset(user=admin, username=" LVarga ")
    assert not SealedTOTPDevice.objects.filter(user=client).exists()
    assert _actions("otp.reset")[-1] == {"user": client.pk, "devices": 1, "portal": True}
    assert _sign_in(client).get("/portal/").status_code == 200


def test_another_practices_admin_cannot_reset_it(staff, other_practice):
    from confide.apps.practice.models import User

    _turned_on(staff["lvarga"])
    admin = User.objects.create(username="elsewhere-admin", role="practice_admin", practice=other_practice["practice"])
    with pytest.raises(InvalidInput):
        second_factor.portal_factor_reset(user=admin, username="lvarga")
    assert SealedTOTPDevice.objects.filter(user=staff["lvarga"], confirmed=True).exists()


# The pages


def test_the_pages_turn_it_on_and_off(staff):
    client = staff["lvarga"]
    web = signed_in(client)
    page = web.get("/portal/sign-in/").content.decode()
    assert "You sign in with your password alone." in page
    shown = web.get("/portal/sign-in/on/").content.decode()
    secret = re.search(r'id="secret">([A-Z2-7 ]+)<', shown).group(1)
    bad = web.post("/portal/sign-in/on/", {"code": "abc"})
    assert bad.status_code == 400 and "the six digits your authenticator app shows" in bad.content.decode()
    assert secret in bad.content.decode()  # the same pending key, to try again
    done = web.post("/portal/sign-in/on/", {"code": _pending_code(client)}, follow=True)
    assert "Your second factor is on" in done.content.decode()
    device = SealedTOTPDevice.objects.get(user=client, confirmed=True)
    assert secret.replace(" ", "") not in web.get("/portal/sign-in/").content.decode().replace(" ", "")
    # this session gave the code: it stays signed in
    assert web.get("/portal/").status_code == 200
    refused = web.post("/portal/sign-in/off/", {"code": ""})
    assert refused.status_code == 400 and SealedTOTPDevice.objects.filter(user=client).exists()
    off = web.post("/portal/sign-in/off/", {"code": _next_code(device)}, follow=True)
    assert "Your second factor is off" in off.content.decode()
    assert not SealedTOTPDevice.objects.filter(user=client).exists()


def test_a_parent_chooses_for_their_own_login(staff):
    web = signed_in(staff["acastellanos"])
    assert web.get("/portal/sign-in/").status_code == 200
    assert web.get("/portal/sign-in/on/").status_code == 200


def test_staff_are_sent_away_from_the_portal_choice(staff):
    assert signed_in(staff["marsh"]).get("/portal/sign-in/")["Location"] == "/"
    assert Client().get("/portal/sign-in/")["Location"].startswith("/login/")


def test_a_session_without_the_code_ends(staff):
    """A session begun another way (a password set from a reset link) does not stand
    for a login whose second factor is on: the next page signs it out."""
    client = staff["lvarga"]
    web = signed_in(client)
    _turned_on(client)
    away = web.get("/portal/")
    assert away.status_code == 302 and away["Location"].startswith("/login/")
    assert "_auth_user_id" not in web.session


def test_the_admin_page_resets_by_login_name(staff):
    _turned_on(staff["lvarga"])
    admin = signed_in(staff["haddad"])
    assert admin.get("/staff/portal-second-factor/").status_code == 200
    bad = admin.post("/staff/portal-second-factor/", {"login": "nobody-here"})
    assert bad.status_code == 400 and second_factor.NO_FACTOR in bad.content.decode()
    done = admin.post("/staff/portal-second-factor/", {"login": "lvarga"}, follow=True)
    assert "Their second factor was removed" in done.content.decode()
    assert not SealedTOTPDevice.objects.filter(user=staff["lvarga"]).exists()
    assert signed_in(staff["marsh"]).get("/staff/portal-second-factor/").status_code == 404


def test_the_admin_page_answers_alike_for_no_such_login_a_staff_login_and_one_without_a_second_factor(staff):
    """The page must not tell the admin which portal logins exist: only a login whose
    second factor is on (which its owner told them about) answers differently."""
    from tests.web.signin import without_csrf

    admin = signed_in(staff["haddad"])
    answers = {name: admin.post("/staff/portal-second-factor/", {"login": name})
               for name in ("nobody-here", "awhitford", "marsh", "acastellanos")}
    bodies = {name: (r.status_code, without_csrf(r.content)) for name, r in answers.items()}
    assert len(set(bodies.values())) == 1, {k: v[0] for k, v in bodies.items()}
    assert bodies["nobody-here"][0] == 400
