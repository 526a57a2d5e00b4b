"""API tokens: random, shown once, stored as SHA-256; they expire (CONFIDE_TOKEN_DAYS,
30 by default), record their last use, can be listed and revoked, and are issued only
after the second factor: a staff account gives a current one-time code."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django_otp import user_has_device

from confide.apps.practice.models import ApiToken, User
from confide.core.errors import InvalidInput, NotFound, Unauthorized
from confide.services.audit import audit_append, audited_transaction
from confide.services.database import model_from_row, planned_cursor, row_fields
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
    sql, token_fields, user_fields = _token_statement(connection.vendor)
    with planned_cursor() as cursor:
        cursor.execute(sql, [_digest(token), connection.ops.adapt_datetimefield_value(now)])
        row = cursor.fetchone()
    if row is None:
        return None
    found = model_from_row(ApiToken, token_fields, row[:len(token_fields)])
    user = model_from_row(User, user_fields, row[len(token_fields):])
    if not user.is_active:
        return None
    if found.last_used_at is None or now - found.last_used_at > LAST_USE_GRANULARITY:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return user


@lru_cache(maxsize=2)
def _token_statement(vendor: str) -> tuple[str, list, list]:
    """Every API request's first statement, written once per process and prepared on
    each connection (services.database.planned_cursor): the live token of a digest
    (its id and last use) with its user's row. The ORM's query for the same rows cost
    more than the rest of an authenticated no-op request: Django compiled it anew
    every time."""
    q = connection.ops.quote_name
    token = [ApiToken._meta.pk, ApiToken._meta.get_field("last_used_at")]
    user = list(User._meta.concrete_fields)
    f = {name: q(ApiToken._meta.get_field(name).column) for name in ("user", "token_hash", "revoked_at", "expires_at")}
    cols = [f"t.{q(x.column)}" for x in token] + [f"u.{q(x.column)}" for x in user]
    sql = (f"SELECT {', '.join(cols)} FROM {q(ApiToken._meta.db_table)} t "
           f"JOIN {q(User._meta.db_table)} u ON u.{q(User._meta.pk.column)} = t.{f['user']} "
           f"WHERE t.{f['token_hash']} = %s AND t.{f['revoked_at']} IS NULL AND t.{f['expires_at']} > %s "
           f"ORDER BY t.{q(ApiToken._meta.pk.column)} LIMIT 1")
    return sql, row_fields(ApiToken, token), row_fields(User, user)


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
