"""The one door: every read or write of client information asks the PDP here, and the
decision is audited in the caller's transaction.

Existence is secret: a client id that does not exist, one of another practice, and one
the caller has no relationship with all go through the same queries, the same audit
write and the same `NotFound`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, timezone

from django.db import connection
from django.db.models import Case, CharField, Q, Value, When

from confide.apps.practice.models import Practice, SupervisionLink, User
from confide.apps.records.models import (
    BreakGlassGrant,
    CareTeamMember,
    Client,
    ClientAccount,
    GroundRules,
    PsychotherapyNote,
)
from confide.core.crypto import pseudonym
from confide.core.errors import NotFound, Refused
from confide.core.policy import AccessRequest, Actor, Decision, decide
from confide.core.policy.minors import may_consent_alone
from confide.services.audit import audit_append, audited_transaction
from confide.services.database import model_from_row, pipelined, planned_cursor, row_fields
from confide.services.keys import client_data_key, data_key_of, practice_index_key
from confide.services.policy import rules
from confide.services.sealing import unseal


def actor_for(user: User) -> Actor:
    return Actor(user_id=str(user.pk), practice_id=str(user.practice_id), role=user.role,
                 licensed=bool(user.licensed), licence=user.licence or "")


def parse_client_id(raw) -> uuid.UUID | None:
    """A client id from outside; None (treated as 'no such client') when malformed."""
    if isinstance(raw, uuid.UUID):
        return raw
    try:
        return uuid.UUID(str(raw))
    except (ValueError, TypeError, AttributeError):
        return None


def relationships_bulk(user: User, client_ids, now: datetime) -> dict[uuid.UUID, frozenset[str]]:
    """The user's live relationships to each client, in one query: treating (on the
    care team), supervising (a supervisee is), self or representative (a portal login),
    break-glass (a live emergency grant). The ids appear once (the care team's rows of
    these clients); a login's accounts and live grants are few and are read by the
    user's own index, then matched here."""
    ids = [cid or uuid.UUID(int=0) for cid in client_ids]
    rels: dict[uuid.UUID, set[str]] = {cid: set() for cid in ids}
    supervisees = SupervisionLink.objects.filter(practice_id=user.practice_id, supervisor=user).values("supervisee_id")
    team = (CareTeamMember.objects.filter(practice_id=user.practice_id, client_id__in=ids, ended_at__isnull=True)
            .filter(Q(staff=user) | Q(staff_id__in=supervisees))
            .annotate(rel=Case(When(staff_id=user.pk, then=Value("treating")), default=Value("supervising"),
                               output_field=CharField()))
            .values_list("client_id", "rel"))
    rows = team.union(
        ClientAccount.objects.filter(practice_id=user.practice_id, user=user,
                                     relationship__in=("self", "representative"))
        .values_list("client_id", "relationship"),
        BreakGlassGrant.objects.filter(practice_id=user.practice_id, user=user, expires_at__gt=now)
        .annotate(rel=Value("break_glass", output_field=CharField())).values_list("client_id", "rel"),
        all=True)
    for cid, rel in rows:
        if cid in rels:
            rels[cid].add(rel)
    return {cid: frozenset(r) for cid, r in rels.items()}


def relationships_of(user: User, client_id: uuid.UUID | None, now: datetime) -> frozenset[str]:
    """The user's live relationships to one client. Runs the same queries whether or
    not the client exists (existence is secret, timing included)."""
    cid = client_id or uuid.UUID(int=0)
    return relationships_bulk(user, [cid], now)[cid]


_RELATIONSHIPS = ("treating", "supervising", "self", "representative", "break_glass")


