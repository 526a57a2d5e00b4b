"""Finding clients: the list of clients a user has a relationship with, and search
through blind indexes. The PDP decides every row; one audit event records the whole
list; a name with no permitted match answers exactly as a name nobody has."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from django.db import connection
from django.db.models import IntegerField, Q, Value

from confide.apps.practice.models import SupervisionLink, User
from confide.apps.records.models import (
    BlindIndex,
    BreakGlassGrant,
    CareTeamMember,
    Client,
    ClientAccount,
)
from confide.core.crypto import blind_index, pseudonyms
from confide.core.crypto.name_search import close_term, near_terms, query_tokens, term_digest
from confide.core.crypto.name_search import matches as name_matches
from confide.core.crypto.name_search import scorer as name_scorer
from confide.core.errors import Forbidden, InvalidInput, NotFound
from confide.services import access
from confide.services.audit import audit_append, audited_transaction
from confide.services.keys import client_data_keys, data_key_of, practice_index_key
from confide.services.sealing import unseal

# An exact email, phone or full-name match ranks above any match of name parts.
EXACT_FIELD = 100


def _scope(user: User):
    """The clients the user might list, as a query (a superset; the PDP decides each):
    the whole practice for the front desk and the biller, the caseload (own and
    supervisees', and live emergency grants) for a clinician, the linked client for a
    portal login, nobody for anyone else."""
    mine = Client.objects.filter(practice_id=user.practice_id)
    if _practice_wide(user):
        return mine
    if user.role in ("clinician", "supervisor"):
        # Each relationship is its own subquery on its own index (the care team's
        # staff_id): an OR of the reader and their supervisees inside one subquery
        # cannot use that index, and read every care-team row of the practice.
        live = CareTeamMember.objects.filter(ended_at__isnull=True, practice_id=user.practice_id)
        supervisees = (SupervisionLink.objects.filter(practice_id=user.practice_id, supervisor=user)
                       .values("supervisee_id"))
        own = live.filter(staff=user).values("client_id")
        supervised = live.filter(staff_id__in=supervisees).values("client_id")
        grants = BreakGlassGrant.objects.filter(practice_id=user.practice_id, user=user,
                                                expires_at__gt=datetime.now(timezone.utc)).values("client_id")
        return mine.filter(Q(id__in=own) | Q(id__in=supervised) | Q(id__in=grants))
    if user.role in ("client", "representative"):
        return mine.filter(id__in=ClientAccount.objects.filter(practice_id=user.practice_id, user=user)
                           .values("client_id"))
    return mine.none()


def _candidate_ids(user: User) -> list[uuid.UUID]:
    """Clients the user might list: a superset; the PDP decides each."""
    return list(_scope(user).order_by("-created_at", "-id").values_list("id", flat=True))


@dataclass(frozen=True)
class Listed:
    """A client the user may list: the display name and the categories permitted."""

    id: uuid.UUID
    name: str
    legal_name: str
    dob: str | None
    categories: frozenset[str]

    def row(self) -> dict:
        return {"id": str(self.id), "name": self.name, "legal_name": self.legal_name, "dob": self.dob}


def listing(user: User, client_ids, *, categories=frozenset(), optional=frozenset(), action: str,
            detail: dict | None = None, decided: dict | None = None,
            sealed: dict | None = None) -> dict[uuid.UUID, Listed]:
    """The clients among `client_ids` the user may list with `categories` (identity
    always), each with its display name and the categories the PDP permitted (the
    required ones, and any of `optional`). One audit event records the whole list; the
    listing helper every dashboard, list and search uses. `sealed`: the clients'
    identity ciphertexts, by id, when the caller read them with the ids (a page)."""
    required = set(categories) | {"identity"}
    purpose = access.default_purpose(user)
    with audited_transaction():
        # `decided`: the PDP's decisions for these ids with these categories, already
        # asked by the caller in this request (a page that skipped refused rows).
        decisions = list(decided.items()) if decided is not None else access.decide_for_list(
            user=user, client_ids=list(client_ids), purpose=purpose, categories=required | set(optional))
        allowed = {cid: d.categories for cid, d in decisions if d.permitted and d.categories >= required}
        # The data keys of the listed clients, unwrapped together (one query for those
        # not cached). A shredded client (data key deleted) has nothing left to show.
        deks = client_data_keys(list(allowed), user.practice_id)
        allowed = {cid: cats for cid, cats in allowed.items() if cid in deks}
        index_key = practice_index_key(user.practice_id)
        refs = pseudonyms(index_key, list(allowed))
        audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role, action=action,
                     purpose=purpose, client_ref="",
                     decision=None, categories=tuple(sorted(required)) if allowed else (),
                     detail={**(detail or {}), "count": len(allowed), "client_refs": refs})
        if sealed is None:
            sealed = dict(Client.objects.filter(practice_id=user.practice_id, id__in=list(allowed))
                          .values_list("id", "identity_enc"))
        out = {}
        for cid in allowed:
            if cid not in sealed:
                continue
            identity = unseal(deks[cid], Client, "identity_enc", cid, sealed[cid]) or {}
            out[cid] = Listed(id=cid, name=identity.get("preferred_name") or identity.get("legal_name", ""),
                              legal_name=identity.get("legal_name", ""), dob=identity.get("dob"),
                              categories=frozenset(allowed[cid]))
    return out


def _listing(user: User, ids, action: str, detail: dict) -> list[dict]:
    rows = [c.row() for c in listing(user, ids, action=action, detail=detail).values()]
    return sorted(rows, key=lambda r: (r["name"].casefold(), r["id"]))


def client_list(*, user: User) -> list[dict]:
    """Every client this user may list, by name: for a caseload (a clinician's, a
    portal login's). Practice-wide lists page (`client_page`)."""
    return _listing(user, _candidate_ids(user), "client.list", {})


def client_pick(*, user: User, client_id) -> dict | None:
    """The one client a picker (the booking form's) chose, as a list shows it (name,
    legal name, date of birth), or None when the user may not list them or there is no
    such client (the two answer alike). Audited as a list of one."""
    cid = access.parse_client_id(client_id)
    if cid is None:
        return None
    listed = listing(user, [cid], action="client.list", detail={"view": "picker"})
    return listed[cid].row() if cid in listed else None


PAGE_SIZE = 50


def _page_marker(raw) -> tuple[datetime, uuid.UUID] | None:
    if not raw:
        return None
    try:
        at, _sep, rid = str(raw).partition("_")
        moment = datetime.fromisoformat(at)
        if moment.tzinfo is None:
            raise ValueError
        return moment, uuid.UUID(rid)
    except ValueError:
        raise InvalidInput("clients: the page marker is not valid") from None


def _marker(at: datetime, cid) -> str:
    return f"{at.astimezone(timezone.utc).isoformat()}_{cid}"


def _older_than(rows, marker):
    if marker is None:
        return rows
    return rows.filter(Q(created_at__lt=marker[0]) | Q(created_at=marker[0], id__lt=marker[1]))


def client_page(*, user: User, after=None, limit: int = PAGE_SIZE) -> dict:
    """One page of the clients this user may list, newest intake first: keyset paging
    on (created_at, id) over the index (practice, created_at, id), so page 1 of a
    100,000-client practice costs what page 1 of a 100-client one does. The PDP decides
    each row of the page, the page's data keys are unwrapped together, and one audit
    event records the page (its count and the page's pseudonyms). `next` is the marker
    of the following page (None on the last); a page is sorted by name for reading."""
    if not isinstance(limit, int) or not 1 <= limit <= 200:
        raise InvalidInput("clients: limit must be between 1 and 200")
    scan = end = _page_marker(after)  # where reading goes on; the last row of the page
    scope = _scope(user)
    purpose = access.default_purpose(user)
    picked: list[uuid.UUID] = []
    decisions: dict = {}
    sealed: dict = {}  # the page's identity ciphertexts, read with the ids (decrypted only if permitted)
    nxt = None
    # Rows the PDP refuses are skipped a chunk at a time (rare: these lists are whole
    # practices or caseloads), so a page is full unless the list ends; at most 20
    # chunks are read for one page, and `next` carries on from there.
    for _round in range(20):
        chunk = list(_older_than(scope, scan).order_by("-created_at", "-id")
                     .values_list("id", "created_at", "identity_enc")[:limit + 1])
        if not chunk:
            break
        decided = {cid: d for cid, d in access.decide_for_list(user=user, client_ids=[c[0] for c in chunk],
                                                                 purpose=purpose, categories={"identity"})}
        permitted = {cid for cid, d in decided.items() if d.permitted}
        for cid, at, blob in chunk:
            if cid not in permitted:
                continue
            if len(picked) == limit:  # a permitted row after a full page: there is more
                nxt = _marker(*end)
                break
            picked.append(cid)
            decisions[cid] = decided[cid]
            sealed[cid] = blob
            end = (at, cid)
        if nxt is not None or len(chunk) <= limit:
            break
        scan = (chunk[-1][1], chunk[-1][0])
    else:
        nxt = _marker(*scan)
    listed = listing(user, picked, action="client.list", detail={"page": bool(after)}, decided=decisions,
                     sealed=sealed)
    rows = sorted((c.row() for c in listed.values()), key=lambda r: (r["name"].casefold(), r["id"]))
    return {"clients": rows, "next": nxt}


SEARCH_CANDIDATES = 50  # blind-index candidates decrypted for one search (a page), newest intake first
# The typo tier broadens a short answer: it runs only when the exact and close tiers
# found fewer clients than this (a common whole name in a large practice would
# otherwise join tens of thousands of one-typo index entries to fill a page nobody reads).
TYPO_BELOW = 10

_NEWEST = ("-created_at", "-client_id")  # the order of the index blindindex_newest


def _practice_wide(user: User) -> bool:
    """Whether the user's scope (`_scope`) is the whole practice: then the practice's
    blind index alone answers a search, with nothing to join."""
    return user.role in ("biller", "front_desk")


def _search_queries(user: User, query: str, *, fuzzy: bool = True):
    """The blind-index lookups of a query: the exact name, email and phone digests; and
    tiers of per-word digest sets, each word's clients being those one of whose name
    words matches it: close (the whole word or its start: one digest,
    name_search.close_term) and, when `fuzzy`, also a start one typo away
    (name_search.near_terms). Candidates only: the caller checks decrypted names."""
    key = practice_index_key(user.practice_id)
    exact = set()
    for kind in ("name", "email", "phone"):
        try:
            exact.add((kind, blind_index(key, kind, query)))
        except ValueError:
            continue

    def digest(term: tuple[str, str]) -> tuple[str, str]:
        return term[0], term_digest(key, *term)

    tokens = query_tokens(query)
    if not tokens:  # nothing a name word could match (punctuation, a lone sign): exact lookups only
        return exact, []
    close = [{digest(close_term(token))} for token in tokens]
    near = [{digest(term) for term in near_terms(token)} for token in tokens]
    return exact, [close, near] if fuzzy and near != close else [close]


def _digests(pairs) -> Q:
    by_kind: dict[str, set] = {}
    for kind, digest in pairs:
        by_kind.setdefault(kind, set()).add(digest)
    out = Q()
    for kind, digests in sorted(by_kind.items()):
        out |= Q(kind=kind, digest=next(iter(digests))) if len(digests) == 1 else Q(kind=kind, digest__in=digests)
    return out


def _newest(user: User, scope, per_token: list[set], limit: int, tier: int):
    """The newest `limit` clients of `scope` (None: the whole practice) that every
    set's digests name (each set one word's), from the blind index alone, as a query
    of (client, intake time, `tier`) rows: newest first by the client's intake time
    the index rows carry, so one digest is one ordered walk of the index (practice,
    kind, digest, created_at desc, client desc) that stops after `limit` rows however
    many clients a common word matches; more digests or words are one query that sorts
    only their matches' index entries."""
    mine = BlindIndex.objects.filter(practice_id=user.practice_id)
    rows = mine.filter(_digests(per_token[0]))
    for other in per_token[1:]:
        rows = rows.filter(client_id__in=mine.filter(_digests(other)).values("client_id"))
    if scope is not None:
        rows = rows.filter(client_id__in=scope.values("id"))
    rows = rows.annotate(tier=Value(tier, output_field=IntegerField())).values_list("client_id", "created_at", "tier")
    if len(per_token[0]) > 1:
        # A client named by several of the digests has an index row for each (the
        # intake time is the client's, so a client is one (client, created_at) pair).
        rows = rows.distinct()
    return rows.order_by(*_NEWEST)[:limit]


def _rows(queries) -> list[tuple]:
    """The rows of `_newest` queries, in one round trip where the database takes
    ordered, limited parts in a UNION (PostgreSQL), by tier and newest first."""
    if len(queries) > 1 and connection.features.supports_slicing_ordering_in_compound:
        rows = list(queries[0].union(*queries[1:], all=True))
    else:
        rows = [row for query in queries for row in query]
    rows.sort(key=lambda r: (r[1], r[0]), reverse=True)
    rows.sort(key=lambda r: -r[2])
    return rows


def _search_candidates(user: User, query: str, scope, *, fuzzy: bool = True,
                       limit: int = SEARCH_CANDIDATES) -> dict[uuid.UUID, int]:
    """At most `limit` clients in `scope` (a query of clients, None: the whole
    practice) the blind indexes match, best first: an exact email, phone or full name
    (EXACT_FIELD), then every word matching a name word or its start, then (`fuzzy`)
    within one typo; within each, newest intake first. The index alone answers; the
    exact and the close lookups are one round trip, the typo tier a second when the
    first found fewer than TYPO_BELOW clients."""
    exact, tiers = _search_queries(user, query, fuzzy=fuzzy)
    first = [_newest(user, scope, [exact], limit, EXACT_FIELD)] if exact else []
    # A later tier names the earlier tiers' clients again: read past them.
    first += [_newest(user, scope, tiers[0], limit + (limit if exact else 0), 1)] if tiers else []
    matched: dict[uuid.UUID, int] = {}
    for cid, _at, tier in _rows(first):
        if cid not in matched and len(matched) < limit:
            matched[cid] = EXACT_FIELD if tier == EXACT_FIELD else 0
    for per_token in tiers[1:]:
        if len(matched) >= min(limit, TYPO_BELOW):
            break
        for cid, _at, _tier in _rows([_newest(user, scope, per_token, limit + len(matched), 0)]):
            if len(matched) >= limit:
                break
            matched.setdefault(cid, 0)
    return matched


def client_search(*, user: User, query: str) -> list[dict]:
    """Search by any part of a name (case- and accent-insensitive; one typo per word
    tolerated when the name's exact and close matches are fewer than TYPO_BELOW), or by exact email or phone, through blind indexes, limited to clients
    the user may list: the PDP decides each candidate as it decides the list. A query
    that matches only unrelated clients answers exactly as one that matches nobody.
    Best matches first. The index answers which clients to look at (never a scan of
    the practice's clients); a query matching more than SEARCH_CANDIDATES of them looks
    at the most recently admitted, so a short query in a large practice wants more of
    the name."""
    if not isinstance(query, str) or not query.strip() or len(query) > 200:
        raise InvalidInput("search: give 1 to 200 characters")
    matched = _search_candidates(user, query, None if _practice_wide(user) else _scope(user))
    found = listing(user, list(matched), action="client.search", detail={})
    name_score = name_scorer(query)
    scored = []
    for cid, row in found.items():
        score = EXACT_FIELD if matched[cid] == EXACT_FIELD else name_score([row.legal_name, row.name])
        if score:
            scored.append((score, row.row()))
    scored.sort(key=lambda pair: (-pair[0], pair[1]["name"].casefold(), pair[1]["id"]))
    return [row for _score, row in scored]


# --- emergency access from a search -------------------------------------------------

EMERGENCY_MAX = 10


def emergency_access_allowed(user: User) -> bool:
    """Whether the user may break the glass at all (the PDP's INT-BREAK-GLASS: a
    licensed clinician or supervisor)."""
    return user.role in ("clinician", "supervisor") and bool(user.licensed) and user.is_active


def emergency_search(*, user: User, query: str, reason: str) -> list[dict]:
    """Break-glass starts here, never from an id typed into an address: a licensed
    clinician states why, searches the whole practice (whole words or their starts, no
    typo tolerance), and sees the name and date of birth of each match so they can
    choose. Each match shown is a read under emergency access: asked of the PDP with
    the break-glass relationship being created, audited and flagged for review. A
    query matching more than ten clients asks for more of the name first, reading
    nothing."""
    if not emergency_access_allowed(user):
        raise Forbidden("emergency access: only a licensed clinician may break the glass; ask the client's "
                        "clinician or a licensed colleague")
    if not isinstance(reason, str) or not 10 <= len(reason.strip()) <= 1000:
        raise InvalidInput("reason: state why you need this now, in 10 to 1000 characters")
    if not isinstance(query, str) or len(query.strip()) < 2 or len(query) > 200:
        raise InvalidInput("search: give 2 to 200 characters of the name, or the phone or email")
    matched = _search_candidates(user, query, None, fuzzy=False, limit=EMERGENCY_MAX + 1)
    if len(matched) > EMERGENCY_MAX:
        raise InvalidInput("search: more than ten people match; give more of the name")
    out = []
    for cid in sorted(matched):
        try:
            with access.governed(user=user, client_id=cid, action="read", purpose="BTG", categories={"identity"},
                                 assume=frozenset({"break_glass"}),
                                 detail={"view": "emergency_search", "break_glass": True}, whole_client=True) as ok:
                identity = unseal(data_key_of(ok.client), Client, "identity_enc", ok.client.id,
                                  ok.client.identity_enc) or {}
        except NotFound:
            continue
        names = [identity.get("legal_name", ""), identity.get("preferred_name") or ""]
        if matched[cid] == EXACT_FIELD or name_matches(query, names, fuzzy=False):
            out.append({"id": str(cid), "name": identity.get("preferred_name") or identity.get("legal_name", ""),
                        "legal_name": identity.get("legal_name", ""), "dob": identity.get("dob")})
    return sorted(out, key=lambda r: (r["legal_name"].casefold(), r["id"]))
