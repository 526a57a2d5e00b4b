"""Sign-in accounts: created, changed, deactivated, given a second factor; each change
recorded in the audit chain of the account's practice, in the same transaction.

The events name the account by id and the fields that changed, never their values
(a portal login can be a client's name; a password is never written anywhere).
"""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from confide.apps.practice.models import Practice, User
from confide.core.errors import InvalidInput
from confide.services.audit import OPERATOR, audit_append, audited_transaction

CHANGEABLE = ("role", "full_name", "email", "licence", "licensed", "password")
ROLES = {code for code, _ in User.ROLES}


def _actor(actor: User | None) -> tuple[str, str]:
    """Who did it: a signed-in user, or the operator at the command line."""
    return (str(actor.pk), actor.role) if actor is not None else (OPERATOR, OPERATOR)


def _record(actor: User | None, account: User, action: str, detail: dict) -> None:
    actor_id, actor_role = _actor(actor)
    audit_append(practice_id=account.practice_id, actor_id=actor_id, actor_role=actor_role, action=action,
                 purpose="HOPERAT", detail={"user": account.pk, **detail})


def user_create(*, actor: User | None, practice: Practice | None, username: str, role: str, password: str | None,
                full_name: str = "", email: str = "", licence: str = "", licensed: bool = False) -> User:
    """Create a sign-in account (staff, client or representative). Audited: user.created."""
    if role not in ROLES:
        raise InvalidInput(f"role: one of {', '.join(sorted(ROLES))}")
    if not isinstance(username, str) or not username.strip() or len(username) > 150:
        raise InvalidInput("username: 1 to 150 characters")
    with audited_transaction():
        if User.objects.filter(username=username).exists():
            raise InvalidInput("username: already taken")
        account = User(username=username, role=role, practice=practice, full_name=full_name, email=email,
                       licence=licence, licensed=licensed)
        if password is None:
            account.set_unusable_password()
        else:
            account.set_password(password)
        account.save()
        _record(actor, account, "user.created", {"role": role})
    return account


def user_change(*, actor: User | None, account: User, **changes) -> User:
    """Change an account's role, name, email, licence or password. Audited: user.changed,
    naming the fields (never their values)."""
    unknown = sorted(set(changes) - set(CHANGEABLE))
    if unknown:
        raise InvalidInput(f"{unknown[0]}: not a field that can be changed")
    if "role" in changes and changes["role"] not in ROLES:
        raise InvalidInput(f"role: one of {', '.join(sorted(ROLES))}")
    with audited_transaction():
        for name, value in changes.items():
            if name == "password":
                account.set_password(value)
            else:
                setattr(account, name, value)
        account.save()
        _record(actor, account, "user.changed", {"fields": sorted(changes)})
    return account


def user_deactivate(*, actor: User | None, account: User) -> None:
    """Stop an account from signing in (its records and audit trail stay). Audited:
    user.deactivated."""
    with audited_transaction():
        account.is_active = False
        account.save(update_fields=["is_active"])
        _record(actor, account, "user.deactivated", {})


def otp_device_enrol(*, actor: User | None, account: User, name: str = "authenticator") -> TOTPDevice:
    """Give an account a confirmed TOTP second factor. Audited: otp.enrolled."""
    with audited_transaction():
        device = TOTPDevice.objects.create(user=account, name=name[:64], confirmed=True)
        _record(actor, account, "otp.enrolled", {"device": device.pk})
    return device


__all__ = ["user_create", "user_change", "user_deactivate", "otp_device_enrol"]
