"""Finding clients: the list of clients a user has a relationship with, and search
through blind indexes. The PDP decides every row; one audit event records the whole
list; a name with no permitted match answers exactly as a name nobody has."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from confide.apps.practice.models import SupervisionLink, User
from confide.apps.records.models import (
    BlindIndex,
    BreakGlassGrant,
    CareTeamMember,
    Client,
    ClientAccount,
    ClientKey,
)
from confide.core.crypto import blind_index
from confide.core.crypto.name_search import KINDS as NAME_KINDS
from confide.core.crypto.name_search import matches as name_matches
from confide.core.crypto.name_search import query_terms, query_tokens, term_digest
from confide.core.errors import Forbidden, InvalidInput, NotFound
from confide.services import access
from confide.services.audit import audit_append, audited_transaction
from confide.services.keys import client_data_key, practice_index_key
from confide.services.sealing import unseal


# An exact email, phone or full-name match ranks above any match of name parts.
EXACT_FIELD = 100


def _candidate_ids(user: User) -> list[uuid.UUID]:
    """Clients the user might list: a superset; the PDP decides each."""
    if user.role in ("biller", "front_desk"):
        return list(Client.objects.filter(practice_id=user.practice_id).values_list("id", flat=True))
    if user.role in ("clinician", "supervisor"):
        staff = [user.pk, *SupervisionLink.objects.filter(supervisor=user).values_list("supervisee_id", flat=True)]
        ids = set(CareTeamMember.objects.filter(staff_id__in=staff, ended_at__isnull=True,
                                                practice_id=user.practice_id).values_list("client_id", flat=True))
        ids |= set(BreakGlassGrant.objects.filter(user=user, expires_at__gt=datetime.now(timezone.utc))
                   .values_list("client_id", flat=True))
        return sorted(ids)
    if user.role in ("client", "representative"):
        return list(ClientAccount.objects.filter(user=user).values_list("client_id", flat=True))
    return []


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
            detail: dict | None = None) -> dict[uuid.UUID, Listed]:
    """The clients among `client_ids` the user may list with `categories` (identity
    always), each with its display name and the categories the PDP permitted (the
    required ones, and any of `optional`). One audit event records the whole list; the
    listing helper every dashboard, list and search uses."""
    required = set(categories) | {"identity"}
    purpose = access.default_purpose(user)
    with audited_transaction():
        decisions = access.decide_for_list(user=user, client_ids=list(client_ids), purpose=purpose,
                                           categories=required | set(optional))
        allowed = {cid: d.categories for cid, d in decisions if d.permitted and d.categories >= required}
        # A shredded client (data key deleted) has nothing left to show.
        keyed = set(ClientKey.objects.filter(client_id__in=list(allowed)).values_list("client_id", flat=True))
        allowed = {cid: cats for cid, cats in allowed.items() if cid in keyed}
        refs = [access.client_ref_for(user, cid) for cid in allowed]
        audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role, action=action,
                     purpose=purpose, client_ref="",
                     decision=None, categories=tuple(sorted(required)) if allowed else (),
                     detail={**(detail or {}), "count": len(allowed), "client_refs": refs})
        out = {}
        for client in Client.objects.filter(id__in=list(allowed)).only("id", "identity_enc"):
            identity = unseal(client_data_key(client.id), Client, "identity_enc", client.id, client.identity_enc) or {}
            out[client.id] = Listed(id=client.id, name=identity.get("preferred_name") or identity.get("legal_name", ""),
                                    legal_name=identity.get("legal_name", ""), dob=identity.get("dob"),
                                    categories=frozenset(allowed[client.id]))
    return out


def _listing(user: User, ids, action: str, detail: dict) -> list[dict]:
    rows = [c.row() for c in listing(user, ids, action=action, detail=detail).values()]
    return sorted(rows, key=lambda r: (r["name"].casefold(), r["id"]))


def client_list(*, user: User) -> list[dict]:
    """The clients this user has a relationship with (and only those)."""
    return _listing(user, _candidate_ids(user), "client.list", {})


def _search_matches(user: User, query: str, *, fuzzy: bool = True) -> dict[uuid.UUID, int]:
    """Clients of the practice whose blind indexes match the query: exact name, email
    or phone, or every word of the query matching a word of a name (exact, prefix, or
    a prefix one typo away). Candidates only: the caller checks the decrypted names."""
    key = practice_index_key(user.practice_id)
    matched: dict[uuid.UUID, int] = {}
    exact = set()
    for kind in ("name", "email", "phone"):
        try:
            exact.add((kind, blind_index(key, kind, query)))
        except ValueError:
            continue
    for kind, digest in exact:
        for cid in BlindIndex.objects.filter(practice_id=user.practice_id, kind=kind, digest=digest
                                             ).values_list("client_id", flat=True):
            matched[cid] = EXACT_FIELD
    tokens = query_tokens(query)
    per_token: list[set[uuid.UUID]] = []
    for token in tokens:
        digests = {term_digest(key, kind, term) for (kind, term) in query_terms(token, fuzzy=fuzzy)}
        per_token.append(set(BlindIndex.objects.filter(practice_id=user.practice_id, kind__in=NAME_KINDS,
                                                       digest__in=digests).values_list("client_id", flat=True)))
    if per_token:
        for cid in set.intersection(*per_token):
            matched.setdefault(cid, 0)
    return matched


def client_search(*, user: User, query: str) -> list[dict]:
    """Search by any part of a name (case- and accent-insensitive, one typo per word
    tolerated), or by exact email or phone, through blind indexes, limited to clients
    the user may list: the PDP decides each candidate as it decides the list. A query
    that matches only unrelated clients answers exactly as one that matches nobody.
    Best matches first."""
    if not isinstance(query, str) or not query.strip() or len(query) > 200:
        raise InvalidInput("search: give 1 to 200 characters")
    matched = _search_matches(user, query)
    candidates = [cid for cid in _candidate_ids(user) if cid in matched]
    found = listing(user, candidates, action="client.search", detail={})
    scored = []
    for cid, row in found.items():
        score = EXACT_FIELD if matched[cid] == EXACT_FIELD else name_matches(query, [row.legal_name, row.name])
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
    matched = _search_matches(user, query, fuzzy=False)
    if len(matched) > EMERGENCY_MAX:
        raise InvalidInput("search: more than ten people match; give more of the name")
    out = []
    for cid in sorted(matched):
        try:
            with access.governed(user=user, client_id=cid, action="read", purpose="BTG", categories={"identity"},
                                 assume=frozenset({"break_glass"}),
                                 detail={"view": "emergency_search", "break_glass": True}) as ok:
                identity = unseal(client_data_key(ok.client.id), Client, "identity_enc", ok.client.id,
                                  ok.client.identity_enc) or {}
        except NotFound:
            continue
        names = [identity.get("legal_name", ""), identity.get("preferred_name") or ""]
        if matched[cid] == EXACT_FIELD or name_matches(query, names, fuzzy=False):
            out.append({"id": str(cid), "name": identity.get("preferred_name") or identity.get("legal_name", ""),
                        "legal_name": identity.get("legal_name", ""), "dob": identity.get("dob")})
    return sorted(out, key=lambda r: (r["legal_name"].casefold(), r["id"]))