@lru_cache(maxsize=8)
def _door_statement(vendor: str, whole_client: bool, author_notes: bool) -> tuple[str, tuple, list, list]:
    """The door's one statement for a shape, the names of its parameters in order
    ("user", "now", "practice", "client"), and the client's and practice's fields it
    selects (with the converters Django applies to them), built once per process."""
    q = connection.ops.quote_name
    t = {m: q(m._meta.db_table) for m in (Client, Practice, CareTeamMember, SupervisionLink, ClientAccount,
                                           BreakGlassGrant, PsychotherapyNote)}
    client_fields = (list(Client._meta.concrete_fields) if whole_client
                     else [Client._meta.pk, Client._meta.get_field("practice")])
    practice_fields = list(Practice._meta.concrete_fields) if whole_client else []
    cols = [f"c.{q(f.column)}" for f in client_fields] + [f"p.{q(f.column)}" for f in practice_fields]
    # Every tenant table is named with the reader's practice (a constant, `%s`), so on
    # Citus the statement is a router query: one shard, the practice's.
    team = (f"SELECT 1 FROM {t[CareTeamMember]} m WHERE m.practice_id = %s AND m.client_id = c.id "
            "AND m.ended_at IS NULL AND ")
    account = (f"SELECT 1 FROM {t[ClientAccount]} a WHERE a.practice_id = %s AND a.client_id = c.id "
               "AND a.user_id = %s AND a.relationship = ")
    checks = [
        (f"EXISTS({team}m.staff_id = %s)", ("practice", "user")),
        (f"EXISTS({team}m.staff_id IN (SELECT l.supervisee_id FROM {t[SupervisionLink]} l "
         "WHERE l.practice_id = %s AND l.supervisor_id = %s))", ("practice", "practice", "user")),
        (f"EXISTS({account}'self')", ("practice", "user")),
        (f"EXISTS({account}'representative')", ("practice", "user")),
        (f"EXISTS(SELECT 1 FROM {t[BreakGlassGrant]} g WHERE g.practice_id = %s AND g.client_id = c.id "
         "AND g.user_id = %s AND g.expires_at > %s)", ("practice", "user", "now")),
    ]
    if author_notes:
        checks.append((f"EXISTS(SELECT 1 FROM {t[PsychotherapyNote]} s WHERE s.practice_id = %s "
                       "AND s.client_id = c.id AND s.author_id = %s)", ("practice", "user")))
    source = f"{t[Client]} c" + (f" JOIN {t[Practice]} p ON p.id = c.practice_id" if whole_client else "")
    sql = (f"SELECT {', '.join(cols + [check for check, _names in checks])} FROM {source} "
           "WHERE c.practice_id = %s AND c.id = %s")
    params = tuple(name for _check, names in checks for name in names) + ("practice", "client")
    return sql, params, row_fields(Client, client_fields), row_fields(Practice, practice_fields)


def client_at_door(user: User, client_id: uuid.UUID | None, now: datetime, *, whole_client: bool = False,
                   author_notes: bool = False) -> tuple[Client | None, frozenset[str], bool]:
    """The client's row (whole with its practice, or its id and practice), the user's
    live relationships to it (what `relationships_of` reads) and, with `author_notes`,
    whether the user wrote psychotherapy notes for it: one statement, the same for any
    id (a client that does not exist, or is another practice's, answers no row through
    the same statement)."""
    sql, names, client_fields, practice_fields = _door_statement(connection.vendor, whole_client, author_notes)
    values = {"user": user.pk, "now": connection.ops.adapt_datetimefield_value(now),
              "practice": Client._meta.get_field("practice").get_db_prep_value(user.practice_id, connection),
              "client": Client._meta.pk.get_db_prep_value(client_id or uuid.UUID(int=0), connection)}
    params = [values[name] for name in names]
    with planned_cursor() as cursor:
        with pipelined():  # the transaction's BEGIN and the door in one round trip
            cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None, frozenset(), False
    n, m = len(client_fields), len(practice_fields)
    client = model_from_row(Client, client_fields, row[:n])
    if whole_client:
        Client.practice.field.set_cached_value(client, model_from_row(Practice, practice_fields, row[n:n + m]))
    flags = row[n + m:]
    rels = frozenset(rel for rel, held in zip(_RELATIONSHIPS, flags) if held)
    return client, rels, bool(author_notes and flags[len(_RELATIONSHIPS)])


def client_ref_for(user: User, client_id) -> str:
    """The pseudonymous reference written to the audit log (never a name). A missing or
    malformed id gets the nil id's pseudonym, so it is audited as "no such client"."""
    return client_ref_in(user.practice_id, client_id)


def client_ref_in(practice_id, client_id) -> str:
    """The practice's pseudonym for a client id (what its audit chain records)."""
    return pseudonym(practice_index_key(practice_id), str(client_id or uuid.UUID(int=0)))


@dataclass(frozen=True)
class Authorized:
    decision: Decision
    client: Client


