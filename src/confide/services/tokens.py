"""API tokens: random, shown once, stored as SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timezone

from django.db import transaction

from confide.apps.practice.models import ApiToken, User
from confide.core.errors import InvalidInput


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def token_create(*, user: User, name: str = "api") -> str:
    if not user.is_active:
        raise InvalidInput("token: the account is disabled")
    token = "cfd_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.create(user=user, name=name[:100], token_hash=_digest(token))
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
    ApiToken.objects.filter(user=user, token_hash=_digest(token)).update(revoked_at=datetime.now(timezone.utc))
