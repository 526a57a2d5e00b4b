"""The practice's people, as its administrator manages them: who works here, in which
role, under whose supervision; invitations, password and second-factor resets, role
changes, deactivation (a departing clinician's clients are handed to a colleague,
never left without one) and unlocking. Staff records hold no client information, and
nothing here reads any: a departing clinician's caseload is moved by id, counted,
never named."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from confide.apps.practice.models import ApiToken, SupervisionLink, User
from confide.apps.records.models import CareTeamMember
from confide.core.errors import Forbidden, InvalidInput
from confide.services import accounts
from confide.services.access import client_ref_for
from confide.services.audit import audit_append, audited_transaction
from confide.services.practice import invitations
from confide.services.practice.setup import check_username

ADMIN_ROLES = frozenset({"practice_admin"})
CLINICAL_ROLES = frozenset({"clinician", "supervisor"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _admin(user: User) -> None:
    if user.role not in ADMIN_ROLES or user.practice_id is None:
        raise Forbidden("only the practice administrator manages staff")


def _account(user: User, account_id) -> User:
    try:
        pk = int(account_id)
    except (TypeError, ValueError):
        pk = None
    account = User.objects.filter(pk=pk, practice_id=user.practice_id, role__in=User.STAFF_ROLES).first() \
        if pk is not None else None
    if account is None:
        raise InvalidInput("staff: no such staff member in this practice")
    return account


def _locked(accounts) -> set[str]:
    from confide.services.sessions import sign_in_waiting

    return sign_in_waiting(accounts)


def staff_list(*, user: User) -> list[dict]:
    """Every staff account of the user's practice, for its administrator; nothing for
    anyone else. Caseloads are counts (the admin sees no client)."""
    if user.role not in ADMIN_ROLES:
        return []
    supervisors = {link.supervisee_id: link.supervisor.full_name
                   for link in SupervisionLink.objects.filter(practice_id=user.practice_id).select_related("supervisor")}
    rows = list(User.objects.filter(practice_id=user.practice_id, role__in=User.STAFF_ROLES).order_by("full_name", "pk"))
    locked = _locked(list(rows))
    caseload: dict[int, int] = {}
    for staff_id in CareTeamMember.objects.filter(practice_id=user.practice_id, ended_at__isnull=True,
                                                  relationship="treating").values_list("staff_id", flat=True):
        caseload[staff_id] = caseload.get(staff_id, 0) + 1
    enrolled = set(TOTPDevice.objects.filter(user__in=rows, confirmed=True).values_list("user_id", flat=True))
    return [{"id": u.pk, "name": u.full_name or u.username, "username": u.username, "role": u.role,
             "licence": u.licence, "licence_number": u.licence_number, "licensed": u.licensed, "email": u.email,
             "active": u.is_active, "supervisor": supervisors.get(u.pk), "locked": u.username in locked,
             "second_factor": u.pk in enrolled, "invited": not u.has_usable_password() and u.is_active,
             "caseload": caseload.get(u.pk, 0)} for u in rows]


def staff_get(*, user: User, account_id) -> dict:
    _admin(user)
    account = _account(user, account_id)
    return next(r for r in staff_list(user=user) if r["id"] == account.pk)


def supervisors_of(user: User) -> list[User]:
    """Active supervising clinicians of the practice (for the supervisor link)."""
    return list(User.objects.filter(practice_id=user.practice_id, role="supervisor", is_active=True)
                .order_by("full_name", "pk"))


def clinicians_of(user: User, *, excluding=None) -> list[User]:
    """Active licensed clinicians and supervisors who can take over a caseload."""
    rows = User.objects.filter(practice_id=user.practice_id, role__in=CLINICAL_ROLES, is_active=True, licensed=True)
    if excluding is not None:
        rows = rows.exclude(pk=excluding)
    return list(rows.order_by("full_name", "pk"))


def treating_clinicians(user: User) -> list[User]:
    """Active clinicians and supervisors (licensed or not) a new client can be booked with."""
    return list(User.objects.filter(practice_id=user.practice_id, role__in=CLINICAL_ROLES, is_active=True)
                .order_by("full_name", "pk"))


def staff_invite(*, user: User, username: str, full_name: str, email: str, role: str, licence: str = "",
                 licence_number: str = "", supervisor_id=None, base_url: str) -> User:
    """Create a staff account with no password and send its invitation (an expiring
    link, through the outbox). A licence type makes a clinician licensed; a
    clinician without one is pre-licensed and must be linked to a supervisor."""
    _admin(user)
    username = check_username(username)
    if role not in User.STAFF_ROLES:
        raise InvalidInput("role: choose a staff role")
    full_name = (full_name or "").strip()
    if not full_name or len(full_name) > 200:
        raise InvalidInput("full name: 1 to 200 characters")
    email = (email or "").strip()
    if not _EMAIL.match(email) or len(email) > 254:
        raise InvalidInput("email: give an address such as name@example.org; the invitation goes there")
    licence, licence_number = (licence or "").strip(), (licence_number or "").strip()
    if licence and licence not in User.LICENSED:
        raise InvalidInput(f"licence: one of {', '.join(User.LICENSED)}")
    if licence and not licence_number:
        raise InvalidInput("licence number: required with a licence type")
    if len(licence_number) > 60:
        raise InvalidInput("licence number: at most 60 characters")
    if role == "supervisor" and not licence:
        raise InvalidInput("licence: a supervising clinician must be licensed")
    if role not in CLINICAL_ROLES and (licence or supervisor_id):
        raise InvalidInput("licence: only clinicians carry a licence or a supervisor")
    supervisor = None
    if role == "clinician" and not licence:
        if not supervisor_id:
            raise InvalidInput("supervisor: a pre-licensed clinician needs a supervising clinician")
    if supervisor_id:
        supervisor = next((s for s in supervisors_of(user) if str(s.pk) == str(supervisor_id)), None)
        if supervisor is None:
            raise InvalidInput("supervisor: choose a supervising clinician of this practice")
    with audited_transaction():
        account = accounts.user_create(actor=user, practice=user.practice, username=username, role=role,
                                       password=None, full_name=full_name, email=email, licence=licence,
                                       licensed=bool(licence))
        if licence_number:
            account.licence_number = licence_number
            account.save(update_fields=["licence_number"])
        if supervisor is not None:
            SupervisionLink.objects.create(practice_id=user.practice_id, supervisor=supervisor, supervisee=account)
            audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role,
                         action="supervision.linked", purpose="HOPERAT",
                         detail={"supervisor": supervisor.pk, "supervisee": account.pk})
        invitations.invitation_send(actor=user, account=account, purpose="staff", email=email, base_url=base_url)
    return account


def staff_reinvite(*, user: User, account_id, base_url: str) -> None:
    """Send a fresh invitation to someone who has not accepted theirs yet."""
    _admin(user)
    account = _account(user, account_id)
    if account.has_usable_password():
        raise InvalidInput("invitation: they already set a password; reset it instead")
    invitations.invitation_send(actor=user, account=account, purpose="staff", email=account.email, base_url=base_url)


def staff_password_reset(*, user: User, account_id, base_url: str) -> None:
    """The current password stops working; a reset link goes to their email."""
    _admin(user)
    account = _account(user, account_id)
    if not account.is_active:
        raise InvalidInput("password: reactivate the account first")
    if not account.email:
        raise InvalidInput("password: this account has no email for the link")
    with audited_transaction():
        account.set_unusable_password()
        account.save(update_fields=["password"])
        invitations.invitation_send(actor=user, account=account, purpose="reset", email=account.email,
                                    base_url=base_url)


def staff_second_factor_reset(*, user: User, account_id) -> None:
    """Remove a lost authenticator: they enrol a new one at their next sign-in (with
    their password). Audited: otp.reset."""
    _admin(user)
    account = _account(user, account_id)
    if account.pk == user.pk:
        raise InvalidInput("second factor: another administrator must reset your own")
    with audited_transaction():
        removed = TOTPDevice.objects.filter(user=account).delete()[0]
        audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role, action="otp.reset",
                     purpose="HOPERAT", detail={"user": account.pk, "devices": removed})


def _other_admins(user: User, account: User) -> bool:
    return User.objects.filter(practice_id=user.practice_id, role="practice_admin", is_active=True) \
        .exclude(pk=account.pk).exists()


def staff_role_change(*, user: User, account_id, role: str) -> None:
    """Change a staff member's role. A clinician with clients keeps them only in a
    clinical role; the practice always keeps one administrator."""
    _admin(user)
    account = _account(user, account_id)
    if role not in User.STAFF_ROLES:
        raise InvalidInput("role: choose a staff role")
    if role == account.role:
        raise InvalidInput("role: that is already their role")
    if account.role == "practice_admin" and not _other_admins(user, account):
        raise InvalidInput("role: the practice needs another administrator first")
    if account.role in CLINICAL_ROLES and role not in CLINICAL_ROLES and \
            CareTeamMember.objects.filter(practice_id=user.practice_id, staff=account, ended_at__isnull=True).exists():
        raise InvalidInput("role: reassign their clients first (deactivate with a colleague to take them over)")
    if role == "supervisor" and not account.licensed:
        raise InvalidInput("role: a supervising clinician must be licensed")
    accounts.user_change(actor=user, account=account, role=role)


def staff_deactivate(*, user: User, account_id, reassign_to=None) -> int:
    """Stop an account from signing in. A clinician's clients are handed to
    `reassign_to` (an active licensed clinician) first, and a supervisor's
    supervisees too: nobody's client is left without a treating clinician. Their API
    tokens and open invitations are revoked. Returns how many clients moved."""
    _admin(user)
    account = _account(user, account_id)
    if account.pk == user.pk:
        raise InvalidInput("deactivate: another administrator must deactivate you")
    if not account.is_active:
        raise InvalidInput("deactivate: already inactive")
    if account.role == "practice_admin" and not _other_admins(user, account):
        raise InvalidInput("deactivate: the practice needs another administrator first")
    caseload = list(CareTeamMember.objects.filter(practice_id=user.practice_id, staff=account, ended_at__isnull=True,
                                                  relationship="treating"))
    supervisees = list(SupervisionLink.objects.filter(practice_id=user.practice_id, supervisor=account))
    target = None
    if caseload or supervisees:
        if not reassign_to:
            raise InvalidInput(f"reassign: choose who takes over their {len(caseload)} client(s)"
                               + (f" and {len(supervisees)} supervisee(s)" if supervisees else ""))
        target = next((c for c in clinicians_of(user, excluding=account.pk) if str(c.pk) == str(reassign_to)), None)
        if target is None:
            raise InvalidInput("reassign: choose an active licensed clinician of this practice")
        if supervisees and target.role != "supervisor":
            raise InvalidInput("reassign: their supervisees need a supervising clinician")
    now = datetime.now(timezone.utc)
    with audited_transaction():
        for member in caseload:
            member.ended_at = now
            member.save(update_fields=["ended_at"])
            taken, created = CareTeamMember.objects.get_or_create(
                practice_id=member.practice_id, client_id=member.client_id, staff=target, relationship="treating",
                defaults={"ended_at": None})
            if not created and taken.ended_at is not None:
                taken.ended_at = None
                taken.save(update_fields=["ended_at"])
            audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role,
                         action="care_team.reassigned", purpose="HOPERAT",
                         client_ref=client_ref_for(user, member.client_id),
                         detail={"from": account.pk, "to": target.pk})
        for link in supervisees:
            if link.supervisee_id != target.pk:
                SupervisionLink.objects.get_or_create(practice_id=user.practice_id, supervisor=target,
                                                      supervisee_id=link.supervisee_id)
            SupervisionLink.objects.filter(practice_id=user.practice_id, pk=link.pk).delete()
            audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role,
                         action="supervision.reassigned", purpose="HOPERAT",
                         detail={"supervisee": link.supervisee_id, "from": account.pk, "to": target.pk})
        ApiToken.objects.filter(user=account, revoked_at__isnull=True).update(revoked_at=now)
        account.invitations.filter(practice_id=account.practice_id, used_at__isnull=True,
                                   revoked_at__isnull=True).update(revoked_at=now)
        accounts.user_deactivate(actor=user, account=account)
    return len(caseload)


def staff_unlock(*, user: User, account_id) -> None:
    """Lift a lockout after repeated failed sign-ins. Audited: user.unlocked."""
    _admin(user)
    account = _account(user, account_id)
    with audited_transaction():
        from confide.services.sessions import sign_in_forget

        cleared = sign_in_forget(account)
        audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role,
                     action="user.unlocked", purpose="HOPERAT", detail={"user": account.pk, "cleared": cleared})


def staff_has_second_factor(account: User) -> bool:
    return user_has_device(account, confirmed=True)