# Relationships that let the holder know the client exists: a denial to them may say why.
KNOWING = frozenset({"treating", "supervising", "self", "representative"})
# Roles that disclose with no relationship to the client: a biller sends the claims of
# every client of the practice (INT-BILLER lists them all, so existence is no secret to
# them). Their disclosures need the client's facts too (a Part 2 record, a self-pay
# restriction), or a claim would leave without the Part 2 and self-pay forbids.
DISCLOSES_WITHOUT_RELATIONSHIP = frozenset({"biller"})


def knows_client(user: User, client: Client | None, rels: frozenset[str], action: str) -> bool:
    """Whether the caller may know the client exists: a relationship, or a biller's
    disclosure about a client of their own practice."""
    if client is None:
        return False
    return bool(rels & KNOWING) or (user.role in DISCLOSES_WITHOUT_RELATIONSHIP and action == "disclose"
                                    and client.practice_id == user.practice_id)


def client_flags(client_id, practice_id) -> frozenset[str]:
    """Facts about the client the PDP needs for a disclosure (a policy information
    point): a Part 2 program's client, a minor who consented alone, a self-pay
    restriction. Read only for callers who already hold a relationship (or, for a
    disclosure, a biller of the client's practice).

    "Consented alone" means under the state's law (RULES.md section 4, 1.4 PR-3a): the
    recorded finding `minor_consent = "self"` counts only when the minor had reached the
    jurisdiction's age at admission; otherwise the parent is the personal representative.

    Read in `practice_id`, the client's practice (on Citus, the practice's shard alone);
    a client of another practice has no flags.
    """
    client = (Client.objects.filter(id=client_id, practice_id=practice_id).select_related("practice")
              .only("id", "fact_enc", "billing_enc", "identity_enc", "practice__jurisdiction").first())
    if client is None:
        return frozenset()
    dek = data_key_of(client)
    fact = unseal(dek, Client, "fact_enc", client.id, client.fact_enc) or {}
    billing = unseal(dek, Client, "billing_enc", client.id, client.billing_enc) or {}
    flags = set()
    if fact.get("program") == "sud":
        flags.add("part2_record")
    if fact.get("minor_consent") == "self" and _consent_lawful(dek, client, fact):
        flags.add("minor_self_consented")
    if billing.get("self_pay") and billing.get("restrict_payer"):
        flags.add("self_pay_restricted")
    return frozenset(flags)


def representative_flags(user: User, client_id) -> frozenset[str]:
    """What the PDP needs to know about a parent or guardian's request: the client's
    facts, and whether the practice elected not to treat this person as the personal
    representative (RULES.md 1.4 PR-6, 164.502(g)(5)), as the latest ground rules
    record it. Read only for a login linked to the client as its representative."""
    flags = set(client_flags(client_id, user.practice_id))
    row = (GroundRules.objects.filter(practice_id=user.practice_id, client_id=client_id)
           .order_by("created_at", "id").last())
    if row is not None:
        body = unseal(client_data_key(client_id, row.practice_id), GroundRules, "body_enc", row.id, row.body_enc) or {}
        if user.pk in body.get("pr_blocked", []):
            flags.add("representative_blocked")
    return frozenset(flags)


def _iso_date(raw) -> date | None:
    try:
        return date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def _consent_lawful(dek: bytes, client: Client, fact: dict) -> bool:
    identity = unseal(dek, Client, "identity_enc", client.id, client.identity_enc) or {}
    consented_on = _iso_date(fact.get("admitted_on")) or date.today()
    return may_consent_alone(rules().fact("minor_consent", client.practice.jurisdiction),
                             _iso_date(identity.get("dob")), consented_on)


