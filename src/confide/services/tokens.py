"""API tokens: random, shown once, stored as SHA-256; they expire (CONFIDE_TOKEN_DAYS,
30 by default), record their last use, can be listed and revoked, and are issued only
after the second factor: a staff account gives a current one-time code."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from django.conf import settings
from django_otp import user_has_device

from confide.apps.practice.models import ApiToken, User
from confide.core.errors import InvalidInput, NotFound, Unauthorized
from confide.services.audit import audit_append, audited_transaction
from confide.services.second_factor import totp_match

PORTAL_ROLES = ("client", "representative")
# A token's last use is written at most this often (a busy client must not write a
# row per request).
LAST_USE_GRANULARITY = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _record(user: User, action: str, token_ids: list[int]) -> None:
    audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role, action=action,
                 purpose="HOPERAT", detail={"tokens": token_ids})


def second_factor_needed(user: User) -> bool:
    """Staff give a code (when required); a portal login gives one if it turned its
    second factor on."""
    if user.role in PORTAL_ROLES:
        return user_has_device(user, confirmed=True)
    return bool(settings.CONFIDE["REQUIRE_OTP"])


def token_create(*, user: User, otp: str = "", name: str = "api", days: int | None = None) -> str:
    """Issue a token (shown once; only its hash is kept), after the second factor:
    staff give a current one-time code. Audited: token.issued."""
    if not user.is_active:
        raise InvalidInput("token: the account is disabled")
    if second_factor_needed(user) and totp_match(user, (otp or "").strip()) is None:
        raise Unauthorized("token: a current one-time code from the account's authenticator is needed")
    days = settings.CONFIDE["TOKEN_DAYS"] if days is None else days
    if not isinstance(days, int) or not 1 <= days <= 366:
        raise InvalidInput("token: lifetime is 1 to 366 days")
    token = "cfd_" + secrets.token_urlsafe(32)
    now = datetime.now(timezone.utc)
    with audited_transaction():
        row = ApiToken.objects.create(user=user, name=(name or "api")[:100], token_hash=_digest(token),
                                      expires_at=now + timedelta(days=days))
        _record(user, "token.issued", [row.pk])
    return token


def token_user(token: str) -> User | None:
    """The active user a live (unexpired, unrevoked) bearer token belongs to, or None.
    Records the token's last use."""
    if not token or len(token) > 200:
        return None
    now = datetime.now(timezone.utc)
    row = ApiToken.objects.select_related("user").filter(token_hash=_digest(token), revoked_at__isnull=True,
                                                         expires_at__gt=now).first()
    if row is None or not row.user.is_active:
        return None
    if row.last_used_at is None or now - row.last_used_at > LAST_USE_GRANULARITY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


def token_list(*, user: User) -> list[dict]:
    """The user's tokens, newest first: name, when issued, expires, last used, revoked."""
    now = datetime.now(timezone.utc)
    rows = ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
    return [{"id": r.pk, "name": r.name, "created_at": r.created_at, "expires_at": r.expires_at,
             "last_used_at": r.last_used_at, "revoked_at": r.revoked_at,
             "live": r.revoked_at is None and r.expires_at is not None and r.expires_at > now} for r in rows]


def token_revoke(*, user: User, token: str | None = None, token_id: int | None = None) -> bool:
    """Revoke one of the user's tokens, by the token itself or by its id (from
    `token_list`). Audited: token.revoked (when one was live). NotFound for an id
    that is not one of the user's tokens."""
    with audited_transaction():
        live = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
        if token_id is not None:
            if not ApiToken.objects.filter(user=user, pk=token_id).exists():
                raise NotFound()
            live = live.filter(pk=token_id)
        else:
            live = live.filter(token_hash=_digest(token or ""))
        ids = list(live.values_list("pk", flat=True))
        if ids:
            live.update(revoked_at=datetime.now(timezone.utc))
            _record(user, "token.revoked", ids)
    return bool(ids)


__all__ = ["token_create", "token_user", "token_list", "token_revoke", "second_factor_needed"]
