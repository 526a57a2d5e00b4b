"""The hash-chained audit log: each entry's hash covers its fields and the previous hash.

Changing any field, deleting, inserting, duplicating or reordering entries breaks the
chain. Cutting entries off the end is only visible against a head (seq and hash)
noted elsewhere, so `verify` takes an `expect_head`.

The stable on-disk format is `canonical_bytes`: every field but `hash`, as JSON with
sorted keys, separators (",", ":"), ASCII only, tuples as lists. An entry's hash is
sha256(prev_hash as ASCII hex + canonical bytes), in hex. Changing either is a format
change that old chains will not survive: don't.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

GENESIS_HASH = "0" * 64
DECISIONS = ("permit", "deny", "-")

# Field order of AuditRecord; canonical JSON sorts keys anyway.
FIELDS = (
    "seq", "at", "actor", "actor_role", "action", "purpose", "client_ref", "decision",
    "rule_ids", "categories", "decision_id", "detail", "prev_hash", "hash",
)
_HASHED_FIELDS = frozenset(FIELDS) - {"hash"}
_SEALED_BY_CHAIN = frozenset({"seq", "prev_hash", "hash"})
_REQUIRED = frozenset({"actor", "actor_role", "action", "purpose"})
_DEFAULTS: dict[str, Any] = {
    "client_ref": "", "decision": "-", "rule_ids": (), "categories": (), "decision_id": "",
}

# One encoder, built once: json.dumps with non-default options builds one per call.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class AuditRecord:
    """One sealed audit entry. Holds ids, pseudonyms and codes, never names or note text."""

    seq: int
    at: str  # ISO-8601 UTC with microseconds, e.g. 2026-11-21T10:15:00.123456Z
    actor: str  # user id
    actor_role: str
    action: str
    purpose: str
    client_ref: str  # pseudonym ("c_...") or ""
    decision: str  # "permit" | "deny" | "-"
    rule_ids: tuple[str, ...]
    categories: tuple[str, ...]
    decision_id: str
    detail: dict[str, Any]  # small, JSON-able; never names or note text
    prev_hash: str
    hash: str

    def hashed_fields(self) -> dict[str, Any]:
        """The fields the hash covers (all but `hash`)."""
        return _fields_of(self)

    @property
    def head(self) -> tuple[int, str]:
        return (self.seq, self.hash)


def _fields_of(r: AuditRecord) -> dict[str, Any]:
    return {
        "action": r.action, "actor": r.actor, "actor_role": r.actor_role, "at": r.at,
        "categories": r.categories, "client_ref": r.client_ref, "decision": r.decision,
        "decision_id": r.decision_id, "detail": r.detail, "prev_hash": r.prev_hash,
        "purpose": r.purpose, "rule_ids": r.rule_ids, "seq": r.seq,
    }


def utc_now_iso() -> str:
    """Now, as the audit log writes times: ISO-8601 UTC, microseconds, "Z"."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_bytes(record_fields: dict[str, Any]) -> bytes:
    """The stable serialization a hash covers: every field but `hash`.

    JSON, sorted keys, separators (",", ":"), ASCII only; tuples become lists. This is
    the on-disk contract of the chain: changing it breaks every existing chain.
    """
    present = record_fields.keys() - {"hash"}
    if present != _HASHED_FIELDS:
        missing, extra = sorted(_HASHED_FIELDS - present), sorted(present - _HASHED_FIELDS)
        raise ValueError(f"audit fields do not match the format (missing {missing}, unexpected {extra})")
    return _ENCODER.encode({k: record_fields[k] for k in _HASHED_FIELDS}).encode("ascii")


def compute_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """sha256 hex over prev_hash (ASCII) followed by the canonical bytes of fields."""
    return hashlib.sha256(prev_hash.encode("ascii") + canonical_bytes(fields)).hexdigest()


def _hash_record(r: AuditRecord) -> str:
    # Hot path of verify: the fields are known to be complete, so skip the key check.
    # INVARIANT: same bytes as compute_hash(r.prev_hash, r.hashed_fields()).
    return hashlib.sha256(r.prev_hash.encode("ascii") + _ENCODER.encode(_fields_of(r)).encode("ascii")).hexdigest()