def _authorize(*, user: User, client_id, action: str, purpose: str, categories, note_author_id=None,
               detail: dict | None = None, assume: frozenset[str] = frozenset(), recipient: str | None = None,
               basis: str | None = None, scope=None, flags=frozenset(), topics=frozenset(),
               basis_topics=frozenset(), whole_client: bool = False, author_notes: bool = False,
               require_all: bool = False) -> tuple[Decision, Client | None, frozenset[str]]:
    """Ask the PDP and audit the answer (inside the caller's transaction).
    `whole_client`: load the client's row whole, with its practice (a caller about to
    read its sections saves reading it again); the same query runs for any id.
    `author_notes`: ask for the user's own psychotherapy notes too when they wrote some
    for this client (the user's own metadata, read in the door's one query).
    `require_all`: a permit for only some of the categories asked is recorded as what it
    was for the caller, refused, with the categories withheld."""
    if not connection.in_atomic_block:
        raise RuntimeError("authorize outside a transaction")
    now = datetime.now(timezone.utc)
    cid = parse_client_id(client_id)
    client, rels, wrote_notes = client_at_door(user, cid, now, whole_client=whole_client, author_notes=author_notes)
    if wrote_notes:
        # The author's own process notes are asked for too (and only theirs are read).
        categories, note_author_id = frozenset(categories) | {"psychotherapy_notes"}, user.pk
    # `assume`: a relationship being created by this very action (a break-glass grant).
    rels = rels | assume
    if purpose == "TREAT" and "break_glass" in rels and not rels & {"treating", "supervising"}:
        purpose = "BTG"  # the only right this user holds here is an emergency grant
    if knows_client(user, client, rels, action) and user.role == "representative":
        flags = frozenset(flags) | representative_flags(user, client.id)
    elif knows_client(user, client, rels, action) and action == "disclose":
        flags = frozenset(flags) | client_flags(client.id, client.practice_id)
    request = AccessRequest(
        actor=actor_for(user), action=action, purpose=purpose,
        client_ref=client_ref_for(user, cid),
        client_practice_id=str(client.practice_id) if client else None,
        categories=frozenset(categories), relationships=rels,
        note_author_id=str(note_author_id) if note_author_id is not None else None, now=now,
        recipient=recipient, basis=basis, scope=frozenset(scope) if scope is not None else None,
        flags=frozenset(flags), topics=frozenset(topics), basis_topics=frozenset(basis_topics),
    )
    decision = decide(request, rules())
    event_detail = dict(detail or {})
    if "break_glass" in rels and decision.permitted and "flag_for_review" in decision.obligations:
        event_detail["break_glass"] = True
    if action == "disclose":
        event_detail.update({"recipient": recipient, "basis": basis})
    if require_all and decision.permitted and not frozenset(categories) <= decision.categories:
        event_detail.update({"refused": "every category asked was needed",
                             "withheld": sorted(frozenset(categories) - decision.categories)})
    audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role, action=action,
                 purpose=purpose, client_ref=request.client_ref, decision=decision, detail=event_detail)
    return decision, client, rels


class governed:
    """The one door, as a context manager: opens the transaction, asks the PDP, audits.

        with access.governed(user=..., client_id=..., action="read", purpose=..., categories=...) as ok:
            ... load, decrypt, write: all in the same transaction as the audit row ...

    The decision's audit event is recorded at the door and appended to the practice's
    chain right before the transaction commits (services.audit), so slow work inside
    never holds the chain's lock. On deny the transaction commits (holding only the
    audit row of the denial) and NotFound is raised, so a denial is recorded and never
    rolled back.

    A read is permitted for what it can of the categories asked (the decision's
    `categories`); a page that needs every one of them passes `require_all=True`, and
    anything less answers as no such client, after the decision is recorded.
    """

    def __init__(self, *, require_all: bool = False, **request):
        self._request = request
        self._require_all = require_all
        self._atomic = audited_transaction()

    def __enter__(self) -> Authorized:
        self._atomic.__enter__()
        try:
            decision, client, rels = _authorize(**self._request, require_all=self._require_all)
        except BaseException as exc:
            self._atomic.__exit__(type(exc), exc, exc.__traceback__)
            raise
        partial = self._require_all and not frozenset(self._request.get("categories") or ()) <= decision.categories
        if not decision.permitted or client is None or partial:
            self._atomic.__exit__(None, None, None)  # commit the denial's audit row
            if self._request.get("action") == "disclose" and knows_client(self._request["user"], client, rels,
                                                                           "disclose"):
                # The caller knows the client exists: say which rules refused, and why.
                raise Refused("; ".join(f"{r.rule_id}: {r.explanation}" for r in decision.reasons),
                              rule_ids=decision.rule_ids)
            raise NotFound()
        return Authorized(decision=decision, client=client)

    def __exit__(self, exc_type, exc, tb):
        return self._atomic.__exit__(exc_type, exc, tb)


def authorize_new_client(*, user: User, client_id: uuid.UUID, purpose: str, categories,
                         detail: dict | None = None) -> Decision:
    """A decision about creating a client in the actor's own practice. A clinician who
    creates a client becomes its treating clinician, so the request carries that
    relationship; anyone else asks with none."""
    if not connection.in_atomic_block:
        raise RuntimeError("authorize_new_client outside a transaction")
    decision = decide_new_client(user=user, client_id=client_id, purpose=purpose, categories=categories)
    audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role, action="client.create",
                 purpose=purpose, client_ref=client_ref_for(user, client_id), decision=decision, detail=detail)
    return decision


