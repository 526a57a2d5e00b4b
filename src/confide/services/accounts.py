"""Sign-in accounts: created, changed, deactivated, given a second factor; each change
recorded in the audit chain of the account's practice, in the same transaction.

The events name the account by id and the fields that changed, never their values
(a portal login can be a client's name; a password is never written anywhere).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata

from confide.apps.practice.models import Practice, SealedTOTPDevice, User
from confide.core.crypto import decrypt_field, derive_subkey, encrypt_field, field_aad
from confide.core.errors import InvalidInput
from confide.services.audit import OPERATOR, audit_append, audited_transaction
from confide.services.keys import instance_key
from confide.services.second_factor import totp_device_create

PORTAL_ROLES = ("client", "representative")


def login_normal(login: str) -> str:
    """What makes two typed logins the same: Unicode NFKC, case folded, outer spaces gone."""
    return unicodedata.normalize("NFKC", login).strip().casefold()


def login_digest(login: str) -> str:
    """The keyed blind index of a portal login (HMAC-SHA256 under a subkey of the
    `accounts` instance key): equal logins find each other, the column reveals nothing."""
    key = derive_subkey(instance_key("accounts"), "login-index")
    return hmac.new(key, login_normal(login).encode("utf-8"), hashlib.sha256).hexdigest()


def _login_aad(handle: str) -> bytes:
    return field_aad("practice_user", "login_enc", handle)


def login_of(account: User) -> str:
    """The login a person types: a staff member's username, or a portal account's
    chosen name or email (decrypted)."""
    if account.login_enc is None:
        return account.username
    key = derive_subkey(instance_key("accounts"), "login-name")
    return decrypt_field(key, bytes(account.login_enc), aad=_login_aad(account.username))


def account_for_login(login: str) -> User | None:
    """The account a typed login names: a staff username, or a portal login through
    its blind index. The same two queries whether or not one exists."""
    if not isinstance(login, str) or not login.strip() or len(login) > 254:
        return None
    digest = login_digest(login)
    staff = User.objects.filter(username=login, login_digest__isnull=True).first()
    portal = User.objects.filter(login_digest=digest).first()
    return staff or portal


def _login_taken(login: str) -> bool:
    return (User.objects.filter(username=login).exists()
            or User.objects.filter(login_digest=login_digest(login)).exists())


def _portal_identity(account: User, login: str) -> None:
    """Give a portal account an opaque handle, its login's blind index and the login
    encrypted; no name or email in plain text."""
    account.username = "portal-" + secrets.token_hex(12)
    account.login_digest = login_digest(login)
    key = derive_subkey(instance_key("accounts"), "login-name")
    account.login_enc = encrypt_field(key, login.strip(), aad=_login_aad(account.username))
    account.full_name = account.email = account.first_name = account.last_name = ""

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
        if _login_taken(username):
            raise InvalidInput("username: already taken")
        account = User(username=username, role=role, practice=practice, full_name=full_name, email=email,
                       licence=licence, licensed=licensed)
        if role in PORTAL_ROLES:
            _portal_identity(account, username)
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
    if account.role in PORTAL_ROLES and {"full_name", "email"} & set(changes):
        raise InvalidInput("a portal account keeps no name or email in the clear (they live in the client record)")
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


def otp_device_enrol(*, actor: User | None, account: User, name: str = "authenticator") -> SealedTOTPDevice:
    """Give an account a confirmed TOTP second factor, its secret sealed under the
    master key. Audited: otp.enrolled."""
    with audited_transaction():
        device = totp_device_create(user=account, name=name)
        _record(actor, account, "otp.enrolled", {"device": device.pk})
    return device


def portal_logins_seal() -> int:
    """Move portal accounts made before logins were sealed to an opaque handle, a
    blind index and an encrypted login (their old username is the login they type);
    returns how many. Run once by the migration."""
    count = 0
    for account in User.objects.filter(role__in=PORTAL_ROLES, login_digest__isnull=True):
        _portal_identity(account, account.username)
        account.save()
        count += 1
    return count


__all__ = ["login_of", "login_digest", "account_for_login", "portal_logins_seal", "user_create", "user_change", "user_deactivate", "otp_device_enrol"]