def seal(prev: tuple[int, str] | None, **fields: Any) -> AuditRecord:
    """Seal a new entry after `prev` (the chain's head as (seq, hash), None for the first).

    Takes actor, actor_role, action, purpose (required); client_ref, decision,
    rule_ids, categories, decision_id, detail, at (defaults: "", "-", (), (), "", {},
    now). seq, prev_hash and hash are the chain's to assign.
    """
    unknown = fields.keys() - (_HASHED_FIELDS - _SEALED_BY_CHAIN)
    if unknown:
        raise TypeError(f"seal() got fields it does not take: {sorted(unknown)}")
    missing = _REQUIRED - fields.keys()
    if missing:
        raise TypeError(f"seal() is missing fields: {sorted(missing)}")
    values = {**_DEFAULTS, **fields}
    values["at"] = values.get("at") or utc_now_iso()
    values["rule_ids"] = tuple(values["rule_ids"])
    values["categories"] = tuple(values["categories"])
    for name in ("at", "actor", "actor_role", "action", "purpose", "client_ref", "decision_id"):
        if not isinstance(values[name], str):
            raise TypeError(f"audit field {name} must be str")
    if not all(isinstance(x, str) for x in values["rule_ids"] + values["categories"]):
        raise TypeError("audit rule_ids and categories must be strings")
    if values["decision"] not in DECISIONS:
        raise ValueError(f"audit decision must be one of {DECISIONS}")
    # Round-trip detail through JSON: the record then holds exactly what a reader of
    # the stored entry will see (int keys become strings, tuples lists), and the
    # caller's dict is not aliased into a sealed record.
    detail = values.get("detail") or {}
    if not isinstance(detail, dict):
        raise TypeError("audit detail must be a dict")
    values["detail"] = json.loads(_ENCODER.encode(detail))

    if prev is None:
        seq, prev_hash = 1, GENESIS_HASH
    else:
        seq, prev_hash = prev[0] + 1, prev[1]
    values["seq"], values["prev_hash"] = seq, prev_hash
    return AuditRecord(**values, hash=compute_hash(prev_hash, values))


@dataclass
class VerifyResult:
    """What `verify` found. `problem` is one line; head is the last good entry."""

    ok: bool
    count: int  # entries read
    head_seq: int
    head_hash: str
    first_bad_seq: int | None = None
    problem: str | None = None

    @property
    def head(self) -> str:
        return format_head(self.head_seq, self.head_hash)


def verify(
    records: Iterable[AuditRecord],
    *,
    expect_head: tuple[int, str] | None = None,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 10_000,
) -> VerifyResult:
    """Check a chain from its first entry, streaming: O(1) memory, stops at the first problem.

    The chain must start at seq 1 with GENESIS_HASH and run without gaps. With
    `expect_head` = (seq, hash), the chain must reach seq and that entry must have
    exactly that hash (this is what detects truncation and a rewritten tail).
    `progress(count)` is called every `progress_every` entries and once at the end.
    """
    prev_seq, prev_hash = 0, GENESIS_HASH
    count = 0
    expect_seq, expect_hash = expect_head if expect_head is not None else (None, None)
    head_matched = expect_seq == 0 and expect_hash == GENESIS_HASH

    def bad(seq: int, problem: str) -> VerifyResult:
        if progress is not None:
            progress(count)
        return VerifyResult(False, count, prev_seq, prev_hash, seq, problem)

    for r in records:
        count += 1
        seq = r.seq
        if seq != prev_seq + 1:
            if not isinstance(seq, int):
                return bad(prev_seq + 1, f"entry after {prev_seq}: sequence number is not an integer (entry modified)")
            if prev_seq == 0:
                return bad(seq, f"entry {seq}: chain starts at {seq}, not 1 (entries deleted from the start)")
            if seq > prev_seq + 1:
                return bad(seq, f"entry {seq}: sequence gap after {prev_seq} (entry deleted)")
            if seq == prev_seq:
                return bad(seq, f"entry {seq}: sequence number repeats (entry duplicated or inserted)")
            return bad(seq, f"entry {seq}: sequence goes back after {prev_seq} (entries reordered or inserted)")
        if r.prev_hash != prev_hash:
            return bad(seq, f"entry {seq}: previous hash does not match (entry inserted, removed or reordered)")
        try:
            actual = _hash_record(r)
        except (TypeError, ValueError, UnicodeEncodeError):
            return bad(seq, f"entry {seq}: fields cannot be serialized (entry modified)")
        if actual != r.hash:
            return bad(seq, f"entry {seq}: hash mismatch (entry modified)")
        prev_seq, prev_hash = seq, r.hash
        if seq == expect_seq:
            if r.hash != expect_hash:
                return bad(seq, f"head {seq} hash differs from the expected head")
            head_matched = True
        if progress is not None and count % progress_every == 0:
            progress(count)

    if progress is not None and count % progress_every != 0:
        progress(count)
    if expect_head is not None and not head_matched:
        if expect_seq == 0:
            return VerifyResult(False, count, prev_seq, prev_hash, 0, "expected head 0 must carry the genesis hash")
        return VerifyResult(
            False, count, prev_seq, prev_hash, prev_seq + 1,
            f"chain ends at {prev_seq}, expected head {expect_seq} (truncated)",
        )
    return VerifyResult(True, count, prev_seq, prev_hash)


def format_head(seq: int, hash: str) -> str:
    """A head as "SEQ:HASH", the form `parse_head` reads and operators write down."""
    return f"{seq}:{hash}"


def parse_head(text: str) -> tuple[int, str]:
    """Parse "SEQ:HASH" (seq a non-negative integer, hash 64 hex chars); ValueError if not."""
    seq_text, sep, hash_text = text.strip().partition(":")
    if not sep:
        raise ValueError("head must look like SEQ:HASH")
    if not seq_text.isascii() or not seq_text.isdigit():
        raise ValueError("head sequence must be a non-negative integer")
    hash_text = hash_text.lower()
    if not _HEX64.fullmatch(hash_text):
        raise ValueError("head hash must be 64 hex characters")
    return int(seq_text), hash_text
