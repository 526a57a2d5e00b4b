"""Blind indexes for finding people by part of a name, case- and accent-insensitive
and tolerant of one typo, without a plaintext index (CipherSweet's design: each term
is an HMAC under its own subkey of the practice's index key, truncated).

A name is normalized as `blind.normalize("name", ...)` does (accents, case,
apostrophes, punctuation) and split into tokens. For each token the index holds:

- `ntok`: the whole token (exact word match);
- `npre`: each prefix of 2 to 12 characters (any part of a name, from its start);
- `nfz`: each prefix of 4 to 10 characters and every string one deletion away from
  it (a deletion neighbourhood: two strings within one substitution, insertion,
  deletion or swap of each other share a member).

So a client's name yields a bounded number of terms (at most about 70 per token).
Terms are truncated to 32 bits: collisions are expected at scale and harmless,
because the caller decrypts each candidate it may see and keeps only true matches
(`matches`), as CipherSweet recommends; the short digests leak less about equal
prefixes across clients than full ones would.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Callable, Iterable

from confide.core.crypto.blind import derive_subkey, normalize

KINDS = ("ntok", "npre", "nfz")
TERM_HEX_CHARS = 8  # 32 bits
MIN_PREFIX, MAX_PREFIX = 2, 12
MIN_FUZZY, MAX_FUZZY = 4, 10
MAX_TOKEN = 40
MAX_QUERY_TOKENS = 4
# How good a match is, per query token.
EXACT, PREFIX, FUZZY = 3, 2, 1


def name_tokens(value: str) -> list[str]:
    """The normalized words of a name (empty for a name with no letters)."""
    return [t[:MAX_TOKEN] for t in normalize("name", value or "").split(" ") if t]


def _deletions(term: str) -> set[str]:
    return {term[:i] + term[i + 1:] for i in range(len(term))}


def _neighbourhood(term: str) -> set[str]:
    return {term} | _deletions(term)


def index_terms(names) -> set[tuple[str, str]]:
    """Every (kind, term) the index holds for a client with these names."""
    out: set[tuple[str, str]] = set()
    for name in names:
        for tok in name_tokens(name):
            out.add(("ntok", tok))
            for n in range(MIN_PREFIX, min(len(tok), MAX_PREFIX) + 1):
                out.add(("npre", tok[:n]))
            for n in range(MIN_FUZZY, min(len(tok), MAX_FUZZY) + 1):
                out |= {("nfz", t) for t in _neighbourhood(tok[:n])}
    return out


def query_terms(token: str, *, fuzzy: bool = True) -> dict[tuple[str, str], int]:
    """What to look up for one query token, each with the match level it means."""
    out: dict[tuple[str, str], int] = {("ntok", token): EXACT}
    if len(token) >= MIN_PREFIX:
        out.setdefault(("npre", token[:MAX_PREFIX]), PREFIX)
    if fuzzy and len(token) >= MIN_FUZZY:
        for t in _neighbourhood(token[:MAX_FUZZY]):
            out.setdefault(("nfz", t), FUZZY)
    return out


def close_term(token: str) -> tuple[str, str]:
    """The one term naming every client with a name word equal to the token or
    starting with it: its first MAX_PREFIX letters as `npre` (such a word has that
    prefix among its own; a token of MIN_PREFIX letters or more)."""
    return ("npre", token[:MAX_PREFIX])


def near_terms(token: str) -> set[tuple[str, str]]:
    """The terms naming every client with a name word within one typo of the token's
    start, close matches included: the deletion neighbourhood of its first MAX_FUZZY
    letters as `nfz` (a word starting with the token has those letters among its own
    `nfz` terms; one typo away, a member of their neighbourhood). A token shorter than
    MIN_FUZZY has no typo tolerance: its close term."""
    if len(token) < MIN_FUZZY:
        return {close_term(token)}
    return {("nfz", t) for t in _neighbourhood(token[:MAX_FUZZY])}


def query_tokens(query: str) -> list[str]:
    """The tokens of a name query worth looking up (2 letters or more), at most four."""
    return [t for t in name_tokens(query) if len(t) >= MIN_PREFIX][:MAX_QUERY_TOKENS]


@functools.lru_cache(maxsize=64)
def _subkey(index_key: bytes, kind: str) -> bytes:
    """The kind's subkey of a practice's index key (HKDF is the cost of a term; a
    client's index holds about two hundred)."""
    return derive_subkey(index_key, f"confide.name-search.{kind}")


def term_digest(index_key: bytes, kind: str, term: str) -> str:
    """HMAC-SHA256 of the term under the kind's subkey, truncated."""
    if kind not in KINDS:
        raise ValueError(f"unknown name-search kind: {kind!r}")
    return hmac.new(_subkey(index_key, kind), term.encode("utf-8"), hashlib.sha256).hexdigest()[:TERM_HEX_CHARS]


def _within_one_edit(a: str, b: str) -> bool:
    """Levenshtein distance with adjacent swaps (optimal string alignment) <= 1."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    if len(a) > len(b):
        a, b = b, a
    return any(b[:i] + b[i + 1:] == a for i in range(len(b)))


def token_level(query_token: str, name_token: str, *, fuzzy: bool = True) -> int:
    """How one query token matches one word of a name: exact, prefix, typo'd prefix, or 0."""
    if query_token == name_token:
        return EXACT
    if name_token.startswith(query_token):
        return PREFIX
    if fuzzy and len(query_token) >= MIN_FUZZY:
        q = query_token[:MAX_FUZZY]
        for n in (len(q) - 1, len(q), len(q) + 1):
            if MIN_FUZZY - 1 <= n <= len(name_token) and _within_one_edit(q, name_token[:n]):
                return FUZZY
    return 0


def matches(query: str, names, *, fuzzy: bool = True) -> int:
    """The score of a client's names for a query (0: no match). Every query token must
    match some word of some name; the score sums each token's best level."""
    return scorer(query, fuzzy=fuzzy)(names)


def scorer(query: str, *, fuzzy: bool = True) -> Callable[[Iterable[str]], int]:
    """`matches` for one query and many clients' names, the query read once."""
    tokens = query_tokens(query)

    def score(names: Iterable[str]) -> int:
        words = [tok for name in names for tok in name_tokens(name)]
        if not tokens or not words:
            return 0
        total = 0
        for q in tokens:
            best = max((token_level(q, w, fuzzy=fuzzy) for w in words), default=0)
            if best == 0:
                return 0
            total += best
        return total

    return score
