"""Signing in and out of the web app, each outcome recorded in the audit log.

A sign-in and its event commit together (the session row and the audit entry in one
transaction); a failure is recorded in the chain of the account's practice when the
login names an account, and in the chain of no practice when it names none. The
event never holds what was typed: no login name, no password, no code.
"""

from __future__ import annotations

import time

from django.contrib.auth import authenticate, login, logout
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from confide.apps.practice.models import User
from confide.services.audit import audit_append, audit_record, audited_transaction

PORTAL_ROLES = ("client", "representative")
# When the session's sign-in happened (seconds since the epoch): the absolute lifetime
# counts from it (web.middleware.SessionLifetimeMiddleware).
SIGNED_IN_AT = "confide.signed_in_at"


def _failed(request, username: str, reason: str) -> None:
    # The same lookup for a known and an unknown login (existence is secret, timing included).
    account = User.objects.filter(username=username).only("id", "role", "practice_id").first()
    locked = bool(getattr(request, "axes_locked_out", False))
    audit_record(practice_id=account.practice_id if account else None,
                 actor_id=str(account.pk) if account else "", actor_role=account.role if account else "",
                 action="auth.locked_out" if locked else "auth.sign_in_failed",
                 detail={"reason": "locked" if locked else reason, "known_login": account is not None})


def session_sign_in(*, request, username: str, password: str, otp: str, require_otp: bool) -> User | None:
    """Check the password (and, for staff when required, the one-time code) and start
    the session; None when sign-in fails. Audited: auth.signed_in, auth.sign_in_failed
    or auth.locked_out."""
    user = authenticate(request, username=username, password=password)
    if user is None:
        _failed(request, username, "password")
        return None
    device = None
    if user.role not in PORTAL_ROLES and require_otp and not user_has_device(user, confirmed=True):
        # A staff member with no authenticator yet (a new practice's admin, an invited
        # colleague, one whose authenticator the admin reset) is let in to enrol one and
        # to do nothing else (web.shell sends every staff page to the enrolment page).
        session_start(request=request, user=user, enrolment=True)
        return user
    if user.role not in PORTAL_ROLES and require_otp:
        device = match_token(user, otp)
        if device is None:
            _failed(request, username, "second_factor")
            return None
    with audited_transaction():
        login(request, user)
        request.session[SIGNED_IN_AT] = time.time()
        if device is not None:
            otp_login(request, device)
        audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role,
                     action="auth.signed_in", purpose="HOPERAT", detail={"second_factor": device is not None})
    return user


def session_start(*, request, user: User, enrolment: bool) -> None:
    """Start a session for someone who has just proved who they are another way (set
    their password from an invitation, created a practice): a staff member still has
    to enrol a second factor before any staff page opens. Audited: auth.signed_in."""
    with audited_transaction():
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session[SIGNED_IN_AT] = time.time()
        audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role,
                     action="auth.signed_in", purpose="HOPERAT",
                     detail={"second_factor": False, "enrolment": enrolment})


def session_second_factor(*, request, device) -> None:
    """Mark the session verified by a just-confirmed authenticator."""
    otp_login(request, device)


def session_sign_out(*, request) -> None:
    """End the session. Audited: auth.signed_out (nothing to record for no session)."""
    user = request.user if request.user.is_authenticated else None
    with audited_transaction():
        logout(request)
        if user is not None:
            audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role,
                         action="auth.signed_out", purpose="HOPERAT")


__all__ = ["session_sign_in", "session_start", "session_second_factor", "session_sign_out"]