def decide_new_client(*, user: User, client_id: uuid.UUID, purpose: str, categories) -> Decision:
    """The PDP's decision about creating a client (no audit here: `authorize_new_client`
    audits each; the demo's bulk path one event per batch)."""
    request = AccessRequest(
        actor=actor_for(user), action="write", purpose=purpose, client_ref=client_ref_for(user, client_id),
        client_practice_id=str(user.practice_id) if user.practice_id else None,
        categories=frozenset(categories),
        relationships=frozenset({"treating"}) if user.role in ("clinician", "supervisor") else frozenset(),
        now=datetime.now(timezone.utc),
    )
    return decide(request, rules())


def authorize_known_write(*, user: User, client_id: uuid.UUID, practice_id, categories, relationships: frozenset[str],
                       now: datetime, detail: dict | None = None) -> Decision:
    """Ask the PDP about a write, as `governed` asks it, for a client whose
    relationships the caller made itself in the same transaction (the demo's bulk
    path, which creates the care team it then writes under); and record the event as
    `governed` does. Never for a client the caller did not just create: everyone
    else's relationships are read from the database by the door."""
    if not connection.in_atomic_block:
        raise RuntimeError("authorize_known_write outside a transaction")
    request = AccessRequest(
        actor=actor_for(user), action="write", purpose="TREAT", client_ref=client_ref_in(practice_id, client_id),
        client_practice_id=str(practice_id), categories=frozenset(categories), relationships=relationships, now=now,
    )
    decision = decide(request, rules())
    audit_append(practice_id=practice_id, actor_id=str(user.pk), actor_role=user.role, action="write",
                 purpose="TREAT", client_ref=request.client_ref, decision=decision, detail=detail)
    return decision


def decide_for_list(*, user: User, client_ids, purpose: str, categories) -> list[tuple[uuid.UUID, Decision]]:
    """PDP decisions for listing many clients at once (no audit here: the caller writes
    one event for the whole list)."""
    now = datetime.now(timezone.utc)
    actor = actor_for(user)
    client_ids = list(client_ids)
    rels = relationships_bulk(user, client_ids, now)
    ruleset = rules()
    # The PDP is a pure function of the request, and a list's requests differ only in
    # the relationships and facts of each client (the client is not named in them), so
    # rows that meet the same facts get the one decision those facts get: the front
    # desk's page of fifty is one decision, a caseload's a handful. Not weaker: every
    # row is still decided on its own facts.
    decided: dict[AccessRequest, Decision] = {}
    out = []
    for cid in client_ids:
        # A parent's listing meets the same facts as their view (a minor who consented
        # alone, the PR election): the guardian rules decide on them.
        flags = representative_flags(user, cid) if "representative" in rels[cid] else frozenset()
        request = AccessRequest(
            actor=actor, action="list", purpose=purpose, client_ref="",
            client_practice_id=str(user.practice_id), categories=frozenset(categories),
            relationships=rels[cid], now=now, flags=flags,
        )
        if request not in decided:
            decided[request] = decide(request, ruleset)
        out.append((cid, decided[request]))
    return out


def decide_offer(*, user: User, client_id, action: str, purpose: str, categories) -> Decision:
    """What the PDP would decide, to choose what a page offers (a reply box, a button)
    for a client the caller already opened through the door; no audit here, because
    nothing is read or written: the act itself, if the person goes on, passes the door
    and is audited like any other."""
    now = datetime.now(timezone.utc)
    cid = parse_client_id(client_id)
    client = (Client.objects.filter(id=cid, practice_id=user.practice_id).only("id", "practice_id").first()
              if cid else None)
    request = AccessRequest(
        actor=actor_for(user), action=action, purpose=purpose, client_ref="",
        client_practice_id=str(client.practice_id) if client else None,
        categories=frozenset(categories), relationships=relationships_of(user, cid, now), now=now,
    )
    return decide(request, rules())


DEFAULT_PURPOSE = {
    "clinician": "TREAT", "supervisor": "TREAT", "biller": "HPAYMT", "front_desk": "HOPERAT",
    "practice_admin": "HOPERAT", "client": "PATRQT", "representative": "PWATRNY",
}


def default_purpose(user: User) -> str:
    return DEFAULT_PURPOSE.get(user.role, "TREAT")
