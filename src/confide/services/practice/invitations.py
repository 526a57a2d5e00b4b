"""Expiring, single-use links that let a person set their password: a staff member's
invitation, a portal login's (the client, or their representative), a password reset.

The link carries a random token; only its SHA-256 is stored, so the table cannot be
used to sign in. It goes out by email through the outbox (services.messages'
backend), signed with the practice's neutral sender name and saying nothing of what
kind of practice sent it. Accepting sets the password, uses the link up, and revokes
every other open link of the same account. Every step is audited in the practice's
chain, naming the account by id only."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from confide.apps.practice.models import Invitation, User
from confide.core.errors import InvalidInput
from confide.services.audit import OPERATOR, audit_append, audited_transaction
from confide.services.messages import Outgoing, message_backend, practice_sender
from confide.services.practice.setup import check_password
from confide.services.practice_time import human_datetime

LIFETIME = {"staff": timedelta(days=3), "portal": timedelta(days=7), "reset": timedelta(hours=24)}
SUBJECT = {"staff": "Your new account", "portal": "Your account for online access", "reset": "Set a new password"}
LEAD = {
    "staff": "You have been given an account. Open this link to choose your password; you will then set up "
             "an authenticator app on your phone.",
    "portal": "You have been invited to sign in online. Open this link to choose your password.",
    "reset": "A new password was requested for your account. Open this link to choose one.",
}
PATH = "/invitation/{token}/"


@dataclass(frozen=True)
class Sent:
    invitation_id: int
    expires_at: datetime
    outbox_ref: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _record(actor: User | None, account: User, action: str, detail: dict) -> None:
    actor_id, actor_role = (str(actor.pk), actor.role) if actor is not None else (OPERATOR, OPERATOR)
    audit_append(practice_id=account.practice_id, actor_id=actor_id, actor_role=actor_role, action=action,
                 purpose="HOPERAT", detail={"user": account.pk, **detail})


def invitation_send(*, actor: User | None, account: User, purpose: str, email: str, base_url: str) -> Sent:
    """Open a link for `account` and send it to `email` through the outbox. Earlier
    open links of the account are revoked. Audited: invitation.sent (never the address
    or the token). Call inside the caller's transaction or alone."""
    if purpose not in LIFETIME:
        raise InvalidInput(f"invitation: one of {', '.join(LIFETIME)}")
    if not isinstance(email, str) or "@" not in email or len(email) > 254:
        raise InvalidInput("email: an address is needed to send the link")
    if account.practice_id is None:
        raise InvalidInput("invitation: the account belongs to no practice")
    token = secrets.token_urlsafe(32)
    now = datetime.now(timezone.utc)
    expires = now + LIFETIME[purpose]
    with audited_transaction():
        Invitation.objects.filter(practice_id=account.practice_id, user=account, used_at__isnull=True,
                                  revoked_at__isnull=True).update(revoked_at=now)
        invitation = Invitation.objects.create(practice_id=account.practice_id, user=account, purpose=purpose,
                                               token_hash=_hash(token), created_by=actor, expires_at=expires)
        practice = account.practice
        text = (f"Hello,\n\n{LEAD[purpose]}\n\n{base_url.rstrip('/')}{PATH.format(token=token)}\n\n"
                f"The link works once, until {human_datetime(practice, expires)}. If you did not expect this "
                f"message, ignore it.\n\n{practice_sender(practice)}\n")
        ref = message_backend().deliver(Outgoing(message_id=uuid.uuid4().hex, channel="email", to=email,
                                                 subject=SUBJECT[purpose], text=text,
                                                 sender=practice_sender(practice)))
        _record(actor, account, "invitation.sent", {"purpose": purpose, "invitation": invitation.pk})
    return Sent(invitation_id=invitation.pk, expires_at=expires, outbox_ref=ref)


def _open(token: str) -> Invitation | None:
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    now = datetime.now(timezone.utc)
    return (Invitation.objects.select_related("user", "user__practice")
            .filter(token_hash=_hash(token), used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now,
                    user__is_active=True).first())


def invitation_check(token: str) -> dict | None:
    """What the acceptance page shows for a live link (who it is for, by login name);
    None for an unknown, used, revoked or expired one (all alike)."""
    found = _open(token)
    if found is None:
        return None
    return {"username": found.user.username, "purpose": found.purpose, "staff": found.user.is_staff_member,
            "practice": found.user.practice.name if found.user.is_staff_member else ""}


def invitation_accept(*, token: str, password: str, password_again: str) -> User:
    """Set the password from a live link and use the link up. Audited:
    invitation.accepted. A dead link: one line, nothing changed."""
    with audited_transaction():
        found = _open(token)
        if found is None:
            raise InvalidInput("link: this link has expired or was already used; ask for a new one")
        found = (Invitation.objects.select_for_update().select_related("user")
                 .get(pk=found.pk, practice_id=found.practice_id))
        if found.used_at is not None:
            raise InvalidInput("link: this link has expired or was already used; ask for a new one")
        if password != password_again:
            raise InvalidInput("password: the two passwords differ")
        account = found.user
        check_password(password, account)
        account.set_password(password)
        account.save(update_fields=["password"])
        now = datetime.now(timezone.utc)
        found.used_at = now
        found.save(update_fields=["used_at"])
        Invitation.objects.filter(practice_id=account.practice_id, user=account, used_at__isnull=True,
                                  revoked_at__isnull=True).update(revoked_at=now)
        _record(account, account, "invitation.accepted", {"purpose": found.purpose, "invitation": found.pk})
    return account


__all__ = ["Sent", "invitation_send", "invitation_check", "invitation_accept", "LIFETIME"]
