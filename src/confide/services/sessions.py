"""Signing in and out of the web app, each outcome recorded in the audit log.

A sign-in and its event commit together (the session row and the audit entry in one
transaction); a failure is recorded in the chain of the account's practice when the
login names an account, and in the chain of no practice when it names none. The
event never holds what was typed: no login name, no password, no code, no address.

Failures count the same whether the password or the second factor was wrong, and the
answer is always the same one line, so a refusal never confirms a password. Instead
of a lockout, each failure past the first few makes the next try wait longer, per
account and per network address (`SignInThrottle`, rows named by keyed digests);
while a wait runs, tries are refused unchecked and not counted. A practice admin (or
the operator: `confide signin unlock`) ends an account's wait.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.db import transaction
from django_otp import login as otp_login
from django_otp import user_has_device

from confide.apps.practice.models import SignInThrottle, User
from confide.core.crypto import derive_subkey
from confide.core.errors import Forbidden
from confide.services.accounts import account_for_login
from confide.services.audit import OPERATOR, audit_append, audit_record, audited_transaction
from confide.services.keys import instance_key
from confide.services.second_factor import totp_match

PORTAL_ROLES = ("client", "representative")
# When the session's sign-in happened (seconds since the epoch): the absolute lifetime
# counts from it (web.middleware.SessionLifetimeMiddleware).
SIGNED_IN_AT = "confide.signed_in_at"


@dataclass(frozen=True)
class Pace:
    """How failures slow the next try: `free` failures cost nothing, then each one
    doubles the wait from `first` seconds up to `most`; a quiet spell of `forget`
    seconds starts the count again."""

    free: int
    first: float
    most: float
    forget: float

    def wait(self, failures: int) -> float:
        if failures <= self.free:
            return 0.0
        return min(self.most, self.first * 2 ** (failures - self.free - 1))


# An account: five free tries, then 1 s, 2 s, ... at most a minute: an attacker holding
# an account up must keep guessing (each guess seen in the audit log), and its owner
# waits a minute at worst. An address: ten free tries, then up to fifteen minutes.
ACCOUNT_PACE = Pace(free=5, first=1.0, most=60.0, forget=15 * 60.0)
ADDRESS_PACE = Pace(free=10, first=1.0, most=15 * 60.0, forget=60 * 60.0)


def _digest(kind: str, value: str) -> str:
    key = derive_subkey(instance_key("accounts"), "sign-in-throttle")
    return hmac.new(key, f"{kind}:{value}".encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def _address(request) -> str:
    # REMOTE_ADDR: the peer, or the client behind CONFIDE_TRUSTED_PROXY (waitress sets it
    # from X-Forwarded-For only for that proxy). IPv6 counts by /64, one host's share.
    address = (request.META.get("REMOTE_ADDR") or "unknown") if request is not None else "operator"
    if ":" in address:
        address = ":".join(address.split(":")[:4])
    return address


def _keys(account: User | None, login_typed: str, request) -> list[tuple[str, Pace]]:
    who = f"user:{account.pk}" if account is not None else f"unknown:{login_typed.strip().casefold()}"
    return [(_digest("account", who), ACCOUNT_PACE), (_digest("address", _address(request)), ADDRESS_PACE)]


def _waiting(keys, now: datetime) -> bool:
    rows = SignInThrottle.objects.filter(digest__in=[k for k, _ in keys], wait_until__gt=now)
    return rows.exists()


def _count_failure(keys, now: datetime) -> None:
    with transaction.atomic():
        for digest, pace in keys:
            row = SignInThrottle.objects.select_for_update().filter(digest=digest).first()
            if row is None or (now - row.last_failure_at).total_seconds() > pace.forget:
                failures = 1
            else:
                failures = row.failures + 1
            SignInThrottle.objects.update_or_create(
                digest=digest, defaults={"failures": failures, "last_failure_at": now,
                                         "wait_until": now + timedelta(seconds=pace.wait(failures))})
        retention = timedelta(days=settings.CONFIDE["SIGN_IN_LOG_DAYS"])
        SignInThrottle.objects.filter(last_failure_at__lt=now - retention).delete()


def _failed(account: User | None, reason: str) -> None:
    audit_record(practice_id=account.practice_id if account else None,
                 actor_id=str(account.pk) if account else "", actor_role=account.role if account else "",
                 action="auth.sign_in_failed" if reason != "waiting" else "auth.locked_out",
                 detail={"reason": reason, "known_login": account is not None})


def session_sign_in(*, request, username: str, password: str, otp: str, require_otp: bool) -> User | None:
    """Check the password (and, for staff when required, the one-time code) and start
    the session; None when sign-in fails, for whatever reason. Audited:
    auth.signed_in, auth.sign_in_failed (reason password or second_factor) or
    auth.locked_out (a try during a wait, refused unchecked). A portal login that
    turned its second factor on gives its code too."""
    now = datetime.now(timezone.utc)
    account = account_for_login(username)
    keys = _keys(account, username, request)
    if _waiting(keys, now):
        _failed(account, "waiting")
        return None
    user = authenticate(request, username=account.username if account else username, password=password)
    device = None
    reason = ""
    if user is None:
        reason = "password"
    elif user.role not in PORTAL_ROLES and require_otp and not user_has_device(user, confirmed=True):
        # A staff member with no authenticator yet (a new practice's admin, an invited
        # colleague, one whose authenticator the admin reset) is let in to enrol one and
        # to do nothing else (web.shell sends every staff page to the enrolment page).
        SignInThrottle.objects.filter(digest=keys[0][0]).delete()
        session_start(request=request, user=user, enrolment=True)
        return user
    elif (user.role not in PORTAL_ROLES and require_otp) or \
            (user.role in PORTAL_ROLES and user_has_device(user, confirmed=True)):
        # Staff always (when required); a portal login when its owner turned one on.
        device = totp_match(user, otp)
        if device is None:
            reason = "second_factor"
    if reason:
        _count_failure(keys, datetime.now(timezone.utc))
        _failed(account, reason)
        return None
    with audited_transaction():
        SignInThrottle.objects.filter(digest=keys[0][0]).delete()
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


def sign_in_waiting(accounts) -> set[str]:
    """The usernames, of `accounts`, whose sign-in is waiting after failures now."""
    by_digest = {_digest("account", f"user:{a.pk}"): a.username for a in accounts}
    now = datetime.now(timezone.utc)
    rows = SignInThrottle.objects.filter(digest__in=list(by_digest), wait_until__gt=now)
    return {by_digest[d] for d in rows.values_list("digest", flat=True)}


def sign_in_forget(account: User) -> int:
    """Forget an account's failed sign-ins (its wait ends); how many rows went. The
    caller records why."""
    return SignInThrottle.objects.filter(digest=_digest("account", f"user:{account.pk}")).delete()[0]


def sign_in_unlock(*, actor: User | None, account: User) -> bool:
    """End the wait on an account's sign-in (the practice admin of its practice, or the
    operator when `actor` is None); True if it was waiting or had failures. Audited:
    auth.unlocked."""
    if actor is not None and (actor.role != "practice_admin" or actor.practice_id != account.practice_id):
        raise Forbidden("only the practice's admin can unlock its accounts")
    with audited_transaction():
        removed = sign_in_forget(account)
        actor_id, actor_role = (str(actor.pk), actor.role) if actor is not None else (OPERATOR, OPERATOR)
        audit_append(practice_id=account.practice_id, actor_id=actor_id, actor_role=actor_role,
                     action="auth.unlocked", purpose="HOPERAT", detail={"user": account.pk})
    return bool(removed)


def sign_in_records_prune(now: datetime | None = None) -> dict:
    """Delete what sign-ins leave behind once it no longer serves security: failure
    counters (keyed digests of account and address; never an address or a browser)
    whose last failure is older than CONFIDE_SIGN_IN_LOG_DAYS and whose wait is over,
    and sessions past their expiry. Run by the worker's periodic task and by
    `confide signin prune`; counts of what went. What remains of a sign-in is its
    audit event, which holds neither."""
    from django.contrib.sessions.models import Session

    now = now or datetime.now(timezone.utc)
    cutoff = now - timedelta(days=settings.CONFIDE["SIGN_IN_LOG_DAYS"])
    counters = SignInThrottle.objects.filter(last_failure_at__lt=cutoff, wait_until__lte=now).delete()[0]
    sessions = Session.objects.filter(expire_date__lt=now).delete()[0]
    return {"counters": counters, "sessions": sessions}


__all__ = ["session_sign_in", "sign_in_records_prune", "session_start", "session_second_factor", "session_sign_out", "sign_in_unlock",
           "ACCOUNT_PACE", "ADDRESS_PACE"]
