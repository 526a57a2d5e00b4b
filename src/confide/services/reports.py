"""The client's access report: who, by role, opened their record and when."""

from __future__ import annotations

from confide.apps.practice.models import User
from confide.apps.records.models import ClientAccount
from confide.core.errors import NotFound
from confide.services import access
from confide.services.audit import practice_events

ROLE_LABELS = dict(User.ROLES)


def access_report(*, user: User, client_id) -> list[dict]:
    """Every permitted access to the client's record, newest first, including
    break-glass. Available to the client and their treating clinicians.

    Read from the practice's audit chain: every access to the client is in the chain
    of the client's practice, under the practice's pseudonym of the client. This
    report's own access is recorded as it commits, so it lists what came before it."""
    with access.governed(user=user, client_id=client_id, action="read", purpose=access.default_purpose(user),
                         categories={"fact_of_treatment"}, detail={"view": "access_report"}) as ok:
        ref = access.client_ref_for(user, ok.client.id)
        events = list(practice_events(practice_id=ok.client.practice_id, client_ref=ref, decision="permit")[:1000])
        names = dict(User.objects.filter(pk__in={int(e.actor) for e in events if e.actor.isdigit()})
                     .values_list("pk", "full_name"))
        own = set(ClientAccount.objects.filter(practice_id=ok.client.practice_id, client_id=ok.client.id)
                  .values_list("user_id", flat=True))
    out = []
    for e in events:
        actor_pk = int(e.actor) if e.actor.isdigit() else None
        who = "you or your representative" if actor_pk in own else (names.get(actor_pk) or "a staff member")
        out.append({"at": e.at, "who": who, "role": ROLE_LABELS.get(e.actor_role, e.actor_role),
                    "action": e.action, "purpose": e.purpose, "categories": list(e.categories),
                    "break_glass": bool((e.detail or {}).get("break_glass"))})
    return out


def my_client_id(user: User):
    """The client a portal user belongs to (self), or NotFound."""
    account = ClientAccount.objects.filter(user=user, practice_id=user.practice_id).first()
    if account is None:
        raise NotFound()
    return account.client_id
