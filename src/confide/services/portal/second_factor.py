"""A portal login's optional second factor: a TOTP authenticator the client (or their
representative) may turn on when they accept their invitation or later, from their
portal's sign-in page. Staff must have one; a portal login chooses.

Turning it on shows a pending authenticator (QR code and typed key) until the person
proves it with a current code; once confirmed, its secret is never shown again and
every later sign-in asks for its code. Turning it off needs a current code too, so a
session left open is not enough to weaken the account. Someone who lost their phone
asks the practice: the practice admin removes it by the login name they give
(`portal_factor_reset`), which names no client and shows the admin nothing else.

Every change is audited in the practice's chain, naming the account by id only:
otp.enrolled, otp.removed (by its owner), otp.reset (by the admin)."""

from __future__ import annotations

from dataclasses import dataclass

from django_otp import user_has_device

from confide.apps.practice.models import SealedTOTPDevice, User
from confide.core.errors import Forbidden, InvalidInput
from confide.services.accounts import account_for_login
from confide.services.audit import audit_append, audited_transaction
from confide.services.practice.enrolment import Enrolment, pending_authenticator, pending_confirm
from confide.services.second_factor import totp_match

PORTAL_ROLES = ("client", "representative")


@dataclass(frozen=True)
class FactorStatus:
    on: bool  # a confirmed authenticator: every sign-in asks for its code


def _portal(user: User) -> None:
    if not user.is_authenticated or user.role not in PORTAL_ROLES:
        raise Forbidden("second factor: only a portal login chooses its own here")


def portal_factor_status(*, user: User) -> FactorStatus:
    _portal(user)
    return FactorStatus(on=user_has_device(user, confirmed=True))


def portal_factor_needed(user: User) -> bool:
    """Whether a sign-in of this portal login must give a one-time code."""
    return user.role in PORTAL_ROLES and user_has_device(user, confirmed=True)


def portal_factor_start(*, user: User) -> Enrolment:
    """The pending authenticator to scan (made on first call, the same one until it is
    confirmed); refused when one is already on."""
    _portal(user)
    if user_has_device(user, confirmed=True):
        raise InvalidInput("second factor: already on; turn it off first to use another phone")
    return pending_authenticator(user)


def portal_factor_confirm(*, user: User, code: str) -> SealedTOTPDevice:
    """Turn the second factor on with a current code from the pending authenticator.
    Audited: otp.enrolled."""
    _portal(user)
    if user_has_device(user, confirmed=True):
        raise InvalidInput("second factor: already on")
    return pending_confirm(user=user, code=code)


def portal_factor_off(*, user: User, code: str) -> int:
    """Turn the second factor off; a current code from it is needed. Returns how many
    authenticators went. Audited: otp.removed."""
    _portal(user)
    if not user_has_device(user, confirmed=True):
        raise InvalidInput("second factor: it is already off")
    code = (code or "").replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        raise InvalidInput("code: the six digits your authenticator app shows")
    if totp_match(user, code) is None:
        raise InvalidInput("code: not the current code; check the time on your phone and try again")
    with audited_transaction():
        removed = SealedTOTPDevice.objects.filter(user=user).delete()[0]
        audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role,
                     action="otp.removed", purpose="HOPERAT", detail={"user": user.pk, "devices": removed})
    return removed


NO_FACTOR = "login: no portal login of this practice by that name has a second factor on"


def portal_factor_reset(*, user: User, username: str) -> None:
    """The practice admin removes a portal login's second factor (its owner lost their
    phone and proved who they are to the practice another way): they sign in with their
    password alone and may turn it on again. Named by the login name the person gives;
    an unknown name, a staff login, another practice's or one without a second factor
    all get the same one line. Audited: otp.reset."""
    if not user.is_authenticated or user.role != "practice_admin" or not user.is_active:
        raise Forbidden("second factor: only the practice's admin resets a portal login's")
    name = (username or "").strip()
    if not name or len(name) > 150:
        raise InvalidInput("login: the portal login name they sign in with")
    found = account_for_login(name)
    account = found if found is not None and found.practice_id == user.practice_id \
        and found.role in PORTAL_ROLES else None
    if account is None or not user_has_device(account, confirmed=True):
        raise InvalidInput(NO_FACTOR)
    with audited_transaction():
        removed = SealedTOTPDevice.objects.filter(user=account).delete()[0]
        audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role, action="otp.reset",
                     purpose="HOPERAT", detail={"user": account.pk, "devices": removed, "portal": True})


__all__ = ["FactorStatus", "portal_factor_status", "portal_factor_needed", "portal_factor_start",
           "portal_factor_confirm", "portal_factor_off", "portal_factor_reset", "NO_FACTOR"]
