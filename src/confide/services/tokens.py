"""API tokens: random, shown once, stored as SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timezone

from confide.apps.practice.models import ApiToken, User
from confide.core.errors import InvalidInput
from confide.services.audit import audit_append, audited_transaction


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _record(user: User, action: str, token_ids: list[int]) -> None:
    audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role, action=action,
                 purpose="HOPERAT", detail={"tokens": token_ids})


def token_create(*, user: User, name: str = "api") -> str:
    """Issue a token (shown once; only its hash is kept). Audited: token.issued."""
    if not user.is_active:
        raise InvalidInput("token: the account is disabled")
    token = "cfd_" + secrets.token_urlsafe(32)
    with audited_transaction():
        row = ApiToken.objects.create(user=user, name=name[:100], token_hash=_digest(token))
        _record(user, "token.issued", [row.pk])
    return token


def token_user(token: str) -> User | None:
    """The active user a bearer token belongs to, or None."""
    if not token or len(token) > 200:
        return None
    row = ApiToken.objects.select_related("user").filter(token_hash=_digest(token), revoked_at__isnull=True).first()
    if row is None or not row.user.is_active:
        return None
    return row.user


def token_revoke(*, user: User, token: str) -> None:
    """Revoke one of the user's tokens. Audited: token.revoked (when one was live)."""
    with audited_transaction():
        live = ApiToken.objects.filter(user=user, token_hash=_digest(token), revoked_at__isnull=True)
        ids = list(live.values_list("pk", flat=True))
        if ids:
            live.update(revoked_at=datetime.now(timezone.utc))
            _record(user, "token.revoked", ids)
